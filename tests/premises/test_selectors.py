"""The availability search, the week calendar, the staff's views and usage figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from osallistu.premises import selectors, services
from osallistu.premises.models import OpeningException
from tests.factories import UserFactory
from tests.premises.conftest import MONDAY, NOW, at
from tests.premises.factories import EquipmentFactory, PurposeFactory, SpaceFactory, UnitFactory

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + datetime.timedelta(days=1)


def search(**kwargs):
    kwargs.setdefault("day", TUESDAY)
    kwargs.setdefault("now", NOW)
    return selectors.search_availability(**kwargs)


def starts(result):
    return [f"{slot.begins_at.astimezone(selectors.CITY_TZ):%H:%M}" for slot in result.slots]


def test_search_finds_a_room_for_twenty_with_a_projector_on_an_evening(space, helsinki):
    SpaceFactory(capacity=10).equipment.add(EquipmentFactory())  # too small
    SpaceFactory(capacity=30)  # no projector
    SpaceFactory(unit=UnitFactory(district=helsinki["eastern"]), capacity=30).equipment.add(
        EquipmentFactory()
    )  # another district
    services.create_booking(
        space=space,
        booker=UserFactory(),
        begins_at=at(1, 17),
        ends_at=at(1, 18),
        attendees=5,
        now=NOW,
    )
    found = search(
        district=helsinki["central"],
        people=20,
        equipment=[EquipmentFactory()],
        time_from=datetime.time(17),
        time_until=datetime.time(21),
        duration_minutes=120,
    )
    assert [result.space for result in found] == [space]
    assert starts(found[0]) == ["18:00", "18:30", "19:00"]


def test_search_respects_buffers_slots_and_purpose(space, helsinki):
    space.buffer_after_minutes = 30
    space.save()
    services.create_booking(
        space=space,
        booker=UserFactory(),
        begins_at=at(1, 10),
        ends_at=at(1, 11),
        attendees=5,
        now=NOW,
    )
    found = search(
        time_from=datetime.time(8), time_until=datetime.time(13), purpose=PurposeFactory()
    )
    # 9:00–10:00 would run its buffer into the booking; 11:00 meets the booking's buffer.
    assert starts(found[0]) == ["08:00", "08:30", "11:30", "12:00"]
    assert search(purpose=PurposeFactory(slug="party", name_fi="Juhla")) == []


def test_search_by_accessibility(space):
    assert search(accessibility=["step_free"])
    assert search(accessibility=["induction_loop"]) == []
    space.induction_loop = True
    space.save()
    assert search(accessibility=["induction_loop", "accessible_toilet"])


def test_search_leaves_out_closed_spaces_past_times_and_far_days(space):
    OpeningException.objects.create(unit=space.unit, date=TUESDAY)
    assert search() == []
    today = search(day=MONDAY, time_until=datetime.time(11))
    assert starts(today[0]) == ["09:00", "09:30", "10:00"]
    assert search(day=MONDAY + datetime.timedelta(days=91)) == []


def test_search_takes_few_queries_for_many_spaces(space, helsinki):
    for _ in range(30):
        SpaceFactory()
    with CaptureQueriesContext(connection) as queries:
        found = search(people=5)
    assert len(found) == 31 and found.total == 31
    assert len(queries) == 5
    page = search(people=5, offset=10, limit=10)
    assert len(page) == 10 and page.total == 31
    assert [r.space for r in page] == [r.space for r in found[10:20]]


def test_slots_follow_the_wall_clock_on_the_day_clocks_change(space, booker):
    # Summer time begins on Sunday 30 March 2031 at 03:00, which becomes 04:00.
    day = datetime.date(2031, 3, 30)
    space.slot_minutes, space.min_minutes = 45, 90
    space.save()
    found = search(day=day, time_until=datetime.time(11), now=NOW)
    assert starts(found[0]) == ["08:15", "09:00"]
    slot = found[0].slots[0]
    booking = services.create_booking(
        space=space,
        booker=booker,
        begins_at=slot.begins_at,
        ends_at=slot.ends_at,
        attendees=2,
        now=NOW,
    )
    assert booking.pk


def test_week_calendar_shows_busy_time_and_whose_it_is(space, booker):
    own = services.create_booking(
        space=space, booker=booker, begins_at=at(1, 10), ends_at=at(1, 12), attendees=5, now=NOW
    )
    services.create_booking(
        space=space,
        booker=UserFactory(),
        begins_at=at(2, 10),
        ends_at=at(2, 12),
        attendees=5,
        now=NOW,
    )
    OpeningException.objects.create(unit=space.unit, date=MONDAY + datetime.timedelta(days=6))
    week = selectors.week_calendar(space, MONDAY, user=booker, now=NOW)
    assert [day.date for day in week.days] == [MONDAY + datetime.timedelta(n) for n in range(7)]
    tuesday, wednesday, sunday = week.days[1], week.days[2], week.days[6]
    assert tuesday.busy[0].is_own and tuesday.busy[0].booking_id == own.pk
    assert not wednesday.busy[0].is_own and wednesday.busy[0].booking_id is None
    assert sunday.is_closed and sunday.free_slots == []
    assert at(1, 10) not in [slot.begins_at for slot in tuesday.free_slots]
    assert week.next_week == MONDAY + datetime.timedelta(days=7)


def test_staff_queue_and_day_schedule(space, booker, manager, helsinki):
    space.confirmation = "handled"
    space.save()
    waiting = services.create_booking(
        space=space, booker=booker, begins_at=at(1, 10), ends_at=at(1, 12), attendees=5, now=NOW
    )
    other_district = SpaceFactory(
        unit=UnitFactory(district=helsinki["eastern"]), confirmation="handled"
    )
    services.create_booking(
        space=other_district,
        booker=UserFactory(),
        begins_at=at(1, 10),
        ends_at=at(1, 12),
        attendees=5,
        now=NOW,
    )
    assert list(selectors.handling_queue(manager)) == [waiting]
    schedule = selectors.unit_day_schedule(space.unit, TUESDAY)
    assert schedule[0][0] == space and schedule[0][2] == [waiting]
    assert selectors.can_manage(manager, space.unit)
    assert not selectors.can_manage(manager, other_district.unit)
    assert not selectors.can_manage(booker, space.unit)


def test_usage_figures_by_space_district_and_purpose(space, helsinki, manager):
    meeting = PurposeFactory()
    east = SpaceFactory(unit=UnitFactory(district=helsinki["eastern"]))
    east.purposes.add(meeting)
    people = [UserFactory() for _ in range(4)]
    services.create_booking(
        space=space,
        booker=people[0],
        begins_at=at(1, 10),
        ends_at=at(1, 12),
        attendees=5,
        purpose=meeting,
        now=NOW,
    )
    services.create_booking(
        space=space,
        booker=people[1],
        begins_at=at(1, 13),
        ends_at=at(1, 14, 30),
        attendees=5,
        now=NOW,
    )
    services.create_booking(
        space=east,
        booker=people[2],
        begins_at=at(2, 10),
        ends_at=at(2, 11),
        attendees=5,
        purpose=meeting,
        now=NOW,
    )
    cancelled = services.create_booking(
        space=east,
        booker=people[3],
        begins_at=at(3, 10),
        ends_at=at(3, 14),
        attendees=5,
        now=NOW,
    )
    services.cancel_booking(booking=cancelled, user=people[3], now=NOW)
    services.block_time(
        space=space,
        staff=manager,
        begins_at=at(4, 8),
        ends_at=at(4, 20),
        reason="Huolto",
        now=NOW,
    )
    # Outside the period.
    services.create_booking(
        space=space,
        booker=people[3],
        begins_at=at(9, 10),
        ends_at=at(9, 12),
        attendees=5,
        now=NOW,
    )

    figures = selectors.usage_figures(first_day=MONDAY, last_day=MONDAY + datetime.timedelta(6))
    assert [(row.key, row.bookings, row.hours) for row in figures.by_space] == [
        (space, 2, 3.5),
        (east, 1, 1.0),
    ]
    assert [(row.key, row.hours) for row in figures.by_district] == [
        (helsinki["central"], 3.5),
        (helsinki["eastern"], 1.0),
    ]
    assert [(row.key, row.hours) for row in figures.by_purpose] == [(meeting, 3.0), (None, 1.5)]
    assert figures.total_hours == 4.5 and figures.total_bookings == 3
    eastern = selectors.usage_figures(
        first_day=MONDAY, last_day=MONDAY + datetime.timedelta(6), district=helsinki["eastern"]
    )
    assert eastern.total_hours == 1.0
