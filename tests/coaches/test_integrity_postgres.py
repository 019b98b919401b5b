"""No double booking and no sign-up past the capacity, on PostgreSQL: the database's
own refusal, and many people trying for the last place at the same moment (threads,
each with its own connection)."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation

from osallistu.coaches.models import Appointment, AppointmentState, Event, EventSignup
from osallistu.coaches.selectors.slots import slot_of
from osallistu.coaches.services import CoachesError, appointments, events
from tests.coaches.conftest import NOW, at
from tests.concurrency import at_once
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 30


def test_the_unique_constraint_refuses_a_second_holding_appointment(coach, topic, helsinki):
    first = appointments.book_appointment(
        coach=coach,
        district=helsinki["central"],
        begins_at=at(1, 10),
        topic=topic,
        meeting_language="fi",
        name="First",
        email="first@example.fi",
        now=NOW,
    )
    for state in (AppointmentState.CONFIRMED, AppointmentState.PENDING, AppointmentState.HELD):
        copy = Appointment.objects.get(pk=first.pk)
        copy.pk, copy.state, copy.email = None, state, "second@example.fi"
        with (
            pytest.raises(
                IntegrityError,
                match=r"coaches_appointment_one_per_slot|coaches_appointment_no_overlap",
            ),
            transaction.atomic(),
        ):
            copy.save()
    for state in (AppointmentState.CANCELLED, AppointmentState.EXPIRED):
        copy = Appointment.objects.get(pk=first.pk)
        copy.pk, copy.state, copy.email = None, state, "second@example.fi"
        copy.save()


def test_meetings_of_a_coach_that_overlap_without_beginning_together_are_refused(
    coach, topic, helsinki, monkeypatch
):
    """Slots of changed office hours can overlap a meeting booked under the old ones
    (an hour-long meeting at 10.00, a new half-hour slot at 10.30): the exclusion
    constraint refuses the second, and the service says "already booked"."""
    first = appointments.book_appointment(
        coach=coach,
        district=helsinki["central"],
        begins_at=at(1, 10),
        topic=topic,
        meeting_language="fi",
        name="First",
        email="first@example.fi",
        now=NOW,
    )
    Appointment.objects.filter(pk=first.pk).update(ends_at=at(1, 11))
    overlapping = Appointment.objects.get(pk=first.pk)
    overlapping.pk, overlapping.email = None, "second@example.fi"
    overlapping.begins_at, overlapping.ends_at = at(1, 10, 30), at(1, 11)
    with (
        pytest.raises(IntegrityError, match="coaches_appointment_no_overlap"),
        transaction.atomic(),
    ):
        overlapping.save()
    overlapping.state = AppointmentState.CANCELLED
    overlapping.save()
    # Another coach's meeting at the same time is no clash.
    other = Appointment.objects.get(pk=first.pk)
    other.pk, other.coach, other.email = None, UserFactory(), "third@example.fi"
    other.save()
    # The service's answer when its own check is skipped.
    monkeypatch.setattr(
        appointments, "_check_slot", lambda profile, begins_at, now: slot_of(profile, begins_at)
    )
    with pytest.raises(CoachesError) as refused:
        appointments.book_appointment(
            coach=coach,
            district=helsinki["central"],
            begins_at=at(1, 10, 30),
            topic=topic,
            meeting_language="fi",
            name="Fourth",
            email="fourth@example.fi",
            now=NOW,
        )
    assert refused.value.code == "already_booked"


def test_when_the_check_is_skipped_the_constraint_still_answers_already_booked(
    coach, topic, helsinki, monkeypatch
):
    arguments = {
        "coach": coach,
        "district": helsinki["central"],
        "begins_at": at(1, 10),
        "topic": topic,
        "meeting_language": "fi",
        "name": "Someone",
        "now": NOW,
    }
    appointments.book_appointment(email="first@example.fi", **arguments)

    def unchecked(profile, begins_at, now, *, moving=None):
        return slot_of(profile, begins_at)

    monkeypatch.setattr(appointments, "_check_slot", unchecked)
    with pytest.raises(CoachesError) as refused:
        appointments.book_appointment(email="second@example.fi", **arguments)
    assert refused.value.code == "already_booked"
    assert Appointment.objects.count() == 1


def test_thirty_people_booking_one_slot_at_once_give_one_booking(coach, topic, helsinki):
    people = [UserFactory(email=f"person{index}@example.fi") for index in range(ATTEMPTS)]

    def attempt(index):
        return appointments.book_appointment(
            coach=coach,
            district=helsinki["central"],
            begins_at=at(1, 10),
            topic=topic,
            meeting_language="fi",
            person=people[index],
            now=NOW,
        )

    outcomes = at_once(ATTEMPTS, attempt)
    booked = [o for o in outcomes if isinstance(o, Appointment)]
    refused = [o for o in outcomes if isinstance(o, CoachesError)]
    assert len(booked) == 1, outcomes
    assert len(refused) == ATTEMPTS - 1, [o for o in outcomes if not isinstance(o, Appointment)]
    assert {error.code for error in refused} == {"already_booked"}
    with translation.override("fi"):
        assert {str(error) for error in refused} == {
            "Joku on jo varannut tämän ajan. Valitse toinen aika."
        }
    assert Appointment.objects.filter(state=AppointmentState.CONFIRMED).count() == 1


def test_people_moving_to_one_free_slot_at_once_one_gets_it(coach, topic, helsinki):
    people = [UserFactory(email=f"mover{index}@example.fi") for index in range(8)]
    booked = [
        appointments.book_appointment(
            coach=coach,
            district=helsinki["central"],
            begins_at=at(8 + 7 * (index // 4), 10 + (index % 4) // 2, 30 * (index % 2)),
            topic=topic,
            meeting_language="fi",
            person=person,
            now=NOW,
        )
        for index, person in enumerate(people)
    ]

    def attempt(index):
        return appointments.move_appointment(
            appointment=booked[index], begins_at=at(1, 11), now=NOW
        )

    outcomes = at_once(len(booked), attempt)
    moved = [o for o in outcomes if isinstance(o, Appointment)]
    assert len(moved) == 1, outcomes
    assert {o.code for o in outcomes if isinstance(o, CoachesError)} == {"already_booked"}
    assert Appointment.objects.filter(begins_at=at(1, 11)).count() == 1


def test_the_last_place_of_an_event_goes_to_one(coach, place, helsinki):
    event = events.create_event(
        staff=coach,
        district=helsinki["central"],
        kind="workshop",
        texts={"title_fi": "Työpaja", "title_sv": "Verkstad", "title_en": "Workshop"},
        begins_at=at(3, 17),
        ends_at=at(3, 19),
        place=place,
        signup_required=True,
        capacity=5,
        publish=True,
        now=NOW,
    )
    people = [UserFactory(email=f"signer{index}@example.fi") for index in range(ATTEMPTS)]

    def attempt(index):
        return events.sign_up(event=event, person=people[index], now=NOW)

    outcomes = at_once(ATTEMPTS, attempt)
    signed = [o for o in outcomes if isinstance(o, EventSignup)]
    refused = [o for o in outcomes if isinstance(o, CoachesError)]
    assert len(signed) == 5, outcomes
    assert len(refused) == ATTEMPTS - 5
    assert {error.code for error in refused} == {"full"}
    event.refresh_from_db()
    assert event.signup_count == 5 == EventSignup.objects.filter(event=event).count()


def test_the_database_refuses_a_count_above_the_capacity(coach, place, helsinki):
    event = Event.objects.create(
        kind="workshop",
        title_fi="Työpaja",
        title_sv="Verkstad",
        title_en="Workshop",
        district=helsinki["central"],
        organiser=coach,
        begins_at=at(3, 17),
        ends_at=at(3, 19),
        place=place,
        signup_required=True,
        capacity=2,
        signup_count=2,
    )
    with pytest.raises(IntegrityError, match="coaches_event_within_capacity"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(signup_count=F("signup_count") + 1)
