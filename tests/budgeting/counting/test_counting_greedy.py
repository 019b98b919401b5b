"""The greedy rules pabulib names (greedy, greedy-no-skip, greedy-threshold) on approval,
cumulative and ordinal ballots, against a straightforward reference implementation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallistu.budgeting.counting import (
    Code,
    CountingError,
    Instance,
    Profile,
    Project,
    TieBreaking,
    count,
    parse_pabulib,
)
from osallistu.budgeting.counting.rules.base import Election
from osallistu.budgeting.counting.ties import tie_order
from tests.budgeting.counting.elections import approval_elections, cumulative_elections
from tests.budgeting.counting.reference import borda_scores, reference_greedy

MANY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rank_for(instance, profile, tie_breaking):
    votes = Election.of(instance, profile).votes
    return dict(tie_order(instance, votes, tie_breaking).rank)


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip"])
@MANY
@given(
    election=st.one_of(approval_elections(max_projects=7, max_voters=12), cumulative_elections()),
    threshold=st.one_of(st.none(), st.integers(0, 12)),
    seed=st.integers(0, 5),
)
def test_greedy_rules_equal_the_reference(rule, election, threshold, seed):
    instance, profile = election
    tie_breaking = TieBreaking(seed=seed)
    result = count(instance, profile, rule=rule, threshold=threshold, tie_breaking=tie_breaking)
    expected = reference_greedy(
        instance,
        profile,
        rank_for(instance, profile, tie_breaking),
        skip=rule == "greedy",
        threshold=threshold,
    )
    assert list(result.selected) == expected
    assert result.threshold == threshold
    assert set(result.explanations) == {p.id for p in instance.projects}
    for project_id, explanation in result.explanations.items():
        below = threshold is not None and explanation.votes < threshold
        assert (explanation.code is Code.BELOW_THRESHOLD) == below
        assert explanation.funded == (project_id in result.selected)


def ordinal_file(budget, costs, rankings, max_length):
    """A pabulib file with ordinal ballots, as a published one is written."""
    lines = [
        "META",
        "key;value",
        "description;Ordinal",
        "country;Poland",
        "unit;Test",
        "instance;2018",
        f"num_projects;{len(costs)}",
        f"num_votes;{len(rankings)}",
        f"budget;{budget}",
        "vote_type;ordinal",
        "rule;greedy",
        "date_begin;2018",
        "date_end;2018",
        f"max_length;{max_length}",
        "PROJECTS",
        "project_id;cost",
        *(f"{project_id};{cost}" for project_id, cost in costs.items()),
        "VOTES",
        "voter_id;vote",
        *(f"{voter};{','.join(ranking)}" for voter, ranking in enumerate(rankings)),
    ]
    return "\n".join(lines) + "\n"


@MANY
@given(election=approval_elections(max_projects=6, max_voters=10), data=st.data())
def test_ordinal_files_are_counted_by_borda_score(election, data):
    """Each ballot's list is a ranking; a place beyond max_length earns nothing."""
    instance, profile = election
    rankings = [list(ballot.projects) for ballot in profile.ballots]
    longest = max(map(len, rankings))
    max_length = data.draw(st.integers(longest, longest + 2))
    costs = {p.id: p.cost for p in instance.projects}
    text = ordinal_file(instance.budget, costs, rankings, max_length)
    read = parse_pabulib(text, strict=True).election()
    score = borda_scores(rankings, max_length)
    tie_breaking = TieBreaking(seed=2)
    result = count(read.instance, read.profile, **read.count_settings(), tie_breaking=tie_breaking)
    assert {p: e.votes for p, e in result.explanations.items()} == {
        p: score.get(p, 0) for p in costs
    }
    rank = rank_for(read.instance, read.profile, tie_breaking)
    assert list(result.selected) == reference_greedy(read.instance, read.profile, rank)


def test_an_ordinal_ballot_longer_than_max_length_is_counted_to_its_length():
    text = ordinal_file(100, {"a": 10, "b": 10, "c": 10}, [["a", "b", "c"], ["c"]], 2)
    read = parse_pabulib(text).election()
    warning = read.warnings[0]
    assert (warning.code, warning.line) == ("ballot_constraint", 22)
    assert warning.remedy.endswith("places after the first 2 earn no points")
    assert read.profile.ballots[0].points == (2, 1)
    assert read.profile.ballots[0].projects == ("a", "b")


def test_no_skip_stops_at_the_first_project_that_does_not_fit():
    instance = Instance(
        100, (Project("big", 70), Project("dear", 50), Project("small", 20), Project("x", 5))
    )
    profile = Profile.approvals(
        {
            "1": ["big", "dear", "small", "x"],
            "2": ["big", "dear", "small"],
            "3": ["big", "dear"],
            "4": ["big"],
        }
    )
    skipping = count(instance, profile, rule="greedy")
    assert skipping.selected == ("big", "small", "x")
    stopping = count(instance, profile, rule="greedy-no-skip")
    assert stopping.selected == ("big",)
    assert stopping.explanations["dear"].code is Code.NOT_ENOUGH_MONEY
    assert stopping.explanations["dear"].money_left == 30
    for project_id in ("small", "x"):
        explanation = stopping.explanations[project_id]
        assert explanation.code is Code.COUNT_STOPPED and explanation.stopped_by == "dear"
    assert "because project dear no longer fitted" in stopping.explanations["x"].text


def test_a_threshold_leaves_projects_out_before_the_count():
    instance = Instance(100, (Project("a", 50), Project("b", 60), Project("c", 40)))
    profile = Profile.approvals({"1": ["a", "b"], "2": ["a", "b"], "3": ["a", "c"]})
    result = count(instance, profile, rule="greedy", threshold=2)
    assert result.selected == ("a",)
    left_out = result.explanations["c"]
    assert left_out.code is Code.BELOW_THRESHOLD and left_out.threshold == 2
    assert (
        left_out.text == "Not eligible (1 vote): a project needed at least 2 votes to be counted."
    )
    assert result.as_dict()["threshold"] == 2
    assert count(instance, profile, rule="greedy").selected == ("a", "c")


def test_no_skip_records_a_tie_only_when_its_order_decided_something():
    instance = Instance(60, (Project("a", 50), Project("b", 40), Project("c", 30)))
    profile = Profile.approvals({"1": ["a", "b"], "2": ["a", "b"], "3": ["c"]})
    result = count(instance, profile, rule="greedy-no-skip", tie_breaking=TieBreaking(seed=4))
    # a and b tie on votes; the cheaper b comes first, which decides a is never funded.
    assert result.selected == ("b",)
    assert [(t.candidates, t.decided_by) for t in result.ties] == [(("b", "a"), "cost")]
    assert result.explanations["a"].code is Code.NOT_ENOUGH_MONEY
    assert result.explanations["c"].code is Code.COUNT_STOPPED


def test_a_threshold_is_refused_for_rules_it_does_not_belong_to():
    instance = Instance(100, (Project("a", 50),))
    profile = Profile.approvals({"1": ["a"]})
    for rule in ("mes", "phragmen"):
        with pytest.raises(CountingError, match="threshold applies to the greedy rules only"):
            count(instance, profile, rule=rule, threshold=1)
