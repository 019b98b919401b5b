"""Population figures by year, area, age band and gender, and the number of residents
entitled to vote in municipal elections: the one source that initiatives and
monitoring read."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from osallistu.areas.helsinki import AGE_STRUCTURE, DISTRICTS, load_helsinki_population
from osallistu.areas.models import EntitledVoters, Gender, Population
from osallistu.areas.selectors import entitled_voters, population, population_years

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def band(area, year, age_from, age_to, count, gender=Gender.ALL, approximate=False):
    return Population.objects.create(
        area=area,
        year=year,
        age_from=age_from,
        age_to=age_to,
        gender=gender,
        count=count,
        approximate=approximate,
    )


def test_population_sums_the_bands_within_the_ages_asked_for(helsinki):
    city = helsinki["city"]
    band(city, 2024, 0, 17, 100)
    band(city, 2024, 18, 64, 700)
    band(city, 2024, 65, None, 200)
    band(city, 2024, 18, 64, 360, gender=Gender.FEMALE)

    assert population(area=city).count == 1000
    assert population(area=city, age_from=18).count == 900
    assert population(area=city, age_from=18, age_to=64).count == 700
    assert population(area=city, age_to=17).count == 100
    assert population(area=city, age_from=18, gender=Gender.FEMALE).count == 360
    # A band reaching past the ages asked for is not counted in part.
    assert population(area=city, age_from=18, age_to=30) is None
    assert population(area=helsinki["eastern"]) is None


def test_the_latest_year_up_to_the_one_asked_for(helsinki):
    city = helsinki["city"]
    band(city, 2022, 0, None, 600)
    band(city, 2024, 0, None, 650, approximate=True)

    assert population(area=city).year == 2024
    latest = population(area=city, year=2023)
    assert (latest.year, latest.count, latest.approximate) == (2022, 600, False)
    assert population(area=city, year=2021) is None
    assert population_years() == [2024, 2022]


def test_overlapping_bands_are_refused_with_a_message(helsinki):
    city = helsinki["city"]
    band(city, 2024, 18, 29, 10)
    band(city, 2024, 65, None, 10)
    for age_from, age_to in ((20, 40), (10, 18), (0, None), (70, 80), (29, 29)):
        figure = Population(area=city, year=2024, age_from=age_from, age_to=age_to, count=1)
        with pytest.raises(ValidationError, match="overlaps"):
            figure.full_clean()
    # Touching bands, another gender, another year or area are fine.
    for kwargs in (
        {"age_from": 30, "age_to": 64},
        {"age_from": 0, "age_to": 17},
        {"age_from": 20, "age_to": 40, "gender": Gender.MALE},
        {"age_from": 20, "age_to": 40, "year": 2023},
    ):
        fields = {"area": city, "year": 2024, "count": 1, **kwargs}
        Population(**fields).full_clean()


def test_database_refuses_reversed_bands_and_two_bands_from_one_age(helsinki):
    city = helsinki["city"]
    with pytest.raises(IntegrityError), transaction.atomic():
        band(city, 2024, 30, 20, 1)
    band(city, 2024, 18, 29, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        band(city, 2024, 18, 40, 1)


def test_entitled_voters_estimated_from_adults_unless_the_roll_is_known(helsinki):
    city = helsinki["city"]
    band(city, 2024, 0, 17, 100_000)
    band(city, 2024, 18, None, 560_000, approximate=True)
    band(helsinki["eastern"], 2024, 18, None, 99_000)

    figure = entitled_voters(year=2025)
    assert (figure.year, figure.count) == (2024, 560_000)
    assert figure.estimated and figure.approximate

    EntitledVoters.objects.create(year=2024, count=531_000, source="Electoral roll 2024")
    figure = entitled_voters(year=2025)
    assert (figure.year, figure.count, figure.estimated, figure.approximate) == (
        2024,
        531_000,
        False,
        False,
    )
    assert figure.source == "Electoral roll 2024"
    # Newer population figures than the roll's year win.
    band(city, 2025, 18, None, 570_000)
    assert entitled_voters(year=2025).count == 570_000
    assert entitled_voters(year=2023) is None


def test_entitled_voters_queries(helsinki, django_assert_num_queries):
    band(helsinki["city"], 2024, 18, None, 5)
    with django_assert_num_queries(2):
        entitled_voters(year=2025)


def test_helsinki_demo_figures_add_up_and_are_marked_approximate(helsinki):
    load_helsinki_population()
    load_helsinki_population()  # safe to run again
    city = helsinki["city"]
    total = population(area=city)
    assert total.count == pytest.approx(sum(row[5] for row in DISTRICTS), abs=len(DISTRICTS) * 7)
    assert total.approximate
    women = population(area=city, gender=Gender.FEMALE).count
    men = population(area=city, gender=Gender.MALE).count
    assert women + men == total.count
    for district in (helsinki["eastern"], helsinki["southern"]):
        assert population(area=district).count > 0
    assert Population.objects.filter(area=city).count() == len(AGE_STRUCTURE) * 3
    voters = entitled_voters(year=2025)
    assert voters.estimated and voters.approximate
    assert 0.8 * total.count < voters.count < 0.9 * total.count
