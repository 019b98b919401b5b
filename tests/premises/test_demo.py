"""The demo premises: about forty spaces in every district, a season of bookings that
never overlap, the tour's bookings, and a second run that changes nothing."""

import datetime
import itertools
from collections import defaultdict

import pytest

from osallistu.demo.people import build_people
from osallistu.demo.premises import build_premises
from osallistu.premises.models import Booking, BookingSeries, BookingState, Space, UnitType

pytestmark = pytest.mark.django_db


def test_demo_premises_are_built_once_and_never_double_booked(helsinki):
    today = datetime.date.today()
    build_people(today=today)
    summary = build_premises(today)
    assert summary == build_premises(today)

    spaces = Space.objects.select_related("unit")
    assert 35 <= spaces.count() <= 50
    assert {space.unit.district.slug for space in spaces} == {
        key for key in helsinki if key != "city"
    }
    assert {space.unit.type for space in spaces} >= {
        UnitType.LIBRARY,
        UnitType.YOUTH_CENTRE,
        UnitType.SCHOOL,
        UnitType.RESIDENTS_HOUSE,
    }
    assert all(space.name_sv and space.name_en for space in spaces)

    bookings = Booking.objects.bookings()
    assert bookings.count() > 3000
    assert bookings.filter(begins_at__date__lt=today).exists()
    assert bookings.filter(begins_at__date__gt=today).exists()
    assert bookings.filter(state=BookingState.REQUIRES_HANDLING).exists()
    assert bookings.filter(booker__email="aino.virtanen@example.fi").exists()
    assert BookingSeries.objects.filter(booker__email="mats.lindqvist@example.fi").exists()
    assert Booking.objects.blocked().exists()

    occupied = defaultdict(list)
    for space_id, begins, ends in Booking.objects.active().values_list(
        "space_id", "occupied_from", "occupied_until"
    ):
        occupied[space_id].append((begins, ends))
    for intervals in occupied.values():
        intervals.sort()
        for (_b1, e1), (b2, _e2) in itertools.pairwise(intervals):
            assert e1 <= b2
