"""The hand-written reads of every ballot give what the ORM gives (SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from django.db.models import signals
from django.utils import translation

from osallistu.budgeting import selectors
from osallistu.budgeting.models import Plan, PlanStatus, Round, RoundBudget
from osallistu.core.rows import Rows
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


def test_rows_read_by_hand_behave_as_orm_instances(voting_round, plans, helsinki):
    found = selectors.plans_on_ballot(voting_round, [plans["east_a"].pk])[0]
    expected = Plan.objects.get(pk=plans["east_a"].pk)

    with translation.override("sv"):
        assert found.title == expected.title  # the language's column, with fallbacks
    assert found.area == helsinki["eastern"]  # relations load as the ORM's do
    assert found._state.adding is False and found._state.db == "default"
    assert not hasattr(found, "_mt_init")
    found.title_fi = "Uusi nimi"
    found.save(update_fields=["title_fi"])
    assert Plan.objects.get(pk=found.pk).title_fi == "Uusi nimi"
    assert Plan.objects.count() == len(plans)  # saved as an update, not a new row


def test_rows_of_a_model_someone_listens_to_are_made_by_the_orm(voting_round, plans):
    made = []

    def listener(sender, instance, **kwargs):
        made.append(instance)

    signals.post_init.connect(listener, sender=Plan)
    rows = Rows(Plan, "p")
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(rows.columns())} FROM {rows.table} WHERE p.id = %s",
                [plans["east_a"].pk],
            )
            found = rows.make(cursor.fetchone())
    finally:
        signals.post_init.disconnect(listener, sender=Plan)
    assert made == [found]
