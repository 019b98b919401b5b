"""One support per person on PostgreSQL: thirty simultaneous attempts by one person give
one support and twenty-nine clear refusals; thirty people supporting at once cross a
threshold exactly once. Threads, each with its own connection, start together at a
barrier."""

import pytest

from osallistu.core.models import AuditEntry
from osallistu.initiatives import services
from osallistu.initiatives.models import Support
from osallistu.initiatives.services import InitiativeError
from tests.concurrency import at_once
from tests.initiatives.conftest import supporter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 30


def test_thirty_simultaneous_supports_by_one_person_give_one(collecting):
    person = supporter()
    outcomes = at_once(
        ATTEMPTS, lambda index: services.support_initiative(initiative=collecting, user=person)
    )
    supported = [outcome for outcome in outcomes if isinstance(outcome, Support)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, InitiativeError)]
    assert len(supported) == 1, outcomes
    assert len(refused) == ATTEMPTS - 1, outcomes
    assert {error.code for error in refused} == {"already_supported"}
    assert Support.objects.filter(initiative=collecting, user=person).count() == 1


def test_without_the_service_check_the_constraint_holds_under_load(collecting, monkeypatch):
    from osallistu.initiatives.services import supports

    # Without the row lock and the check, only the unique constraint stands between the
    # thirty attempts; each loser still gets the clear refusal.
    monkeypatch.setattr(supports, "check_not_supported", lambda *args: None)
    monkeypatch.setattr(supports, "lock", lambda initiative: initiative)
    person = supporter()
    outcomes = at_once(
        ATTEMPTS, lambda index: services.support_initiative(initiative=collecting, user=person)
    )
    assert sum(isinstance(outcome, Support) for outcome in outcomes) == 1, outcomes
    assert all(
        isinstance(outcome, Support) or getattr(outcome, "code", None) == "already_supported"
        for outcome in outcomes
    ), outcomes
    assert Support.objects.filter(initiative=collecting, user=person).count() == 1


def test_thirty_people_at_once_cross_the_threshold_exactly_once(collecting):
    for _number in range(5):
        services.support_initiative(initiative=collecting, user=supporter())
    people = [supporter() for _ in range(ATTEMPTS)]  # 5 + 30 = 35 ≥ 20 (2 %), < 40 (4 %)
    outcomes = at_once(
        ATTEMPTS,
        lambda index: services.support_initiative(initiative=collecting, user=people[index]),
    )
    assert all(isinstance(outcome, Support) for outcome in outcomes), outcomes
    assert Support.objects.filter(initiative=collecting).count() == 35
    reached = AuditEntry.objects.filter(action="initiatives.threshold_reached")
    assert [entry.data["threshold"] for entry in reached] == ["council"]
    assert reached.get().data["supports"] == 20
