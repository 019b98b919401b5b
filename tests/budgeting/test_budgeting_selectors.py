"""The hand-written reads of every ballot give what the ORM gives (SQLite and PostgreSQL)."""

import pytest

from osallistu.budgeting import selectors
from osallistu.budgeting.models import Plan, PlanStatus, Round, RoundBudget
from tests.budgeting.factories import PlanFactory, RoundFactory

pytestmark = pytest.mark.django_db


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


@pytest.mark.parametrize("by", ["pk", "slug"])
def test_round_with_budgets_reads_what_the_orm_reads(voting_round, helsinki, by):
    Round.objects.filter(pk=voting_round.pk).update(max_plans_per_area=4, ballot_changeable=True)

    round, budgets = selectors.round_with_budgets(**{by: getattr(voting_round, by)})

    expected = Round.objects.get(pk=voting_round.pk)
    assert fields_of(round) == fields_of(expected)
    assert round.voting_ends_at.tzinfo is not None  # aware, as the ORM gives it
    assert round.name == expected.name  # translated fields work
    orm_budgets = list(
        RoundBudget.objects.filter(round=voting_round)
        .select_related("area")
        .order_by("area__number")
    )
    assert [fields_of(b) for b in budgets] == [fields_of(b) for b in orm_budgets]
    assert [fields_of(b.area) for b in budgets] == [fields_of(b.area) for b in orm_budgets]
    assert budgets[0].area.is_city  # city-wide first
    assert all(budget.round is round for budget in budgets)


def test_round_without_money_and_unknown_round():
    round = RoundFactory(slug="no-money")
    assert selectors.round_with_budgets(slug="no-money") == (round, [])
    with pytest.raises(Round.DoesNotExist):
        selectors.round_with_budgets(slug="nowhere")


def test_plans_on_ballot_are_only_this_rounds_plans_on_the_ballot(voting_round, plans, helsinki):
    draft = PlanFactory(round=voting_round, area=helsinki["eastern"], status=PlanStatus.DRAFT)
    elsewhere = PlanFactory(area=helsinki["eastern"])
    wanted = [plans["east_a"].pk, plans["city_b"].pk, draft.pk, elsewhere.pk, 10**9]

    found = selectors.plans_on_ballot(voting_round, wanted)

    assert sorted(plan.pk for plan in found) == sorted([plans["east_a"].pk, plans["city_b"].pk])
    by_pk = {plan.pk: plan for plan in Plan.objects.filter(pk__in=wanted)}
    assert all(fields_of(plan) == fields_of(by_pk[plan.pk]) for plan in found)
    assert selectors.plans_on_ballot(voting_round, []) == []
