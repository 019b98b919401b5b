"""Integrity under concurrency, on PostgreSQL: each thread has its own connection."""

import threading

import pytest
from django.db import connection
from django.http import QueryDict

from osallistu.core.models import AuditEntry
from osallistu.surveys import services
from osallistu.surveys.models import CommentSupport, Response
from osallistu.surveys.services import SurveyError
from tests.factories import UserFactory
from tests.surveys.factories import HearingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

AT_ONCE = 20


def at_once(action):
    """Run ``action`` in AT_ONCE threads at the same moment; return results and errors."""
    barrier = threading.Barrier(AT_ONCE)
    outcomes = [None] * AT_ONCE

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = action()
        except SurveyError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_starting_in_many_tabs_at_once_gives_one_response(branching_survey, resident):
    def start():
        return services.start_response(
            survey=branching_survey.survey, user=resident, client_ip="192.0.2.1"
        )

    outcomes = at_once(start)
    assert len({outcome.pk for outcome in outcomes}) == 1
    assert Response.objects.count() == 1


def test_sending_many_times_at_once_sends_once(branching_survey, resident):
    s = branching_survey
    response = services.start_response(survey=s.survey, user=resident, client_ip="192.0.2.1")
    for page, fields in (
        (s.pages[0], {f"q{s.cycles.id}": str(s.no.id)}),
        (s.pages[2], {f"q{s.satisfaction.id}": "3"}),
    ):
        data = QueryDict(mutable=True)
        data.update(fields)
        response = services.save_page(response=response, page_id=page.id, data=data)

    outcomes = at_once(lambda: services.submit_response(response=response, user=resident))
    sent = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, SurveyError)]
    assert len(sent) == 1 and len(refused) == AT_ONCE - 1
    assert {error.code for error in refused} == {"already_answered"}
    assert AuditEntry.objects.filter(action="surveys.response_submitted").count() == 1


def test_supporting_many_times_at_once_counts_once(helsinki):
    hearing = HearingFactory()
    comment = services.post_comment(
        hearing=hearing, user=UserFactory(), text="Lisää puita", client_ip="192.0.2.1"
    )
    supporter = UserFactory()
    at_once(lambda: services.support_comment(comment=comment, user=supporter))
    assert CommentSupport.objects.filter(comment=comment).count() == 1
