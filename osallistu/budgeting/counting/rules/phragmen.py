"""Sequential Phragmén, exact.

Voters earn money continuously at the same rate. A project is bought as soon as its
supporters together have earned its cost; they spend all they have on it. The count stops
when the next project to be bought no longer fits in the budget (as pabutools does, also
when it ties with one that would fit). Projects dearer than the whole budget are left out
from the start.
"""

from __future__ import annotations

from collections import Counter

from ..arithmetic import Rational, rational
from ..explain import Code, Explanation, exceeds_budget
from ..model import CountingError, Money, VoteType
from ..ties import TieOrder
from .base import Election, RuleOutcome


def sequential_phragmen(election: Election, order: TieOrder) -> RuleOutcome:
    if election.vote_type is not VoteType.APPROVAL:
        raise CountingError("sequential Phragmén counts approval ballots only")
    supporters = {p: election.supporters(p) for p in election.costs}
    # Voters bought the same projects at the same moments hold equal loads, so loads are
    # kept per class of voters: load_of_class[class_of_voter[i]].
    load_of_class: list[Rational] = [rational(0)]
    class_of_voter = [0] * election.voter_count
    # A project dearer than the whole budget could never be bought; it must not stop the count.
    remaining = {p for p, cost in election.costs.items() if cost <= election.budget}
    funded: list[str] = []
    explanations: dict[str, Explanation] = {
        p: exceeds_budget(p, cost, election.votes[p])
        for p, cost in election.costs.items()
        if p not in remaining
    }
    money_left: Money = election.budget
    # Loads only grow, so a project's time from an earlier round is a lower bound on its
    # time now, and projects whose bound is later than the best time need no recount.
    # Projects nobody supports have no time (None) and come last.
    known_time: dict[str, Rational | None] = {
        p: rational(election.costs[p], len(supporters[p])) if supporters[p] else None
        for p in remaining
    }
    while remaining:
        earliest: Rational | None = None
        tied: list[str] = []
        for project_id in sorted(remaining, key=lambda p: _later_is_greater(known_time[p])):
            bound = known_time[project_id]
            if tied and _later_is_greater(bound) > _later_is_greater(earliest):
                break
            time = _time_to_buy(
                election, project_id, supporters[project_id], load_of_class, class_of_voter
            )
            known_time[project_id] = time
            if not tied or (time is not None and (earliest is None or time < earliest)):
                earliest, tied = time, [project_id]
            elif time == earliest:
                tied.append(project_id)
        too_dear = [p for p in tied if election.costs[p] > money_left]
        if too_dear:
            blocker = order.pick(too_dear)
            _explain_stop(election, remaining, blocker, money_left, explanations)
            break
        winner = order.pick(tied)
        funded.append(winner)
        remaining.discard(winner)
        money_left -= election.costs[winner]
        explanations[winner] = Explanation(
            winner,
            Code.FUNDED,
            election.costs[winner],
            election.votes[winner],
            position=len(funded),
        )
        if earliest is not None:
            load_of_class.append(earliest)
            new_class = len(load_of_class) - 1
            for voter in supporters[winner]:
                class_of_voter[voter] = new_class
    return RuleOutcome(funded, explanations)


def _later_is_greater(time: Rational | None) -> tuple[bool, Rational]:
    return (time is None, rational(0) if time is None else time)


def _time_to_buy(
    election: Election,
    project_id: str,
    supporters: list[int],
    load_of_class: list[Rational],
    class_of_voter: list[int],
) -> Rational | None:
    """When the supporters will have earned the cost; None if nobody supports it."""
    if not supporters:
        return None
    loads = sum(
        load_of_class[cls] * count
        for cls, count in Counter(map(class_of_voter.__getitem__, supporters)).items()
    )
    return (loads + election.costs[project_id]) / len(supporters)


def _explain_stop(
    election: Election,
    remaining: set[str],
    blocker: str,
    money_left: Money,
    explanations: dict[str, Explanation],
) -> None:
    for project_id in remaining:
        cost, votes = election.costs[project_id], election.votes[project_id]
        if project_id == blocker or cost > money_left:
            explanations[project_id] = Explanation(
                project_id,
                Code.NOT_ENOUGH_MONEY,
                cost,
                votes,
                money_left=money_left,
                short_by=cost - money_left,
            )
        else:
            explanations[project_id] = Explanation(
                project_id, Code.COUNT_STOPPED, cost, votes, stopped_by=blocker
            )
