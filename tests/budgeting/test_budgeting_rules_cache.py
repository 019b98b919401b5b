"""The rules each process keeps for casting ballots, and their version, on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from osallistu.budgeting import rules_cache, selectors
from osallistu.budgeting.models import (
    Ballot,
    BallotChoice,
    Participation,
    Plan,
    PlanStatus,
    Round,
    RoundBudget,
)
from osallistu.budgeting.services import BallotError, cast_ballot
from osallistu.core.models import AuditEntry, Job
from tests.budgeting.factories import PlanFactory
from tests.budgeting.test_budgeting_concurrency import SUBMISSIONS, submit_at_once

pytestmark = pytest.mark.postgres


def eastern_of(rules):
    return next(budget.area for budget in rules.budgets if budget.area.slug == "eastern")


def stamp_now(round):
    return selectors.stamps(round.pk, [])[0]


@pytest.mark.django_db
def test_the_stamp_read_with_the_rules_is_the_databases(voting_round, plans):
    _round, budgets, stamp = selectors.stamped_round_with_budgets(slug=voting_round.slug)
    assert len(budgets) == 8
    assert stamp == stamp_now(voting_round)


@pytest.mark.django_db(transaction=True)
def test_every_change_to_the_rules_or_money_gives_another_stamp(voting_round, helsinki):
    seen = {stamp_now(voting_round)}

    def changed():
        stamp = stamp_now(voting_round)
        assert stamp not in seen
        seen.add(stamp)
        _round, _budgets, read = selectors.stamped_round_with_budgets(pk=voting_round.pk)
        assert read == stamp

    voting_round.max_plans_per_area = 4
    voting_round.save()
    changed()
    budget = RoundBudget.objects.get(round=voting_round, area=helsinki["eastern"])
    budget.amount = 250_000
    budget.save()
    changed()
    helsinki["eastern"].save()
    changed()
    budget.delete()
    changed()
    RoundBudget.objects.create(round=voting_round, area=helsinki["eastern"], amount=1)
    changed()
    Round.objects.filter(pk=voting_round.pk).update(voting_ends_at=timezone.now())
    changed()


@pytest.mark.django_db(transaction=True)
def test_a_ballot_checked_against_old_rules_is_checked_again(voting_round, plans, resident):
    rules = rules_cache.voting_rules(voting_round.slug)
    round, eastern = rules.round, eastern_of(rules)
    # The Eastern district loses money after this process read the rules: the ballot
    # fitted the old 300,000 € but not the new 250,000 €.
    RoundBudget.objects.filter(round=voting_round, area=eastern).update(amount=250_000)
    RoundBudget.objects.get(round=voting_round, area=eastern).save()  # a new row version

    with pytest.raises(BallotError) as refused:
        cast_ballot(
            round=round,
            voter=resident,
            district=eastern,
            plan_ids=[plans["east_b"].pk, plans["east_a"].pk],
            rules=rules,
        )
    assert refused.value.code == "over_budget"
    assert not Participation.objects.exists() and not Ballot.objects.exists()
    assert not AuditEntry.objects.filter(action="budgeting.ballot_cast").exists()
    assert not Job.objects.exists()
    # The process keeps the rules as they are now.
    assert rules_cache.voting_rules(voting_round.slug).stamp == stamp_now(voting_round)

    participation = cast_ballot(
        round=round,
        voter=resident,
        district=eastern,
        plan_ids=[plans["east_b"].pk],
        rules=rules,
    )
    assert Participation.objects.get() == participation
    assert list(Ballot.objects.get().choices.values_list("plan", flat=True)) == [plans["east_b"].pk]


@pytest.mark.django_db(transaction=True)
def test_a_ballot_after_voting_closed_is_refused_though_the_process_kept_it_open(
    voting_round, plans, resident
):
    rules = rules_cache.voting_rules(voting_round.slug)
    round, eastern = rules.round, eastern_of(rules)
    Round.objects.filter(pk=voting_round.pk).update(voting_ends_at=timezone.now())

    with pytest.raises(BallotError) as refused:
        cast_ballot(
            round=round,
            voter=resident,
            district=eastern,
            plan_ids=[plans["east_a"].pk],
            rules=rules,
        )
    assert refused.value.code == "ended"
    assert not Participation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_ballot_is_one_statement_without_a_transaction_around_it(
    voting_round, plans, resident
):
    rules = rules_cache.voting_rules(voting_round.slug)
    round, eastern = rules.round, eastern_of(rules)
    with CaptureQueriesContext(connection) as queries:
        cast_ballot(
            round=round,
            voter=resident,
            district=eastern,
            plan_ids=[plans["east_a"].pk, plans["city_a"].pk],
            rules=rules,
        )
    statements = [query["sql"].split()[0] for query in queries]
    assert statements == ["WITH"]  # the plans were read with the rules: the ballot only
    assert Participation.objects.count() == 1
    assert BallotChoice.objects.count() == 2
    assert AuditEntry.objects.filter(action="budgeting.ballot_cast").count() == 1
    assert Job.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_ballots_with_kept_rules_leave_exactly_one(
    voting_round, plans, resident
):
    rules = rules_cache.voting_rules(voting_round.slug)
    round, eastern = rules.round, eastern_of(rules)

    def submit():
        return cast_ballot(
            round=round,
            voter=resident,
            district=eastern,
            plan_ids=[plans["east_a"].pk, plans["city_a"].pk],
            rules=rules,
        )

    outcomes = submit_at_once([submit] * SUBMISSIONS)

    assert sum(isinstance(outcome, Participation) for outcome in outcomes) == 1
    assert {o.code for o in outcomes if isinstance(o, BallotError)} == {"already_voted"}
    assert Participation.objects.count() == 1
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.count() == 2
    assert AuditEntry.objects.filter(action="budgeting.ballot_cast").count() == 1
    assert Job.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_ballot_refused_by_old_rules_is_checked_again(voting_round, plans, resident):
    rules = rules_cache.voting_rules(voting_round.slug)
    round, eastern = rules.round, eastern_of(rules)
    # The Eastern district gets more money after this process read the rules: the
    # ballot was over the old 300,000 € but fits the new 500,000 €.
    RoundBudget.objects.get(round=voting_round, area=eastern).save()
    RoundBudget.objects.filter(round=voting_round, area=eastern).update(amount=500_000)

    cast_ballot(
        round=round,
        voter=resident,
        district=eastern,
        plan_ids=[plans["east_a"].pk, plans["east_b"].pk, plans["east_c"].pk],
        rules=rules,
    )
    assert Ballot.objects.get().choices.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_plan_taken_off_the_ballot_after_it_was_read_is_refused(voting_round, plans, resident):
    rules = rules_cache.voting_rules(voting_round.slug)
    Plan.objects.filter(pk=plans["east_a"].pk).update(status=PlanStatus.WITHDRAWN)

    with pytest.raises(BallotError) as refused:
        cast_ballot(
            round=rules.round,
            voter=resident,
            district=eastern_of(rules),
            plan_ids=[plans["east_a"].pk],
            rules=rules,
        )
    assert refused.value.code == "unknown_plan"
    assert not Participation.objects.exists() and not Ballot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_plan_put_on_the_ballot_after_the_rules_were_read_can_be_chosen(
    voting_round, plans, resident, helsinki
):
    rules = rules_cache.voting_rules(voting_round.slug)
    new = PlanFactory(
        round=voting_round, area=helsinki["eastern"], code="I-009", cost_low=500, cost_high=1_000
    )

    cast_ballot(
        round=rules.round,
        voter=resident,
        district=eastern_of(rules),
        plan_ids=[new.pk],
        rules=rules,
    )
    assert list(Ballot.objects.get().choices.values_list("plan", flat=True)) == [new.pk]


@pytest.mark.django_db(transaction=True)
def test_a_plan_that_got_dearer_after_it_was_read_is_counted_at_its_new_cost(
    voting_round, plans, resident
):
    rules = rules_cache.voting_rules(voting_round.slug)
    # 100,000 + 120,000 fitted the 300,000 € of the district; at 250,000 + 120,000 not.
    Plan.objects.filter(pk=plans["east_a"].pk).update(cost_high=250_000)

    with pytest.raises(BallotError) as refused:
        cast_ballot(
            round=rules.round,
            voter=resident,
            district=eastern_of(rules),
            plan_ids=[plans["east_a"].pk, plans["east_c"].pk],
            rules=rules,
        )
    assert refused.value.code == "over_budget"
    assert not Participation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_vote_for_a_round_whose_address_changed_after_it_was_read_is_not_found(
    client, voting_round, plans, resident
):
    client.force_login(resident)
    rules_cache.voting_rules(voting_round.slug)  # as a process keeps it
    Round.objects.filter(pk=voting_round.pk).update(slug="renamed")

    response = client.post(
        f"/en/budgeting/{voting_round.slug}/vote/eastern/confirm/", {"plans": [plans["east_a"].pk]}
    )
    assert response.status_code == 404
    assert not Participation.objects.exists()
