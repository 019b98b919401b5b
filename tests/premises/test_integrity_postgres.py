"""No double booking on PostgreSQL: the exclusion constraint itself, and fifty people
trying for one slot at the same moment (threads, each with its own connection)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from osallistu.premises import services
from osallistu.premises.models import Booking, BookingState
from osallistu.premises.services import BookingError
from tests.concurrency import at_once
from tests.factories import UserFactory
from tests.premises.conftest import NOW, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 50


def row(space, begins_at, ends_at, *, before=0, after=0, kind="booking", state="confirmed"):
    """Insert straight into the table, past every service check."""
    from datetime import timedelta

    return Booking.objects.create(
        space=space,
        kind=kind,
        booker=UserFactory() if kind == "booking" else None,
        begins_at=begins_at,
        ends_at=ends_at,
        occupied_from=begins_at - timedelta(minutes=before),
        occupied_until=ends_at + timedelta(minutes=after),
        state=state,
        price=Decimal(0),
    )


def refused_by_constraint(*args, **kwargs):
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        row(*args, **kwargs)


def test_constraint_refuses_overlaps_buffers_included(space):
    row(space, at(1, 10), at(1, 12), after=30)  # occupies 10:00–12:30
    refused_by_constraint(space, at(1, 12), at(1, 13))
    refused_by_constraint(space, at(1, 13), at(1, 14), before=31)
    refused_by_constraint(space, at(1, 9), at(1, 11))
    # Touching is not overlapping: [10:00, 12:30) and [12:30, …).
    row(space, at(1, 12, 30), at(1, 13, 30))
    row(space, at(1, 8), at(1, 10))


def test_constraint_covers_blocked_time_and_only_active_rows(space):
    row(space, at(1, 8), at(1, 12), kind="blocked")
    refused_by_constraint(space, at(1, 11), at(1, 13))
    for state in (BookingState.CANCELLED, BookingState.DENIED):
        row(space, at(1, 11), at(1, 13), state=state)
    refused_by_constraint(space, at(1, 9), at(1, 10), state=BookingState.REQUIRES_HANDLING)
    # Another space is another matter.
    from tests.premises.factories import SpaceFactory

    row(SpaceFactory(unit=space.unit), at(1, 8), at(1, 12))


def test_when_the_check_is_skipped_the_constraint_still_answers_already_booked(space, monkeypatch):
    services.create_booking(
        space=space,
        booker=UserFactory(),
        begins_at=at(1, 10),
        ends_at=at(1, 12),
        attendees=2,
        now=NOW,
    )
    monkeypatch.setattr(services, "check_not_booked", lambda *args, **kwargs: None)
    with pytest.raises(BookingError) as caught:
        services.create_booking(
            space=space,
            booker=UserFactory(),
            begins_at=at(1, 11),
            ends_at=at(1, 13),
            attendees=2,
            now=NOW,
        )
    assert caught.value.code == "already_booked"
    assert Booking.objects.count() == 1


def test_fifty_simultaneous_attempts_at_one_slot_give_one_booking(space):
    people = [UserFactory() for _ in range(ATTEMPTS)]

    def attempt(index):
        return services.create_booking(
            space=space,
            booker=people[index],
            begins_at=at(1, 17),
            ends_at=at(1, 19),
            attendees=10,
            now=NOW,
        )

    outcomes = at_once(ATTEMPTS, attempt)
    booked = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, BookingError)]
    assert len(booked) == 1, outcomes
    assert len(refused) == ATTEMPTS - 1, [o for o in outcomes if not isinstance(o, Booking)]
    assert {error.code for error in refused} == {"already_booked"}
    with translation.override("fi"):
        assert {str(error) for error in refused} == {
            "Joku on jo varannut tämän ajan. Valitse toinen aika."
        }
    assert Booking.objects.active().filter(space=space).count() == 1
