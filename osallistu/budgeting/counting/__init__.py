"""Counting participatory-budgeting votes, exactly and explainably.

Pure Python, no Django: the platform and any resident can run the same count.

    from osallistu.budgeting.counting import count, read_pabulib
    election = read_pabulib("Assen.pb").election()
    result = count(election.instance, election.profile, **election.count_settings())
    result.selected, result.total_cost, result.explanations["3"].text

Explanation codes are documented in ``explain``; ``Result.as_dict()`` is the JSON form.
Importing the package imports no numpy: only equal shares needs it, and it is imported
when equal shares is counted, so the command starts fast for the other rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from .explain import Code, Explanation, json_number
from .model import (
    Ballot,
    BallotConstraints,
    BallotError,
    CountingError,
    Instance,
    Money,
    Profile,
    Project,
    VoteType,
    check_profile,
)
from .options import Completion, Utility
from .pabulib import (
    FileWarning,
    PabulibElection,
    PabulibError,
    PabulibFile,
    UnreproducibleRule,
    pabulib_file,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)
from .rules.base import Election
from .rules.greedy import greedy
from .ties import Tie, TieBreaking, TieMode, tie_order

__all__ = [
    "Ballot",
    "BallotConstraints",
    "BallotError",
    "Code",
    "Completion",
    "CountingError",
    "Explanation",
    "FileWarning",
    "Instance",
    "PabulibElection",
    "PabulibError",
    "PabulibFile",
    "Profile",
    "Project",
    "Result",
    "Rule",
    "Tie",
    "TieBreaking",
    "TieMode",
    "UnreproducibleRule",
    "Utility",
    "VoteType",
    "count",
    "pabulib_file",
    "parse_pabulib",
    "read_pabulib",
    "write_pabulib",
]


class Rule:
    GREEDY = "greedy"
    GREEDY_NO_SKIP = "greedy-no-skip"
    MES = "mes"
    PHRAGMEN = "phragmen"
    ALL = (GREEDY, GREEDY_NO_SKIP, MES, PHRAGMEN)
    GREEDY_RULES = (GREEDY, GREEDY_NO_SKIP)


@dataclass(frozen=True)
class Result:
    rule: str
    utility: Utility | None
    completion: Completion | None
    comparison: bool
    selected: tuple[str, ...]
    """Funded project ids in the order they were funded."""
    total_cost: Money
    budget: Money
    explanations: dict[str, Explanation]
    """One per project of the instance, in the instance's order."""
    share_per_voter: Fraction | None
    """Equal shares: each voter's share of the budget in the final run (after Add1)."""
    ties: tuple[Tie, ...]
    tie_mode: TieMode
    tie_seed: int | None
    """Seed of the lot in the standard tie order; recount with ``TieBreaking(seed=...)``."""
    lot_was_needed: bool
    switched_to_greedy: bool
    """Comparison step: greedy was preferred by more voters and replaced equal shares."""
    threshold: Money | None = None
    """Greedy rules: the fewest votes a project needed to be eligible, if there was a least."""

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "utility": self.utility and str(self.utility),
            "completion": self.completion and str(self.completion),
            "comparison": self.comparison,
            "switched_to_greedy": self.switched_to_greedy,
            "selected": list(self.selected),
            "total_cost": json_number(self.total_cost),
            "budget": json_number(self.budget),
            "share_per_voter": json_number(self.share_per_voter),
            "threshold": json_number(self.threshold),
            "tie_mode": str(self.tie_mode),
            "tie_seed": self.tie_seed,
            "lot_was_needed": self.lot_was_needed,
            "ties": [
                {"candidates": list(t.candidates), "winner": t.winner, "decided_by": t.decided_by}
                for t in self.ties
            ],
            "explanations": [e.as_dict() for e in self.explanations.values()],
        }


