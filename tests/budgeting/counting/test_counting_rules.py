"""The fast equal-shares implementation against the literal step-by-step definition,
the official results, and explanations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from osallistu.budgeting.counting import (
    Ballot,
    Code,
    Instance,
    Profile,
    Project,
    TieBreaking,
    TieMode,
    VoteType,
    count,
)
from osallistu.budgeting.counting.rules.base import Election
from osallistu.budgeting.counting.ties import tie_order
from tests.budgeting.counting.elections import ASSEN, approval_elections
from tests.budgeting.counting.reference import reference_add1, reference_mes

ROOT = str(Path(__file__).resolve().parents[3])
SLOW_OK = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rank_for(instance, profile, tie_breaking):
    votes = Election.of(instance, profile).votes
    return dict(tie_order(instance, votes, tie_breaking).rank)


@pytest.mark.parametrize("utility", ["cost", "approval"])
@pytest.mark.parametrize("completion", ["none", "add1", "add1-exhaustive"])
@SLOW_OK
@given(election=approval_elections(max_projects=5, max_voters=10))
def test_equal_shares_equals_the_literal_definition(utility, completion, election):
    instance, profile = election
    tie_breaking = TieBreaking(seed=7)
    rank = rank_for(instance, profile, tie_breaking)
    if completion == "none":
        share = Fraction(instance.budget, len(profile.ballots))
        expected = reference_mes(instance, profile, rank, utility, share)
    else:
        expected = reference_add1(
            instance, profile, rank, utility, exhaustive=completion == "add1-exhaustive"
        )
    result = count(
        instance,
        profile,
        rule="mes",
        utility=utility,
        completion=completion,
        tie_breaking=tie_breaking,
    )
    assert list(result.selected) == expected


def test_add1_with_many_voters_equals_the_literal_definition():
    """Large shares, so Add1 has hundreds of unit steps to skip."""
    projects = tuple(Project(str(i), cost) for i, cost in enumerate([700, 450, 300, 260, 90, 55]))
    ballots = {}
    for voter in range(40):
        ballots[f"v{voter}"] = [str(p) for p in range(6) if (voter * (p + 3)) % (p + 2) == 0][
            :4
        ] or ["5"]
    instance, profile = Instance(1000, projects), Profile.approvals(ballots)
    rank = rank_for(instance, profile, TieBreaking(seed=1))
    for exhaustive in (False, True):
        completion = "add1-exhaustive" if exhaustive else "add1"
        result = count(
            instance, profile, rule="mes", completion=completion, tie_breaking=TieBreaking(seed=1)
        )
        assert list(result.selected) == reference_add1(instance, profile, rank, "cost", exhaustive)


def test_assen_reproduces_the_official_result(assen):
    settings_from_meta = assen.count_settings()
    assert settings_from_meta["completion"] == "add1"
    result = count(assen.instance, assen.profile, **settings_from_meta)
    assert set(result.selected) == assen.official_selection
    assert result.total_cost == 76700


def test_warsaw_reproduces_the_official_result(warsaw):
    assert warsaw.count_settings() == {"rule": "greedy"}
    result = count(warsaw.instance, warsaw.profile, **warsaw.count_settings())
    assert set(result.selected) == warsaw.official_selection


def test_explanations_are_readable_and_structured(assen):
    result = count(assen.instance, assen.profile, rule="mes", completion="add1")
    funded = result.explanations["3"]
    assert funded.code is Code.FUNDED and funded.position == 1
    assert funded.price_per_voter > 0
    assert "each supporter paid at most" in funded.text
    unfunded = result.explanations["8"]
    assert unfunded.code is Code.SUPPORTERS_SHORT
    assert unfunded.short_by == unfunded.cost - unfunded.supporters_money > 0
    assert "could not afford it" in unfunded.text
    assert set(result.explanations) == {p.id for p in assen.instance.projects}

    greedy = count(assen.instance, assen.profile, rule="greedy")
    skipped = [e for e in greedy.explanations.values() if not e.funded]
    assert all(e.code is Code.NOT_ENOUGH_MONEY for e in skipped)
    assert all(e.money_left + e.short_by == e.cost for e in skipped)


def test_ties_default_to_lowest_cost_then_votes_then_a_recorded_lot():
    projects = (Project("a", 50), Project("b", 50), Project("c", 40))
    profile = Profile.approvals({"v1": ["a", "b", "c"], "v2": ["a", "b", "c"]})
    instance = Instance(60, projects)
    result = count(instance, profile, rule="greedy", tie_breaking=TieBreaking(seed=3))
    assert result.selected[0] == "c"
    assert result.ties[0].decided_by == "cost"
    cheaper = count(
        Instance(50, projects[:2]),
        profile_without_c(profile),
        rule="greedy",
        tie_breaking=TieBreaking(seed=3),
    )
    assert cheaper.lot_was_needed and cheaper.tie_seed == 3
    again = count(
        Instance(50, projects[:2]),
        profile_without_c(profile),
        rule="greedy",
        tie_breaking=TieBreaking(seed=3),
    )
    assert again.selected == cheaper.selected
    pabutools_order = count(
        Instance(50, projects[:2]),
        profile_without_c(profile),
        rule="greedy",
        tie_breaking=TieBreaking(TieMode.PABUTOOLS),
    )
    assert pabutools_order.selected == ("a",) and pabutools_order.tie_seed is None


def profile_without_c(profile):
    return Profile.approvals(
        {b.voter_id: [p for p in b.projects if p != "c"] for b in profile.ballots}
    )


def test_cumulative_ballots_count_points():
    projects = (Project("a", 60), Project("b", 60))
    profile = Profile(
        VoteType.CUMULATIVE,
        (
            Ballot("v1", ("a",), (5,)),
            Ballot("v2", ("b", "a"), (3, 1)),
        ),
    )
    result = count(Instance(100, projects), profile, rule="greedy")
    assert result.selected == ("a",)
    assert result.explanations["a"].votes == 6
    mes = count(Instance(120, projects), profile, rule="mes", utility="approval")
    assert set(mes.selected) <= {"a", "b"}


def test_comparison_step_switches_only_when_more_voters_prefer_greedy():
    projects = (Project("big", 90), Project("small", 10))
    profile = Profile.approvals({f"v{i}": ["big"] for i in range(6)} | {"w": ["small"]})
    plain = count(Instance(100, projects), profile, rule="mes")
    assert plain.selected == ("small",)
    compared = count(Instance(100, projects), profile, rule="mes", comparison=True)
    assert compared.switched_to_greedy
    assert set(compared.selected) == {"big", "small"}
    fair = Profile.approvals({"a": ["big", "small"], "b": ["big", "small"]})
    kept = count(Instance(100, projects), fair, rule="mes", comparison=True)
    assert not kept.switched_to_greedy


def test_pure_python_arithmetic_gives_the_same_counts(tmp_path):
    """Without gmpy2 the counts use fractions.Fraction; the selections must not change."""
    script = tmp_path / "recount.py"
    script.write_text(
        "import json, sys\n"
        "from osallistu.budgeting.counting import count, read_pabulib, TieBreaking\n"
        "from osallistu.budgeting.counting.arithmetic import rational\n"
        "e = read_pabulib(sys.argv[1]).election()\n"
        "runs = [count(e.instance, e.profile, rule=r, utility=u, completion=c,\n"
        "              tie_breaking=TieBreaking(seed=5))\n"
        "        for r, u, c in [('greedy', 'cost', 'none'), ('phragmen', 'cost', 'none'),\n"
        "                        ('mes', 'cost', 'add1'), ('mes', 'approval', 'add1u'),\n"
        "                        ('mes', 'cost', 'add1-exhaustive')]]\n"
        "print(json.dumps([rational.__module__] + [list(r.selected) for r in runs]))\n"
    )
    outputs = []
    for pure in ("", "1"):
        done = subprocess.run(
            [sys.executable, str(script), str(ASSEN)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "OSALLISTU_COUNTING_PURE_PYTHON": pure, "PYTHONPATH": ROOT},
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[1][0] == "fractions"
    assert outputs[0][1:] == outputs[1][1:]


@pytest.mark.parametrize(
    ("rule", "count_settings"),
    [("greedy", {}), ("mes", {"completion": "add1u"})],
)
def test_a_project_nobody_voted_for_is_funded_only_when_the_count_allows_it(rule, count_settings):
    instance = Instance(
        budget=100, projects=(Project("voted", 60), Project("unvoted", 30), Project("also", 50))
    )
    profile = Profile.approvals({"1": ["voted"], "2": ["voted"], "3": ["also"]})

    as_reference = count(instance, profile, rule=rule, **count_settings)
    assert as_reference.selected == ("voted", "unvoted")

    city_rule = count(instance, profile, rule=rule, fund_unvoted=False, **count_settings)
    assert city_rule.selected == ("voted",)
    assert city_rule.explanations["unvoted"].code is Code.NO_VOTES
    assert not city_rule.explanations["unvoted"].funded
