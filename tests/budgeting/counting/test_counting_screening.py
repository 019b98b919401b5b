"""Screened Add1 steps (floating point with proven error bounds) against exact counts.

Every screened count must give exactly the selection of the exact count at the same share,
its certified ranges must hold at every share inside them, and a whole Add1 count with
screening must equal the same count done exactly: selection, final share, explanations and
ties. Near ties and exact ties must fall back to exact arithmetic.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallistu.budgeting.counting import (
    Instance,
    Profile,
    Project,
    TieBreaking,
    TieMode,
    count,
)
from osallistu.budgeting.counting.arithmetic import rational
from osallistu.budgeting.counting.rules.base import Election
from osallistu.budgeting.counting.rules.mes import (
    Completion,
    EqualShares,
    Utility,
    _float_above,
    equal_shares,
)
from osallistu.budgeting.counting.rules.screening import LARGEST
from osallistu.budgeting.counting.ties import tie_order
from tests.budgeting.counting.elections import (
    approval_elections,
    cumulative_elections,
    skewed_election,
)
from tests.budgeting.counting.reference import reference_add1

SEVERAL = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMPLETIONS = ["add1", "add1-exhaustive", "add1u"]


def both_ways(instance, profile, utility, completion, tie_breaking=None):
    """The equal-shares outcome and tie record with screening, then without."""
    election = Election.of(instance, profile)
    counted = []
    for screening in (True, False):
        order = tie_order(instance, election.votes, tie_breaking or TieBreaking(seed=11))
        outcome = equal_shares(
            election, order, Utility(utility), Completion(completion), screening=screening
        )
        counted.append(
            (outcome.selected, outcome.share_per_voter, outcome.explanations, order.ties)
        )
    return counted


def rank_for(instance, profile, tie_breaking):
    votes = Election.of(instance, profile).votes
    return dict(tie_order(instance, votes, tie_breaking).rank)


def equal_shares_at(instance, profile, utility, tie_breaking=None):
    election = Election.of(instance, profile)
    order = tie_order(instance, election.votes, tie_breaking or TieBreaking(seed=11))
    return EqualShares(election, order, Utility(utility))


@pytest.mark.parametrize("utility", ["cost", "approval"])
@pytest.mark.parametrize("completion", COMPLETIONS)
@SEVERAL
@given(
    election=st.one_of(approval_elections(max_projects=6, max_voters=12), cumulative_elections())
)
def test_screened_add1_equals_the_exact_add1(utility, completion, election):
    screened, exact = both_ways(*election, utility, completion)
    assert screened == exact


@pytest.mark.parametrize("completion", ["add1", "add1-exhaustive"])
@SEVERAL
@given(election=cumulative_elections(max_projects=4, max_voters=6))
def test_cumulative_add1_equals_the_literal_definition(completion, election):
    instance, profile = election
    tie_breaking = TieBreaking(seed=3)
    rank = rank_for(instance, profile, tie_breaking)
    result = count(
        instance,
        profile,
        rule="mes",
        utility="approval",
        completion=completion,
        tie_breaking=tie_breaking,
    )
    exhaustive = completion == "add1-exhaustive"
    assert list(result.selected) == reference_add1(instance, profile, rank, "approval", exhaustive)


@pytest.mark.parametrize("utility", ["cost", "approval"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    election=st.one_of(approval_elections(max_projects=6, max_voters=10), cumulative_elections())
)
def test_each_screened_count_and_certified_range_is_exact(utility, election):
    """At every share, screened = exact; a certified range holds at every share inside,
    and the ceilings bound the exact factors from above."""
    instance, profile = election
    mes = equal_shares_at(instance, profile, utility)
    base = rational(instance.budget) / len(profile.ballots)
    for step in range(12):
        share = base + Fraction(step, 3)
        screened, exact = mes.outcome(share), mes.run(share)
        assert screened.selected == exact.selected
        if not screened.exact:
            assert all(
                ceiling >= factor
                for ceiling, factor in zip(
                    screened.winning_factors, exact.winning_factors, strict=True
                )
            )
    low = mes.outcome(base)
    for jump in (1, 2, 5, 13):
        high = mes.outcome(base + jump, certify=low)
        if high.certified:
            for half_steps in range(2 * jump + 1):
                assert mes.run(base + Fraction(half_steps, 2)).selected == low.selected


def test_a_bench_like_count_is_screened_and_equals_the_exact_count():
    instance, profile = skewed_election(voters=400, projects=25, seed=5)
    mes = equal_shares_at(instance, profile, "cost")
    base = rational(instance.budget) / len(profile.ballots)
    for step in range(0, 400, 37):
        assert mes.outcome(base + step).selected == mes.run(base + step).selected
    assert mes.counts["screened"] > 0
    assert mes.counts["undecided"] == 0
    screened, exact = both_ways(instance, profile, "cost", "add1")
    assert screened == exact


def test_a_near_tie_between_factors_falls_back_to_exact_arithmetic():
    """Round 2: "a" and "b" have the same supporters, one of whom cannot pay the factor.
    Their factors differ by 1/2 in about 10**14, closer than the float bounds can tell, and
    neither factor is cost / total utility, so only the exact count can decide. "a" comes
    first in the pabutools tie order; the cheaper "b" must still win."""
    k = 2**47
    projects = (Project("a", 3 * k + 1), Project("b", 3 * k), Project("w", k // 2))
    profile = Profile.approvals({"p": ["a", "b", "w"], "r1": ["a", "b"], "r2": ["a", "b"]})
    instance = Instance(15 * k // 4, projects)
    ties = TieBreaking(TieMode.PABUTOOLS)
    mes = equal_shares_at(instance, profile, "approval", ties)
    assert mes.screen is not None
    run = mes.outcome(rational(instance.budget) / 3)
    assert run.exact and run.selected == ["w", "b"]
    assert mes.counts["undecided"] == 1
    screened, exact = both_ways(instance, profile, "approval", "add1", ties)
    assert screened == exact
    assert exact[0] == ["w", "b"]


def test_exactly_enough_money_falls_back_to_exact_arithmetic():
    """At the plain share the supporters of "x" have exactly its cost."""
    instance = Instance(100, (Project("x", 100), Project("y", 60)))
    profile = Profile.approvals({"v1": ["x", "y"], "v2": ["x"]})
    mes = equal_shares_at(instance, profile, "cost")
    assert mes.outcome(rational(50)).selected == ["x"]
    assert mes.counts == {"undecided": 1, "exact": 1}
    for completion in ("add1", "add1-exhaustive"):
        screened, exact = both_ways(instance, profile, "cost", completion)
        assert screened == exact
        rank = rank_for(instance, profile, TieBreaking(seed=11))
        expected = reference_add1(instance, profile, rank, "cost", completion != "add1")
        assert exact[0] == expected


def test_exact_ties_are_settled_by_the_ratio_or_counted_exactly():
    """Twin projects (same cost, same supporters) tie exactly in every round. While their
    supporters can all pay, the screen settles the tie in integers; otherwise it must fall
    back. Either way the outcome and the recorded ties equal the exact count's."""
    instance, profile = skewed_election(voters=300, projects=12, seed=1)
    twin = Project("13", instance.projects[0].cost)
    ballots = {
        b.voter_id: list(b.projects) + (["13"] if "1" in b.projects else [])
        for b in profile.ballots
    }
    instance = Instance(instance.budget + twin.cost, (*instance.projects, twin))
    profile = Profile.approvals(ballots)
    for utility in ("cost", "approval"):
        screened, exact = both_ways(instance, profile, utility, "add1")
        assert screened == exact
        assert [tie.candidates for tie in exact[3]] == [("1", "13")]
        mes = equal_shares_at(instance, profile, utility)
        base = rational(instance.budget) / len(profile.ballots)
        for step in range(0, 3000, 97):
            assert mes.outcome(base + step).selected == mes.run(base + step).selected
        assert mes.counts["screened"] > 0
        assert mes.counts["undecided"] > 0


