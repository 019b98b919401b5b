"""Feedback under concurrency, on PostgreSQL: each thread has its own connection. Two
handlers acting at once never leave feedback half-changed or merged into a chain, and
a sender pressing "reopen" many times reopens once."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from osallistu.core.models import AuditEntry
from osallistu.feedback import services
from osallistu.feedback.models import EventKind, Feedback, FeedbackEvent, FeedbackFollower, Status
from osallistu.feedback.services import FeedbackError
from tests.feedback.factories import PublicFeedbackFactory, division_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

AT_ONCE = 20


def at_once(actions):
    """Run each of ``actions`` in its own thread at the same moment; results and refusals.
    Anything else a thread raises (a deadlock) fails the test."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)
    unexpected = []

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = actions[index]()
        except FeedbackError as error:
            outcomes[index] = error
        except Exception as error:  # reported below, in the test's thread
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not unexpected, unexpected
    return outcomes


def test_merging_two_into_each_other_at_once_makes_no_cycle(pothole, handler, division):
    other = division_staff("toinen@example.fi", division)
    first, second = PublicFeedbackFactory(service=pothole), PublicFeedbackFactory(service=pothole)
    outcomes = at_once(
        [
            lambda: services.merge_duplicate(duplicate=first, original=second, staff=handler),
            lambda: services.merge_duplicate(duplicate=second, original=first, staff=other),
        ]
    )
    merged = [outcome for outcome in outcomes if isinstance(outcome, Feedback)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, FeedbackError)]
    assert len(merged) == 1 and len(refused) == 1
    assert refused[0].code == "original_merged"
    assert Feedback.objects.filter(status=Status.DUPLICATE).count() == 1


def test_many_merges_into_a_chain_at_once(pothole, handler):
    """Each merges the next into the previous: whatever the order, no duplicate points
    to a duplicate."""
    items = [PublicFeedbackFactory(service=pothole) for _ in range(AT_ONCE + 1)]
    at_once(
        [
            lambda index=index: services.merge_duplicate(
                duplicate=items[index + 1], original=items[index], staff=handler
            )
            for index in range(AT_ONCE)
        ]
    )
    for duplicate in Feedback.objects.filter(status=Status.DUPLICATE).select_related(
        "duplicate_of"
    ):
        assert duplicate.duplicate_of.status != Status.DUPLICATE


def test_reopening_many_times_at_once_reopens_once(pothole, handler, resident):
    feedback = PublicFeedbackFactory(service=pothole, author=resident)
    services.change_status(feedback=feedback, staff=handler, status=Status.DONE)
    outcomes = at_once(
        [
            lambda: services.reopen_feedback(
                feedback=feedback, author=resident, reason="Kuoppa on taas auki."
            )
        ]
        * AT_ONCE
    )
    reopened = [outcome for outcome in outcomes if isinstance(outcome, Feedback)]
    assert len(reopened) == 1
    assert {outcome.code for outcome in outcomes if isinstance(outcome, FeedbackError)} == {
        "not_done"
    }
    assert FeedbackEvent.objects.filter(kind=EventKind.REOPENED).count() == 1
    assert AuditEntry.objects.filter(action="feedback.reopened").count() == 1


def test_closing_at_once_closes_once(pothole, handler):
    feedback = PublicFeedbackFactory(service=pothole)
    outcomes = at_once(
        [lambda: services.change_status(feedback=feedback, staff=handler, status=Status.DONE)]
        * AT_ONCE
    )
    assert sum(isinstance(outcome, Feedback) for outcome in outcomes) == 1
    feedback.refresh_from_db()
    assert feedback.closed_at is not None and feedback.closed_at <= timezone.now()
    assert FeedbackEvent.objects.filter(kind=EventKind.STATUS).count() == 1


def test_following_at_once_follows_once(pothole, neighbour):
    feedback = PublicFeedbackFactory(service=pothole)
    at_once([lambda: services.follow_feedback(feedback=feedback, user=neighbour)] * AT_ONCE)
    assert FeedbackFollower.objects.count() == 1
    assert AuditEntry.objects.filter(action="feedback.followed").count() == 1
