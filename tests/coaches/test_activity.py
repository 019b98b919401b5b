"""What coaches did, per coach, district and month, for monitoring; companies reached
per district and topic."""

import datetime

import pytest

from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    CoachKind,
    Company,
    CompanyContact,
    ContactRequest,
    Event,
    EventSignup,
)
from osallistu.coaches.selectors import activity, companies_reached
from osallistu.coaches.services import CoachesError, companies
from tests.coaches.conftest import MONDAY, NOW, at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HELD = AppointmentState.HELD


def meeting(coach, district, begins_at, topic, state, place):
    return Appointment.objects.create(
        coach=coach,
        coach_kind=CoachKind.CITY,
        district=district,
        begins_at=begins_at,
        ends_at=begins_at + datetime.timedelta(minutes=30),
        place=place,
        name="A",
        email="a@example.fi",
        meeting_language="fi",
        topic=topic,
        state=state,
        hold_until=begins_at if state == AppointmentState.PENDING else None,
    )


def test_activity_per_coach_district_and_month(coach, place, topic, resident, helsinki):
    central = helsinki["central"]
    # March: two meetings counted (confirmed, held); cancelled, expired, missed ones not.
    for day, state in enumerate(
        [
            AppointmentState.CONFIRMED,
            AppointmentState.HELD,
            AppointmentState.CANCELLED,
            AppointmentState.EXPIRED,
            AppointmentState.NO_SHOW,
        ]
    ):
        meeting(coach, central, at(1 + day, 10 + day), topic, state, place)
    # Months are Helsinki's: 1 April 00.30 there is 31 March 21.30 UTC, and counts in April.
    summer = datetime.timezone(datetime.timedelta(hours=3))
    meeting(
        coach, central, datetime.datetime(2031, 3, 31, 23, 30, tzinfo=summer), topic, HELD, place
    )
    meeting(coach, central, datetime.datetime(2031, 4, 1, 0, 30, tzinfo=summer), topic, HELD, place)
    ContactRequest.objects.create(
        kind="city",
        district=central,
        assigned_to=coach,
        asker=resident,
        topic=topic,
        question="?",
        created_at=NOW,
        updated_at=NOW,
    )
    event = Event.objects.create(
        kind="workshop",
        title_fi="T",
        title_sv="T",
        title_en="T",
        district=central,
        organiser=coach,
        begins_at=at(2, 17),
        ends_at=at(2, 19),
        place=place,
        signup_required=True,
        capacity=10,
        signup_count=2,
        published_at=NOW,
    )
    EventSignup.objects.create(event=event, person=resident)
    EventSignup.objects.create(event=event, person=UserFactory())
    recorded = Event.objects.create(
        kind="resident_evening",
        title_fi="R",
        title_sv="R",
        title_en="R",
        district=central,
        organiser=coach,
        begins_at=at(9, 17),
        ends_at=at(9, 19),
        place=place,
        participants=80,
        published_at=NOW,
    )
    Event.objects.create(
        kind="workshop",
        title_fi="C",
        title_sv="C",
        title_en="C",
        district=central,
        organiser=coach,
        begins_at=at(10, 17),
        ends_at=at(10, 19),
        place=place,
        published_at=NOW,
        cancelled_at=NOW,
    )
    result = activity(first_day=datetime.date(2031, 3, 1), last_day=datetime.date(2031, 4, 30))
    rows = {(row.month, row.coach, row.district): row for row in result.rows}
    march = rows[(datetime.date(2031, 3, 1), coach, central)]
    april = rows[(datetime.date(2031, 4, 1), coach, central)]
    assert (march.requests, march.appointments, march.events, march.participants) == (1, 3, 2, 82)
    assert march.contacts == 4
    assert (april.appointments, april.events) == (1, 0)
    assert result.totals()["appointments"] == 4
    assert recorded.participants == 80
    # Only one district asked for.
    assert (
        activity(
            first_day=MONDAY,
            last_day=MONDAY + datetime.timedelta(days=60),
            district=helsinki["eastern"],
        ).rows
        == []
    )


def test_companies_reached_per_district_and_topic(business_coach, business_topic, helsinki):
    details = {
        "name": "Kahvila Kulma Oy",
        "business_id_value": "0112038-9",
        "sector": "food",
        "district": helsinki["western"],
    }
    for day in (1, 2):
        companies.log_company_contact(
            coach=business_coach,
            company_details=details,
            topic=business_topic,
            channel="phone",
            happened_on=MONDAY - datetime.timedelta(days=day),
            now=NOW,
        )
    companies.log_company_contact(
        coach=business_coach,
        company_details={**details, "business_id_value": "0201256-6", "name": "Toinen Oy"},
        topic=business_topic,
        channel="meeting",
        happened_on=MONDAY,
        now=NOW,
    )
    rows, total = companies_reached(first_day=MONDAY - datetime.timedelta(days=30), last_day=MONDAY)
    assert total == 2 and Company.objects.count() == 2
    ((row,),) = [rows]
    assert (row.district, row.topic, row.companies, row.contacts) == (
        helsinki["western"],
        business_topic,
        2,
        3,
    )
    assert CompanyContact.objects.filter(district=helsinki["western"]).count() == 3


def test_only_business_coaches_log_contacts_and_not_in_the_future(
    coach, business_coach, business_topic, topic, helsinki
):
    details = {
        "name": "Kahvila Kulma Oy",
        "business_id_value": "0112038-9",
        "sector": "food",
        "district": helsinki["western"],
    }
    for staff, code, extra in [
        (coach, "not_allowed", {}),
        (business_coach, "topic_not_offered", {"topic": topic}),
        (business_coach, "in_future", {"happened_on": MONDAY + datetime.timedelta(days=1)}),
        (business_coach, "too_old", {"happened_on": MONDAY - datetime.timedelta(days=400)}),
        (business_coach, "invalid_channel", {"channel": "pigeon"}),
    ]:
        arguments = {
            "coach": staff,
            "company_details": details,
            "topic": business_topic,
            "channel": "phone",
            "happened_on": MONDAY,
            "now": NOW,
            **extra,
        }
        with pytest.raises(CoachesError) as caught:
            companies.log_company_contact(**arguments)
        assert caught.value.code == code
    assert not Company.objects.exists()