@pytest.mark.parametrize(
    "projects",
    [
        (Project("a", Fraction(301, 2)), Project("b", 90)),
        (Project("a", int(LARGEST)), Project("b", 90)),
    ],
)
def test_numbers_floats_cannot_hold_exactly_are_always_counted_exactly(projects):
    """Add1 stops at the plain share: "a" is out of reach and no longer fits after "b"."""
    instance = Instance(sum(p.cost for p in projects) - 40, projects)
    profile = Profile.approvals({"1": ["a"], "2": ["a", "b"], "3": ["b"]})
    mes = equal_shares_at(instance, profile, "cost")
    assert mes.screen is None
    tie_breaking = TieBreaking(seed=11)
    result = count(instance, profile, rule="mes", completion="add1", tie_breaking=tie_breaking)
    rank = rank_for(instance, profile, tie_breaking)
    assert list(result.selected) == reference_add1(instance, profile, rank, "cost", False)
    assert result.selected == ("b",)


@pytest.mark.parametrize(
    "value",
    [rational(1, 3), rational(2, 3), rational(10**20 + 1, 7), rational(5), rational(1, 2**60)],
)
def test_float_above_is_the_nearest_float_at_or_above(value):
    above = _float_above(value)
    assert rational(above) >= value
    assert rational(math.nextafter(above, -math.inf)) < value


@pytest.mark.parametrize("utility", ["cost", "approval"])
@pytest.mark.parametrize("completion", ["add1", "add1-exhaustive"])
def test_assen_screened_equals_exact(assen, utility, completion):
    screened, exact = both_ways(assen.instance, assen.profile, utility, completion)
    assert screened == exact
