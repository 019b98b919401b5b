"""A coach keeps their office hours and exceptions; a change never strands a booked
meeting; only the coach (or a city administrator) changes them."""

import datetime

import pytest

from osallistu.accounts.models import StaffRole
from osallistu.coaches.models import OfficeHours, OfficeHoursException
from osallistu.coaches.services import CoachesError, appointments, hours
from tests.coaches.conftest import MONDAY, NOW, at
from tests.coaches.factories import make_coach
from tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db
T = datetime.time


def refused(code, function, **kwargs):
    with pytest.raises(CoachesError) as caught:
        function(**kwargs)
    assert caught.value.code == code, caught.value.message


def add(staff, coach, place, **extra):
    arguments = {
        "staff": staff,
        "coach": coach,
        "weekday": 3,
        "begins": T(9),
        "ends": T(11),
        "slot_minutes": 30,
        "place": place,
        "valid_from": MONDAY,
        "now": NOW,
    }
    arguments.update(extra)
    return hours.add_office_hours(**arguments)


def test_weekly_hours_are_checked(coach, place):
    assert add(coach, coach, place).weekday == 3
    refused("overlaps", add, staff=coach, coach=coach, place=place, begins=T(10), ends=T(12))
    assert add(coach, coach, place, begins=T(11), ends=T(12))  # touching is fine
    refused(
        "invalid_times",
        add,
        staff=coach,
        coach=coach,
        place=place,
        weekday=4,
        begins=T(12),
        ends=T(11),
    )
    refused(
        "shorter_than_slot", add, staff=coach, coach=coach, place=place, weekday=4, ends=T(9, 20)
    )
    refused("invalid_slot", add, staff=coach, coach=coach, place=place, weekday=4, slot_minutes=5)
    refused(
        "in_past",
        add,
        staff=coach,
        coach=coach,
        place=place,
        weekday=4,
        valid_from=MONDAY - datetime.timedelta(days=1),
    )
    # The same weekday in a later period does not overlap.
    OfficeHours.objects.filter(coach=coach, weekday=3).update(
        valid_until=MONDAY + datetime.timedelta(days=30)
    )
    assert add(coach, coach, place, valid_from=MONDAY + datetime.timedelta(days=31))


def test_only_the_coach_or_a_city_admin_keeps_the_hours(coach, place, helsinki):
    other = make_coach(helsinki["eastern"])
    refused("not_allowed", add, staff=other, coach=coach, place=place)
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    assert add(admin, coach, place)


def test_a_closed_day_is_refused_while_meetings_are_booked_on_it(
    coach, place, resident, topic, helsinki
):
    tuesday = MONDAY + datetime.timedelta(days=1)
    meeting = appointments.book_appointment(
        coach=coach,
        district=helsinki["central"],
        begins_at=at(1, 10),
        topic=topic,
        meeting_language="fi",
        person=resident,
        now=NOW,
    )
    refused(
        "appointments_booked", hours.add_exception, staff=coach, coach=coach, date=tuesday, now=NOW
    )
    assert not OfficeHoursException.objects.exists()
    # Other hours that still have a slot at 10.00 are fine.
    hours.add_exception(
        staff=coach, coach=coach, date=tuesday, begins=T(10), ends=T(11), place=place, now=NOW
    )
    appointments.cancel_appointment(appointment=meeting, now=NOW)
    OfficeHoursException.objects.all().delete()
    closed = hours.add_exception(
        staff=coach,
        coach=coach,
        date=tuesday,
        reasons={"reason_fi": "Loma", "reason_sv": "Ledig"},
        now=NOW,
    )
    assert closed.is_closed and closed.reason_sv == "Ledig"
    refused(
        "day_closed",
        hours.add_exception,
        staff=coach,
        coach=coach,
        date=tuesday,
        begins=T(14),
        ends=T(15),
        place=place,
        now=NOW,
    )


def test_exceptions_of_one_day_do_not_overlap_and_are_not_in_the_past(coach, place):
    thursday = MONDAY + datetime.timedelta(days=3)
    hours.add_exception(
        staff=coach, coach=coach, date=thursday, begins=T(9), ends=T(11), place=place, now=NOW
    )
    refused(
        "overlaps",
        hours.add_exception,
        staff=coach,
        coach=coach,
        date=thursday,
        begins=T(10),
        ends=T(12),
        place=place,
        now=NOW,
    )
    refused(
        "day_has_exceptions", hours.add_exception, staff=coach, coach=coach, date=thursday, now=NOW
    )
    refused(
        "in_past",
        hours.add_exception,
        staff=coach,
        coach=coach,
        date=MONDAY - datetime.timedelta(days=1),
        now=NOW,
    )
    refused(
        "place_required",
        hours.add_exception,
        staff=coach,
        coach=coach,
        date=thursday,
        begins=T(13),
        ends=T(14),
        now=NOW,
    )
    refused(
        "reason_too_long",
        hours.add_exception,
        staff=coach,
        coach=coach,
        date=thursday,
        reasons={"reason_fi": "x" * 151},
        now=NOW,
    )


def test_removing_an_exception_gives_the_day_its_weekly_hours_unless_that_strands_a_meeting(
    coach, place, resident, topic, helsinki
):
    tuesday = MONDAY + datetime.timedelta(days=1)
    special = hours.add_exception(
        staff=coach, coach=coach, date=tuesday, begins=T(15), ends=T(16), place=place, now=NOW
    )
    appointments.book_appointment(
        coach=coach,
        district=helsinki["central"],
        begins_at=at(1, 15),
        topic=topic,
        meeting_language="fi",
        person=resident,
        now=NOW,
    )
    number = special.pk
    refused("appointments_booked", hours.remove_exception, staff=coach, exception=special, now=NOW)
    assert OfficeHoursException.objects.filter(pk=number).exists()


def test_ending_weekly_hours(coach, resident, topic, helsinki):
    row = OfficeHours.objects.get(coach=coach)
    appointments.book_appointment(
        coach=coach,
        district=helsinki["central"],
        begins_at=at(15, 10),
        topic=topic,
        meeting_language="fi",
        person=resident,
        now=NOW,
    )
    refused(
        "appointments_booked",
        hours.end_office_hours,
        staff=coach,
        hours=row,
        last_day=MONDAY + datetime.timedelta(days=10),
        now=NOW,
    )
    hours.end_office_hours(
        staff=coach, hours=row, last_day=MONDAY + datetime.timedelta(days=20), now=NOW
    )
    row.refresh_from_db()
    assert row.valid_until == MONDAY + datetime.timedelta(days=20)
    refused(
        "already_ends",
        hours.end_office_hours,
        staff=coach,
        hours=row,
        last_day=MONDAY + datetime.timedelta(days=25),
        now=NOW,
    )
