"""Identical selections to pabutools, the reference library, for every rule and utility."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    Cost_Sat,
    parse_pabulib,
)
from pabutools.election import Instance as PabuInstance
from pabutools.election import Project as PabuProject
from pabutools.rules import (
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)

from osallistu.budgeting.counting import TieBreaking, TieMode, count
from tests.budgeting.counting.elections import ASSEN, WARSAW, approval_elections

PABUTOOLS_TIES = TieBreaking(TieMode.PABUTOOLS)
SAT = {"cost": Cost_Sat, "approval": Cardinality_Sat}
MES_SETTINGS = [
    (utility, completion)
    for utility in ("cost", "approval")
    for completion in ("none", "add1", "add1u")
]


def to_pabutools(instance, profile):
    projects = {p.id: PabuProject(p.id, p.cost) for p in instance.projects}
    pabu_instance = PabuInstance(projects.values(), budget_limit=instance.budget)
    pabu_profile = ApprovalProfile(
        [ApprovalBallot(projects[p] for p in b.projects) for b in profile.ballots],
        instance=pabu_instance,
    )
    return pabu_instance, pabu_profile


def pabutools_selection(instance, profile, rule, utility="cost", completion="none"):
    return _pabutools_run(*to_pabutools(instance, profile), rule, utility, completion)


def _pabutools_run(pabu_instance, pabu_profile, rule, utility, completion):
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(pabu_instance, pabu_profile, sat_class=Cost_Sat)
    elif rule == "phragmen":
        # pabutools sorts Phragmén's allocation by project id; our order is funding order.
        outcome = sequential_phragmen(pabu_instance, pabu_profile)
        return sorted(p.name for p in outcome)
    else:
        outcome = method_of_equal_shares(
            pabu_instance,
            pabu_profile,
            sat_class=SAT[utility],
            voter_budget_increment=None if completion == "none" else 1,
        )
        if completion == "add1u":
            outcome = greedy_utilitarian_welfare(
                pabu_instance, pabu_profile, sat_class=Cost_Sat, initial_budget_allocation=outcome
            )
    return [p.name for p in outcome]


def ours(instance, profile, rule, utility="cost", completion="none"):
    result = count(
        instance,
        profile,
        rule=rule,
        utility=utility,
        completion=completion,
        tie_breaking=PABUTOOLS_TIES,
    )
    return list(result.selected)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(approval_elections())
def test_greedy_matches_pabutools(election):
    instance, profile = election
    assert ours(instance, profile, "greedy") == pabutools_selection(instance, profile, "greedy")


@FAST
@given(approval_elections())
def test_phragmen_matches_pabutools(election):
    instance, profile = election
    assert sorted(ours(instance, profile, "phragmen")) == pabutools_selection(
        instance, profile, "phragmen"
    )


@pytest.mark.parametrize(("utility", "completion"), MES_SETTINGS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(election=approval_elections(max_projects=5, max_voters=8))
def test_equal_shares_matches_pabutools(utility, completion, election):
    instance, profile = election
    expected = pabutools_selection(instance, profile, "mes", utility, completion)
    assert ours(instance, profile, "mes", utility, completion) == expected


@pytest.fixture(scope="module")
def assen_pabutools():
    return parse_pabulib(str(ASSEN))


@pytest.mark.parametrize(
    ("rule", "utility", "completion"),
    [("greedy", "cost", "none"), ("phragmen", "cost", "none")]
    + [("mes", utility, completion) for utility, completion in MES_SETTINGS],
)
def test_assen_matches_pabutools(assen, assen_pabutools, rule, utility, completion):
    expected = _pabutools_run(*assen_pabutools, rule, utility, completion)
    selection = ours(assen.instance, assen.profile, rule, utility, completion)
    assert (sorted(selection) if rule == "phragmen" else selection) == expected


def test_warsaw_greedy_matches_pabutools(warsaw):
    pabu_instance, pabu_profile = parse_pabulib(str(WARSAW))
    expected = _pabutools_run(pabu_instance, pabu_profile, "greedy", "cost", "none")
    assert ours(warsaw.instance, warsaw.profile, "greedy") == expected
