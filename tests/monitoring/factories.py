"""Hand-built participation with known answers.

Population (2025, everyone from the age of 0, bands that fit the age groups):
Eastern 1,500, Western 600 and Central 900 residents aged 12 and over; the other
districts have no figures. Votes of one round in 2025, with the district and age group
each participation kept:

- Eastern: 12 aged 30–49 online, 3 aged 18–29 online (a small cell)
- Western: 4 aged 65+ online and 2 assisted
- Central: nobody
- district not known: 1, age not known
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from osallistu.areas.models import Population
from osallistu.budgeting.models import Channel, Participation
from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    CoachKind,
    ContactRequest,
    Event,
    EventSignup,
)
from osallistu.feedback.models import ApiKey, Status
from osallistu.volunteering.models import Shift, SignUp, Theme
from tests.budgeting.factories import RoundFactory
from tests.coaches.factories import PlaceFactory, TopicFactory, make_coach
from tests.factories import DivisionFactory, UserFactory
from tests.feedback.factories import FeedbackFactory, ServiceCategoryFactory
from tests.volunteering.factories import OpportunityFactory, ShiftFactory

BANDS = ((0, 11), (12, 17), (18, 29), (30, 49), (50, 64), (65, None))
# residents aged 12 and over per district, split evenly over the five bands from 12
POPULATION_12_AND_OVER = {"eastern": 1500, "western": 600, "central": 900}


def at(year, month=6, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def populate(helsinki, year=2025, per_district=None):
    for slug, residents in (per_district or POPULATION_12_AND_OVER).items():
        for age_from, age_to in BANDS:
            count = 0 if age_from == 0 else residents // 5
            Population.objects.create(
                year=year,
                area=helsinki[slug],
                age_from=age_from,
                age_to=age_to,
                count=count,
                approximate=True,
            )
    city_total = sum((per_district or POPULATION_12_AND_OVER).values())
    for age_from, age_to in BANDS:
        Population.objects.create(
            year=year,
            area=helsinki["city"],
            age_from=age_from,
            age_to=age_to,
            count=0 if age_from == 0 else city_total // 5,
            approximate=True,
        )


def vote(round, *, district, age_group, channel=Channel.ONLINE, when=None, staff=None):
    return Participation.objects.create(
        round=round,
        voter=UserFactory(),
        channel=channel,
        recorded_by=staff if channel != Channel.ONLINE else None,
        home_district=district,
        age_group=age_group,
        voted_at=when or at(2025),
    )


def build_known(helsinki):
    """The votes and population of the module docstring; returns the round."""
    populate(helsinki)
    round = RoundFactory(slug="omastadi-2025")
    staff = UserFactory(is_staff=True)
    for _n in range(12):
        vote(round, district=helsinki["eastern"], age_group="30-49")
    for _n in range(3):
        vote(round, district=helsinki["eastern"], age_group="18-29")
    for _n in range(4):
        vote(round, district=helsinki["western"], age_group="65-")
    for _n in range(2):
        vote(
            round,
            district=helsinki["western"],
            age_group="65-",
            channel=Channel.ASSISTED,
            staff=staff,
        )
    vote(round, district=None, age_group="")
    return round


# Feedback, coaches and volunteering (``test_indicators_services``)

DAY = datetime.timedelta(days=1)


def build_feedback(helsinki):
    """2025: Central 7 pieces through the form of the streets division (5 answered in
    two days, one in ten, one never); Western 2 through an application for the parks
    division, both closed in three days."""
    streets = ServiceCategoryFactory(
        division=DivisionFactory(slug="streets", name_fi="Katu", name_en="Streets")
    )
    parks = ServiceCategoryFactory(
        code="211", division=DivisionFactory(slug="parks", name_fi="Puisto", name_en="Parks")
    )
    sent = at(2025, 3, 2)
    for answered in [2 * DAY] * 5 + [10 * DAY, None]:
        FeedbackFactory(
            service=streets,
            district=helsinki["central"],
            requested_at=sent,
            answered_at=sent + answered if answered else None,
            status=Status.IN_HANDLING if answered else Status.RECEIVED,
        )
    application = ApiKey.objects.create(name="Palvelukartta", prefix="abc", digest="0" * 64)
    for _n in range(2):
        FeedbackFactory(
            service=parks,
            district=helsinki["western"],
            api_key=application,
            requested_at=sent,
            closed_at=sent + 3 * DAY,
            status=Status.DONE,
        )
    return helsinki


def build_coaching(helsinki):
    """2031: Central's coach had 4 contact requests and 2 meetings held, and held two
    events (80 people recorded, and 2 signed up); Eastern's coach 1 contact request."""
    central, eastern = helsinki["central"], helsinki["eastern"]
    place, topic = PlaceFactory(), TopicFactory()
    anna = make_coach(central, email="anna@example.fi")
    eero = make_coach(eastern, email="eero@example.fi")
    for coach, name in ((anna, "Anna Luotsi"), (eero, "Eero Luotsi")):
        coach.full_name = name
        coach.save(update_fields=["full_name"])
    when = at(2031, 3, 4)
    for coach, district, count in ((anna, central, 4), (eero, eastern, 1)):
        for _n in range(count):
            ContactRequest.objects.create(
                kind=CoachKind.CITY,
                district=district,
                assigned_to=coach,
                asker=UserFactory(),
                topic=topic,
                question="?",
                created_at=when,
                updated_at=when,
            )
    for hour in (10, 11):
        begins = when.replace(hour=hour)
        Appointment.objects.create(
            coach=anna,
            coach_kind=CoachKind.CITY,
            district=central,
            begins_at=begins,
            ends_at=begins + datetime.timedelta(minutes=30),
            place=place,
            name="A",
            email="a@example.fi",
            meeting_language="fi",
            topic=topic,
            state=AppointmentState.HELD,
        )
    for participants in (80, None):
        event = Event.objects.create(
            kind="workshop",
            title_fi="T",
            title_sv="T",
            title_en="T",
            district=central,
            organiser=anna,
            begins_at=when.replace(hour=17),
            ends_at=when.replace(hour=19),
            place=place,
            participants=participants,
            published_at=when,
        )
    for _n in range(2):
        EventSignup.objects.create(event=event, person=UserFactory())
    return helsinki


