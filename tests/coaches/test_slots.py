"""Slots from weekly office hours and the exceptions of single dates, in Helsinki time
across the changes to and from summer time, less booked time."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    CoachProfile,
    OfficeHours,
    OfficeHoursException,
)
from osallistu.coaches.selectors.slots import (
    all_slots,
    cut,
    free_slots,
    local_datetime,
    parse_slot_key,
    slot_key,
    slot_of,
)
from tests.coaches.conftest import MONDAY, NOW, at
from tests.coaches.factories import hours, make_coach

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def starts(slots):
    return [slot.begins_at for slot in slots]


def local_times(slots):
    return [f"{slot.local_begins:%H.%M}" for slot in slots]


def book(coach, slot, *, state=AppointmentState.CONFIRMED, hold_until=None, topic):
    profile = CoachProfile.objects.get(user=coach)
    return Appointment.objects.create(
        coach=coach,
        coach_kind=profile.kind,
        district=coach.roles.first().area,
        begins_at=slot.begins_at,
        ends_at=slot.ends_at,
        place=slot.place,
        name="Someone",
        email="someone@example.fi",
        meeting_language="fi",
        topic=topic,
        state=state,
        hold_until=hold_until,
    )


def test_weekly_hours_are_cut_into_slots_on_their_weekday(coach):
    week = all_slots([coach.pk], MONDAY, MONDAY + datetime.timedelta(days=6))[coach.pk]
    # Tuesday 4 March 2031, 10–12 in Helsinki (UTC+2 in winter): four half-hour slots.
    assert starts(week) == [
        utc(2031, 3, 4, 8, 0),
        utc(2031, 3, 4, 8, 30),
        utc(2031, 3, 4, 9),
        utc(2031, 3, 4, 9, 30),
    ]
    assert all(slot.ends_at - slot.begins_at == datetime.timedelta(minutes=30) for slot in week)


def test_a_slot_that_does_not_fit_whole_is_not_offered(helsinki, place):
    coach = make_coach(helsinki["central"], hours=[hours(1, (10, 0), (11, 40), place, minutes=45)])
    day = MONDAY + datetime.timedelta(days=1)
    assert local_times(all_slots([coach.pk], day, day)[coach.pk]) == ["10.00", "10.45"]


def test_validity_of_weekly_hours(helsinki, place):
    coach = make_coach(
        helsinki["central"],
        hours=[hours(1, (10, 0), (11, 0), place, valid_from=MONDAY + datetime.timedelta(days=7))],
    )
    OfficeHours.objects.filter(coach=coach).update(valid_until=MONDAY + datetime.timedelta(days=14))
    found = all_slots([coach.pk], MONDAY, MONDAY + datetime.timedelta(days=27))[coach.pk]
    assert sorted({slot.local_begins.date() for slot in found}) == [
        MONDAY + datetime.timedelta(days=8)
    ]


def test_an_exception_without_times_closes_the_day_and_others_replace_its_hours(coach, place):
    from tests.coaches.factories import PlaceFactory

    elsewhere = PlaceFactory(name_fi="Stoa")
    tuesday = MONDAY + datetime.timedelta(days=1)
    next_tuesday = tuesday + datetime.timedelta(days=7)
    OfficeHoursException.objects.create(coach=coach, date=tuesday, reason_fi="Koulutus")
    OfficeHoursException.objects.create(
        coach=coach,
        date=next_tuesday,
        begins=datetime.time(14),
        ends=datetime.time(15),
        place=elsewhere,
    )
    OfficeHoursException.objects.create(
        coach=coach,
        date=next_tuesday,
        begins=datetime.time(16),
        ends=datetime.time(16, 30),
        place=elsewhere,
    )
    # An extra day: a Thursday without weekly hours.
    thursday = MONDAY + datetime.timedelta(days=3)
    OfficeHoursException.objects.create(
        coach=coach, date=thursday, begins=datetime.time(9), ends=datetime.time(10), place=place
    )
    found = all_slots([coach.pk], MONDAY, MONDAY + datetime.timedelta(days=13))[coach.pk]
    by_day = {}
    for slot in found:
        by_day.setdefault(slot.local_begins.date(), []).append(f"{slot.local_begins:%H.%M}")
    assert by_day == {
        thursday: ["09.00", "09.30"],
        next_tuesday: ["14.00", "14.30", "16.00"],
    }
    assert {slot.place for slot in found if slot.local_begins.date() == next_tuesday} == {elsewhere}


def test_spring_forward_the_clock_skips_an_hour_and_so_do_the_slots(helsinki, place):
    # Sunday 30 March 2031: at 03.00 the clock goes to 04.00.
    sunday = datetime.date(2031, 3, 30)
    coach = make_coach(helsinki["central"], hours=[hours(6, (2, 0), (5, 0), place)])
    found = all_slots([coach.pk], sunday, sunday)[coach.pk]
    assert local_times(found) == ["02.00", "02.30", "04.00", "04.30"]
    assert starts(found) == [
        utc(2031, 3, 30, 0, 0),
        utc(2031, 3, 30, 0, 30),
        utc(2031, 3, 30, 1, 0),
        utc(2031, 3, 30, 1, 30),
    ]
    assert all(slot.ends_at - slot.begins_at == datetime.timedelta(minutes=30) for slot in found)


def test_a_beginning_the_clock_skips_is_the_moment_after_the_skip(helsinki, place):
    sunday = datetime.date(2031, 3, 30)
    coach = make_coach(helsinki["central"], hours=[hours(6, (3, 30), (5, 0), place)])
    assert local_times(all_slots([coach.pk], sunday, sunday)[coach.pk]) == ["04.30"]


def test_fall_back_the_clock_shows_three_twice_and_both_are_slots(helsinki, place):
    # Sunday 26 October 2031: at 04.00 the clock goes back to 03.00.
    sunday = datetime.date(2031, 10, 26)
    coach = make_coach(helsinki["central"], hours=[hours(6, (2, 0), (5, 0), place)])
    found = all_slots([coach.pk], sunday, sunday)[coach.pk]
    assert local_times(found) == [
        "02.00",
        "02.30",
        "03.00",
        "03.30",
        "03.00",
        "03.30",
        "04.00",
        "04.30",
    ]
    assert starts(found)[2] == utc(2031, 10, 26, 0, 0)  # 03.00 summer time
    assert starts(found)[4] == utc(2031, 10, 26, 1, 0)  # 03.00 winter time
    assert len(set(starts(found))) == 8


def test_the_same_wall_clock_hour_before_and_after_the_change(helsinki, place):
    coach = make_coach(helsinki["central"], hours=[hours(0, (10, 0), (10, 30), place)])
    found = all_slots([coach.pk], datetime.date(2031, 3, 24), datetime.date(2031, 4, 6))[coach.pk]
    # Monday 10.00 in Helsinki: 08.00 UTC in winter, 07.00 UTC in summer.
    assert starts(found) == [utc(2031, 3, 24, 8, 0), utc(2031, 3, 31, 7, 0)]
    assert local_times(found) == ["10.00", "10.00"]


# The time an example takes is not what is tested; a loaded machine is slow.
@settings(deadline=None)
@given(
    day=st.dates(min_value=datetime.date(2031, 3, 25), max_value=datetime.date(2031, 11, 2)),
    begins=st.integers(min_value=0, max_value=22 * 60),
    length=st.integers(min_value=10, max_value=8 * 60),
    minutes=st.sampled_from([10, 15, 20, 30, 45, 60, 90]),
)
def test_cut_gives_whole_slots_of_real_time_in_order(day, begins, length, minutes):
    ends = min(begins + length, 24 * 60 - 1)
    start = local_datetime(day, datetime.time(begins // 60, begins % 60))
    end = local_datetime(day, datetime.time(ends // 60, ends % 60))
    found = cut(start, end, minutes)
    step = datetime.timedelta(minutes=minutes)
    assert all(b - a == step for a, b in found)
    assert all(found[i][1] == found[i + 1][0] for i in range(len(found) - 1))
    assert not found or (found[0][0] == start and found[-1][1] <= end)
    assert (end - (found[-1][1] if found else start)) < step


def test_free_slots_leave_out_booked_time_held_time_and_the_notice(coach, topic):
    profile = CoachProfile.objects.get(user=coach)
    tuesday = all_slots([coach.pk], MONDAY, MONDAY + datetime.timedelta(days=1))[coach.pk]
    book(coach, tuesday[0], topic=topic)
    book(
        coach,
        tuesday[1],
        state=AppointmentState.PENDING,
        hold_until=NOW + datetime.timedelta(minutes=5),
        topic=topic,
    )
    book(
        coach,
        tuesday[2],
        state=AppointmentState.PENDING,
        hold_until=NOW - datetime.timedelta(minutes=1),
        topic=topic,
    )
    book(coach, tuesday[3], state=AppointmentState.CANCELLED, topic=topic)
    free = free_slots([profile], now=NOW)[coach.pk]
    this_week = [
        slot for slot in free if slot.local_begins.date() == MONDAY + datetime.timedelta(days=1)
    ]
    # Booked and held are taken; a hold that ran out and a cancelled meeting are free.
    assert starts(this_week) == [tuesday[2].begins_at, tuesday[3].begins_at]
    # Eight weeks of Tuesdays.
    assert len({slot.local_begins.date() for slot in free}) == 8
    # Booking closes two hours before: at 9.00 on Tuesday only 11.00 and 11.30 are left.
    later = free_slots([profile], now=at(1, 9))[coach.pk]
    assert [s for s in starts(later) if s < at(2, 0)] == [at(1, 11), at(1, 11, 30)]


def test_a_meeting_overlapping_a_slot_takes_it_even_when_it_begins_elsewhere(coach, topic):
    """After the hours changed from 30 to 45 minutes, an old meeting still blocks."""
    profile = CoachProfile.objects.get(user=coach)
    slot = all_slots([coach.pk], MONDAY, MONDAY + datetime.timedelta(days=1))[coach.pk][1]  # 10.30
    book(coach, slot, topic=topic)
    OfficeHours.objects.filter(coach=coach).update(slot_minutes=45)
    free = free_slots([profile], now=NOW)[coach.pk]
    # 10.00–10.45 meets 10.30–11.00; 10.45–11.30 meets it too; 11.30 would end past 12.
    assert not [s for s in free if s.local_begins.date() == MONDAY + datetime.timedelta(days=1)]


def test_free_slots_of_many_coaches_take_four_queries(helsinki, place, django_assert_num_queries):
    profiles = [
        CoachProfile.objects.get(
            user=make_coach(helsinki[slug], hours=[hours(day, (9, 0), (15, 0), place)])
        )
        for day, slug in enumerate(["central", "eastern", "western", "northern"])
    ]
    with django_assert_num_queries(4):
        found = free_slots(profiles, now=NOW)
    # Eight weeks of 9–15 in half hours; on the first Monday, 9.00 and 9.30 are within
    # the two hours' notice of 8.00.
    assert [len(found[profile.user_id]) for profile in profiles] == [8 * 12 - 2, 96, 96, 96]


def test_slot_of_finds_only_real_slots_and_keys_round_trip(coach):
    profile = CoachProfile.objects.get(user=coach)
    slot = slot_of(profile, at(1, 10, 30))
    assert slot is not None and slot.ends_at == at(1, 11)
    assert slot_of(profile, at(1, 10, 15)) is None
    assert slot_of(profile, at(2, 10)) is None
    assert slot_key(slot.begins_at) == "20310304T083000Z"
    assert parse_slot_key(slot.key) == slot.begins_at
    for bad in ("", "2031-03-04T08:30", "20310304T083000", "20311304T083000Z", None):
        assert parse_slot_key(bad) is None
