import datetime

import pytest

from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory
from tests.factories import VerifiedResidentFactory


@pytest.fixture
def voting_round(helsinki):
    """A round open for voting: 400,000 € city-wide and 300,000 € in each district,
    with three plans in the city, three in the Eastern district and one in the Western."""
    round = RoundFactory(slug="omastadi")
    RoundBudgetFactory(round=round, area=helsinki["city"], amount=400_000)
    for key, area in helsinki.items():
        if key != "city":
            RoundBudgetFactory(round=round, area=area, amount=300_000)
    return round


@pytest.fixture
def plans(voting_round, helsinki):
    """Plans by name: city_a/b/c (100k, 150k, 250k), east_a/b/c (100k, 200k, 120k), west_a."""

    def plan(code, area, cost):
        return PlanFactory(round=voting_round, area=helsinki[area], code=code, cost_high=cost)

    return {
        "city_a": plan("H-001", "city", 100_000),
        "city_b": plan("H-002", "city", 150_000),
        "city_c": plan("H-003", "city", 250_000),
        "east_a": plan("I-001", "eastern", 100_000),
        "east_b": plan("I-002", "eastern", 200_000),
        "east_c": plan("I-003", "eastern", 120_000),
        "west_a": plan("L-001", "western", 100_000),
    }


@pytest.fixture
def resident(helsinki):
    return VerifiedResidentFactory(
        email="aino@example.fi",
        birth_date=datetime.date(1990, 5, 1),
        district=helsinki["eastern"],
    )