def volunteer(shift, age, hours):
    SignUp.objects.create(
        shift=shift,
        volunteer=UserFactory(),
        name="x",
        age=age,
        status=SignUp.Status.CONFIRMED,
        created_at=shift.starts_at - 5 * DAY,
        attendance=SignUp.Attendance.ATTENDED,
        hours=Decimal(hours),
        guardian_email="guardian@example.fi" if age < 18 else "",
        guardian_confirmed_at=shift.starts_at - 4 * DAY if age < 18 else None,
    )
    Shift.objects.filter(pk=shift.pk).update(taken=shift.signups.count())


def build_volunteering(helsinki):
    """2025: Central's shift (10 places; themes environment and children): 5 volunteers
    aged 30 for 3 hours, 2 aged 15 for 2 hours; Eastern's (5 places; environment): one
    aged 70 for 1 hour, and one cancelled shift."""
    environment = Theme.objects.create(
        slug="monitoring-environment", name_fi="Ympäristö", name_en="Environment"
    )
    children = Theme.objects.create(
        slug="monitoring-children", name_fi="Lapset", name_en="Children"
    )
    central = OpportunityFactory(district=helsinki["central"])
    central.themes.set([environment, children])
    eastern = OpportunityFactory(district=helsinki["eastern"])
    eastern.themes.set([environment])
    central_shift = ShiftFactory(opportunity=central, starts_at=at(2025, 5, 10), capacity=10)
    for age, hours in [(30, 3)] * 5 + [(15, 2)] * 2:
        volunteer(central_shift, age, hours)
    volunteer(ShiftFactory(opportunity=eastern, starts_at=at(2025, 5, 11), capacity=5), 70, 1)
    ShiftFactory(
        opportunity=eastern, starts_at=at(2025, 5, 12), capacity=50, status=Shift.Status.CANCELLED
    )
    return helsinki
