"""Dropping ``Area.population``: an area's total moves to the population figures unless
they already have the area's figures of that year, so nothing entered is lost."""

import pytest

from osallistu.areas.models import Area, Gender, Population
from tests.migrating import migrate

pytestmark = [
    pytest.mark.integrity,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("latest_after"),
]

BEFORE = [("areas", "0003_neighbourhoods")]
AFTER = [("areas", "0004_population_only_in_population_figures")]


def test_area_totals_move_to_the_population_figures():
    apps = migrate(BEFORE)
    OldArea = apps.get_model("areas", "Area")
    OldPopulation = apps.get_model("areas", "Population")
    city = OldArea.objects.create(
        kind="city",
        slug="helsinki",
        number=0,
        name="Helsinki",
        population=700,
        population_year=2024,
    )
    OldArea.objects.create(
        kind="district",
        slug="southern",
        number=1,
        name="Etel",
        population=300,
        population_year=2024,
    )
    OldArea.objects.create(kind="district", slug="western", number=2, name="Län", population=0)
    OldPopulation.objects.create(area=city, year=2024, age_from=0, count=690, source="city")
    migrate(AFTER)
    figures = {
        (row.area.slug, row.year): (row.count, row.age_from, row.age_to, row.gender, row.source)
        for row in Population.objects.select_related("area")
    }
    assert figures == {
        ("helsinki", 2024): (690, 0, None, Gender.ALL, "city"),
        ("southern", 2024): (300, 0, None, Gender.ALL, "areas.Area.population"),
    }
    assert Population.objects.get(area__slug="southern").approximate
    assert Area.objects.count() == 3
