"""The demo coaches: seven city coaches and three business coaches with office hours,
a month of booked and free slots, requests in every state, events across districts,
and a second run that changes nothing."""

import datetime

import pytest
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    CoachKind,
    CoachProfile,
    CompanyContact,
    ContactRequest,
    Event,
    OfficeHours,
    RequestStatus,
)
from osallistu.coaches.selectors.slots import free_slots
from osallistu.demo.coaches import build_coaches
from osallistu.demo.people import build_people
from osallistu.demo.premises import build_premises

pytestmark = pytest.mark.django_db


def test_demo_coaches(helsinki):
    today = timezone.localdate()
    now = timezone.now()
    build_people(today=today)
    build_premises(today)
    lines, counts = build_coaches(today)
    assert build_coaches(today) == (lines, counts)

    profiles = list(CoachProfile.objects.select_related("user"))
    city = [p for p in profiles if p.kind == CoachKind.CITY]
    business = [p for p in profiles if p.kind == CoachKind.BUSINESS]
    assert len(city) == 7 and len(business) == 3
    districts = {slug for slug in helsinki if slug != "city"}
    coached = set(
        StaffRole.objects.filter(
            role=StaffRole.Role.CITY_COACH, user__coach_profile__isnull=False
        ).values_list("area__slug", flat=True)
    )
    assert coached == districts
    assert (
        set(
            StaffRole.objects.filter(role=StaffRole.Role.BUSINESS_COACH).values_list(
                "area__slug", flat=True
            )
        )
        == districts
    )
    assert all(OfficeHours.objects.filter(coach=p.user).count() == 2 for p in profiles)

    # A month of booked and free slots ahead, and a month of meetings behind.
    month = now + datetime.timedelta(days=30)
    ahead = Appointment.objects.filter(begins_at__gt=now, begins_at__lt=month)
    assert ahead.filter(state=AppointmentState.CONFIRMED).count() > 50
    free = free_slots(profiles, now=now)
    assert all(any(slot.begins_at < month for slot in free[p.user_id]) for p in profiles)
    assert Appointment.objects.filter(begins_at__lt=now, state=AppointmentState.HELD).count() > 50
    assert {a.state for a in Appointment.objects.all()} == set(AppointmentState.values)

    assert set(ContactRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert ContactRequest.objects.filter(handovers__isnull=False).exists()
    assert CompanyContact.objects.count() > 30

    events = Event.objects.published()
    assert {event.district.slug for event in events} >= districts | {"helsinki"}
    assert events.filter(signup_required=True, signup_count__gt=0).exists()
    assert events.filter(cancelled_at__isnull=False).exists()
    assert events.filter(participants__isnull=False).exists()
    assert events.filter(space_booking__isnull=False).exists()