def count(
    instance: Instance,
    profile: Profile,
    *,
    rule: str = Rule.GREEDY,
    utility: Utility | str = Utility.COST,
    completion: Completion | str = Completion.NONE,
    comparison: bool = False,
    tie_breaking: TieBreaking | None = None,
    progress: Callable[[str], None] | None = None,
    fund_unvoted: bool = True,
    threshold: Money | None = None,
) -> Result:
    """Count the ballots with ``rule`` (``greedy``, ``greedy-no-skip``, ``mes`` or
    ``phragmen``).

    ``greedy`` skips a project that no longer fits and goes on; ``greedy-no-skip`` stops
    there. ``threshold`` (greedy rules only) leaves out the projects with fewer votes
    (points on cumulative and ordinal ballots). ``utility``, ``completion`` and
    ``comparison`` apply to equal shares only; the comparison step replaces its outcome by
    greedy's when strictly more voters prefer greedy's. ``fund_unvoted=False`` keeps
    greedy (also as Add1u's top-up and in the comparison) from funding a project nobody
    voted for; the default agrees with pabutools. Equal shares and Phragmén never fund
    one. Ballots are checked first; invalid input raises ``CountingError``.
    """
    if rule not in Rule.ALL:
        raise CountingError(f"unknown rule {rule!r}; use one of {', '.join(Rule.ALL)}")
    if threshold is not None and rule not in Rule.GREEDY_RULES:
        raise CountingError(f"a threshold applies to the greedy rules only, not to {rule}")
    utility, completion = Utility(utility), Completion(completion)
    check_profile(instance, profile)
    if not profile.ballots:
        raise CountingError("there are no ballots to count")
    election = Election.of(instance, profile)
    order = tie_order(instance, election.votes, tie_breaking or TieBreaking())
    switched = False
    if rule in Rule.GREEDY_RULES:
        outcome = greedy(
            election,
            order,
            fund_unvoted=fund_unvoted,
            skip=rule == Rule.GREEDY,
            threshold=threshold,
        )
    elif rule == Rule.PHRAGMEN:
        from .rules.phragmen import sequential_phragmen

        outcome = sequential_phragmen(election, order)
    else:
        from .rules.mes import equal_shares

        outcome = equal_shares(
            election, order, utility, completion, progress, fund_unvoted=fund_unvoted
        )
        if comparison:
            ties_of_equal_shares = list(order.ties)
            greedy_outcome = greedy(election, order, fund_unvoted=fund_unvoted)
            if _prefer_second(election, utility, outcome.selected, greedy_outcome.selected):
                outcome, switched = greedy_outcome, True
                del order.ties[: len(ties_of_equal_shares)]
            else:
                order.ties[:] = ties_of_equal_shares
    is_mes = rule == Rule.MES
    return Result(
        rule=rule,
        utility=utility if is_mes else None,
        completion=completion if is_mes else None,
        comparison=comparison and is_mes,
        selected=tuple(outcome.selected),
        total_cost=outcome.total_cost(election),
        budget=instance.budget,
        explanations={p.id: outcome.explanations[p.id] for p in instance.projects},
        share_per_voter=None if switched else outcome.share_per_voter,
        ties=tuple(order.ties),
        tie_mode=order.mode,
        tie_seed=order.seed,
        lot_was_needed=order.lot_was_needed,
        switched_to_greedy=switched,
        threshold=threshold,
    )


def _prefer_second(
    election: Election, utility: Utility, first: list[str], second: list[str]
) -> bool:
    """True if strictly more voters are better off with ``second`` than with ``first``."""
    difference: list[Money] = [0] * election.voter_count
    for sign, selection in ((-1, first), (1, second)):
        for project_id in selection:
            scale = election.costs[project_id] if utility is Utility.COST else 1
            for points, voters in election.supporters_by_points[project_id].items():
                for voter in voters:
                    difference[voter] += sign * points * scale
    prefer_second = sum(1 for d in difference if d > 0)
    prefer_first = sum(1 for d in difference if d < 0)
    return prefer_second > prefer_first
