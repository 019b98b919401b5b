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

from django.utils import timezone

from osallistu.areas.models import Population
from osallistu.budgeting.models import Channel, Participation
from tests.budgeting.factories import RoundFactory
from tests.factories import UserFactory

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
