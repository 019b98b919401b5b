import datetime

import pytest

from osallistu.coaches.models import CoachKind
from osallistu.coaches.selectors.slots import local_datetime
from tests.coaches.factories import PlaceFactory, TopicFactory, hours, make_coach
from tests.factories import UserFactory

# A Monday morning; tests pass it to services and selectors as ``now``.
MONDAY = datetime.date(2031, 3, 3)
NOW = local_datetime(MONDAY, datetime.time(8, 0))


def at(day_offset, hour, minute=0):
    """The instant ``day_offset`` days after MONDAY at hour:minute in Helsinki."""
    return local_datetime(MONDAY + datetime.timedelta(days=day_offset), datetime.time(hour, minute))


@pytest.fixture
def place(helsinki):
    return PlaceFactory()


@pytest.fixture
def topic(helsinki):
    return TopicFactory()


@pytest.fixture
def business_topic(helsinki):
    return TopicFactory(
        slug="permits",
        audience=CoachKind.BUSINESS,
        name_fi="Luvat",
        name_sv="Tillstånd",
        name_en="Permits",
    )


@pytest.fixture
def coach(helsinki, place):
    """The Central district's city coach: Tuesdays 10–12 at a library, 30-minute slots."""
    return make_coach(
        helsinki["central"],
        email="coach@example.fi",
        hours=[hours(1, (10, 0), (12, 0), place)],
    )


@pytest.fixture
def business_coach(helsinki, place):
    """Business coach of Central and Western: Wednesdays 9–12, 45-minute meetings."""
    return make_coach(
        [helsinki["central"], helsinki["western"]],
        kind=CoachKind.BUSINESS,
        email="business@example.fi",
        hours=[hours(2, (9, 0), (12, 0), place, minutes=45)],
    )


@pytest.fixture
def resident(helsinki):
    return UserFactory(
        email="resident@example.fi",
        full_name="Rita Resident",
        preferred_language="sv",
        district=helsinki["central"],
    )
