"""Capacity under load on PostgreSQL: fifty people signing up for ten places at the
same moment, cancellations racing sign-ups, and talkoot proposed at once for one
district's day (threads, each with its own connection, released together by a
barrier)."""

import datetime
import threading

import pytest
from django.db import connection

from osallistu.volunteering import services
from osallistu.volunteering.models import Shift, SignUp, Talkoot
from osallistu.volunteering.services import VolunteeringError
from tests.factories import UserFactory
from tests.volunteering.conftest import adult
from tests.volunteering.factories import ShiftFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = SignUp.Status


def run_together(actions):
    """Run each callable in its own thread, all released at once; return the outcomes
    (a result or the exception raised)."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = actions[index]()
        except Exception as error:  # reported by the caller's assertions
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def sign_up_action(shift, person):
    return lambda: services.sign_up(shift=shift, volunteer=person, name=person.full_name or "x")


def assert_consistent(shift):
    shift.refresh_from_db()
    holding = shift.signups.holding().count()
    assert shift.taken == holding <= shift.capacity
    if shift.signups.waiting().exists():
        assert shift.taken == shift.capacity, "a place is free while people wait"


def test_fifty_sign_ups_for_ten_places(helsinki):
    shift = ShiftFactory(capacity=10)
    people = [adult() for _ in range(50)]
    outcomes = run_together([sign_up_action(shift, person) for person in people])
    assert all(isinstance(outcome, SignUp) for outcome in outcomes), outcomes
    statuses = [outcome.status for outcome in outcomes]
    assert statuses.count(Status.CONFIRMED) == 10
    assert statuses.count(Status.WAITING) == 40
    assert_consistent(shift)


def test_cancellations_racing_sign_ups_keep_the_waiting_list_first(helsinki):
    shift = ShiftFactory(capacity=10)
    holders = [services.sign_up(shift=shift, volunteer=adult(), name="h") for _ in range(10)]
    waiting = [services.sign_up(shift=shift, volunteer=adult(), name="w") for _ in range(5)]
    newcomers = [adult() for _ in range(15)]
    actions = [
        (lambda signup=signup: services.cancel_signup(signup=signup, user=signup.volunteer))
        for signup in holders[:5]
    ] + [sign_up_action(shift, person) for person in newcomers]
    outcomes = run_together(actions)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert not errors, errors
    for signup in waiting:
        signup.refresh_from_db()
    # The five who were waiting got the five freed places; every newcomer waits.
    assert {signup.status for signup in waiting} == {Status.CONFIRMED}
    assert {o.status for o in outcomes[5:]} == {Status.WAITING}
    assert_consistent(shift)


def test_cancellations_racing_sign_ups_without_a_waiting_list(helsinki):
    shift = ShiftFactory(capacity=10)
    holders = [services.sign_up(shift=shift, volunteer=adult(), name="h") for _ in range(10)]
    newcomers = [adult() for _ in range(20)]
    actions = [
        (lambda signup=signup: services.cancel_signup(signup=signup, user=signup.volunteer))
        for signup in holders[:6]
    ] + [sign_up_action(shift, person) for person in newcomers]
    outcomes = run_together(actions)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    # Whoever came before a cancellation waited and then moved up: in the end the six
    # freed places are the newcomers', and the others wait.
    signed = SignUp.objects.filter(pk__in=[o.pk for o in outcomes[6:]])
    statuses = sorted(signed.values_list("status", flat=True))
    assert statuses == sorted([Status.CONFIRMED] * 6 + [Status.WAITING] * 14)
    assert Shift.objects.get(pk=shift.pk).taken == 10
    assert_consistent(shift)


def test_one_person_twice_at_once_gets_one_sign_up(helsinki):
    shift = ShiftFactory(capacity=10)
    person = adult()
    outcomes = run_together([sign_up_action(shift, person) for _ in range(5)])
    made = [o for o in outcomes if isinstance(o, SignUp)]
    refused = [o for o in outcomes if isinstance(o, VolunteeringError)]
    assert len(made) == 1 and len(refused) == 4, outcomes
    assert {error.code for error in refused} == {"already_signed_up"}
    assert_consistent(shift)


def test_talkoot_proposed_at_once_keep_three_a_day_in_a_district(helsinki):
    day = datetime.date.today() + datetime.timedelta(days=20)
    district = helsinki["eastern"]
    people = [UserFactory() for _ in range(8)]
    outcomes = run_together(
        [
            (
                lambda person=person: services.propose_talkoot(
                    proposer=person,
                    title="Rantasiivous",
                    description="Kerätään roskat.",
                    district=district,
                    place_text="Uutela",
                    starts_on=day,
                    ends_on=day,
                    expected_participants=5,
                )
            )
            for person in people
        ]
    )
    made = [o for o in outcomes if isinstance(o, Talkoot)]
    refused = [o for o in outcomes if isinstance(o, VolunteeringError)]
    assert len(made) == 3 and len(refused) == 5, outcomes
    assert {error.code for error in refused} == {"district_day_full"}
    assert Talkoot.objects.filter(district=district, starts_on=day).count() == 3
