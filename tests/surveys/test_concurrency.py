"""Integrity under concurrency, on PostgreSQL: each thread has its own connection."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import reverse

from osallistu.core.models import AuditEntry
from osallistu.surveys import builder, services
from osallistu.surveys.models import Answer, CommentSupport, Question, Response
from osallistu.surveys.services import SurveyError
from tests import concurrency
from tests.factories import StaffRoleFactory, UserFactory
from tests.surveys.factories import HearingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

AT_ONCE = 20


def at_once(action):
    """Run ``action`` in AT_ONCE threads at the same moment; return results and errors."""
    return concurrency.at_once(AT_ONCE, lambda _index: action())


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


# The builder and respondents: answers are saved holding the survey row FOR SHARE,
# the builder changes it holding it FOR UPDATE.

HOLD_SECONDS = 1.5


def _answered_first_page(client, s):
    client.post(reverse("surveys:start", kwargs={"slug": s.survey.slug}))
    answer = reverse("surveys:answer", kwargs={"slug": s.survey.slug})
    client.post(answer, {"page": s.pages[0].id, f"q{s.cycles.id}": s.yes.id})
    return answer


def _in_thread(action):
    """Start ``action`` in a thread with its own connection; ``done`` is set after."""
    done, outcome = threading.Event(), {}

    def run():
        try:
            outcome["result"] = action()
        except Exception as error:  # reported to the test
            outcome["error"] = error
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_question_deleted_while_its_first_answer_is_saved_gives_no_error(
    client, branching_survey
):
    s = branching_survey
    answer = _answered_first_page(client, s)
    staff = StaffRoleFactory().user
    locked = threading.Event()

    def delete_and_hold():
        with transaction.atomic():
            builder.delete_question(question=s.comment, actor=staff)
            locked.set()
            time.sleep(HOLD_SECONDS)

    thread, outcome = _in_thread(delete_and_hold)
    assert locked.wait(10)
    started = time.monotonic()
    page = client.post(
        answer, {"page": s.pages[1].id, f"q{s.routes.id}": s.baana.id, f"q{s.comment.id}": "Hi"}
    )
    waited = time.monotonic() - started
    thread.join(10)
    assert "error" not in outcome
    assert page.status_code == 302
    assert waited > HOLD_SECONDS / 2  # the save waited for the builder's change
    assert not Question.objects.filter(pk=s.comment.pk).exists()
    stored = dict(Answer.objects.values_list("question_id", "value"))
    assert s.routes.id in stored and s.comment.id not in stored


def test_the_builder_waits_for_a_first_answer_being_saved_and_then_keeps_the_question(
    branching_survey, resident
):
    s = branching_survey
    response = services.start_response(survey=s.survey, user=resident, client_ip="192.0.2.1")
    data = QueryDict(mutable=True)
    data.update({f"q{s.cycles.id}": str(s.yes.id)})
    response = services.save_page(response=response, page_id=s.pages[0].id, data=data)
    staff = StaffRoleFactory().user
    saved = threading.Event()

    def save_and_hold():
        with transaction.atomic():
            page = QueryDict(mutable=True)
            page.update({f"q{s.comment.id}": "Lisää pyöräteitä"})
            services.save_page(response=response, page_id=s.pages[1].id, data=page)
            saved.set()
            time.sleep(HOLD_SECONDS)

    thread, outcome = _in_thread(save_and_hold)
    assert saved.wait(10)
    with pytest.raises(builder.BuildError) as refused:
        builder.delete_question(question=s.comment, actor=staff)
    thread.join(10)
    assert "error" not in outcome
    assert refused.value.code == "answered"
    assert Answer.objects.filter(question=s.comment).count() == 1


def test_respondents_saving_at_once_do_not_wait_for_each_other(branching_survey, helsinki):
    s = branching_survey
    first, second = (
        services.start_response(survey=s.survey, user=UserFactory(), client_ip="192.0.2.1")
        for _ in range(2)
    )
    page = QueryDict(mutable=True)
    page.update({f"q{s.cycles.id}": str(s.no.id)})
    saved = threading.Event()

    def save_and_hold():
        with transaction.atomic():
            services.save_page(response=first, page_id=s.pages[0].id, data=page)
            saved.set()
            time.sleep(HOLD_SECONDS)

    thread, outcome = _in_thread(save_and_hold)
    assert saved.wait(10)
    started = time.monotonic()
    services.save_page(response=second, page_id=s.pages[0].id, data=page)
    waited = time.monotonic() - started
    thread.join(10)
    assert "error" not in outcome
    assert waited < HOLD_SECONDS / 2
