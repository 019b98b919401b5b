"""Greedy by votes: fund projects in order of votes while the money lasts.

Plain greedy skips a project that no longer fits and goes on down the list; greedy
without skipping (pabulib's ``greedy-no-skip``) stops at the first project that does not
fit. Either may first leave out the projects whose votes (points on cumulative and
ordinal ballots) are below a threshold (pabulib's ``greedy-threshold``).
"""

from __future__ import annotations

from ..explain import Code, Explanation, exceeds_budget
from ..model import Money
from ..ties import TieOrder
from .base import Election, RuleOutcome


def greedy(
    election: Election,
    order: TieOrder,
    *,
    fund_unvoted: bool = True,
    skip: bool = True,
    threshold: Money | None = None,
) -> RuleOutcome:
    """``skip=False`` stops at the first project that does not fit; ``threshold`` leaves out
    the projects with fewer votes than it."""
    explanations = _below_threshold(election, threshold)
    if skip:
        outcome = greedy_top_up(
            election, order, already_funded=[], fund_unvoted=fund_unvoted, leave_out=explanations
        )
    else:
        outcome = _without_skipping(
            election, order, fund_unvoted=fund_unvoted, leave_out=explanations
        )
    outcome.explanations.update(explanations)
    return outcome


def greedy_top_up(
    election: Election,
    order: TieOrder,
    already_funded: list[str],
    *,
    fund_unvoted: bool = True,
    leave_out: dict[str, Explanation] | None = None,
) -> RuleOutcome:
    """Fund the remaining projects greedily by votes after ``already_funded``.

    Projects with equal votes are taken in tie order; a tie is recorded only when more than
    one of them still fitted, since only then did the order decide anything. With
    ``fund_unvoted`` off, a project nobody voted for is never funded, even when money is
    left (pabutools and so the default fund it, to agree with the reference). Projects in
    ``leave_out`` are not considered at all.
    """
    funded = list(already_funded)
    money_left: Money = election.budget - sum((election.costs[p] for p in funded), 0)
    passed_over = set(funded) | set(leave_out or ())
    waiting = sorted(
        (p for p in election.costs if p not in passed_over),
        key=lambda p: (-election.votes[p], order.rank[p]),
    )
    explanations: dict[str, Explanation] = {}
    for index, project_id in enumerate(waiting):
        cost, votes = election.costs[project_id], election.votes[project_id]
        if cost > election.budget:
            explanations[project_id] = exceeds_budget(project_id, cost, votes)
            continue
        if votes == 0 and not fund_unvoted:
            explanations[project_id] = Explanation(project_id, Code.NO_VOTES, cost, votes)
            continue
        if cost > money_left:
            explanations[project_id] = _short(project_id, cost, votes, money_left)
            continue
        rivals = [
            p
            for p in waiting[index:]
            if election.votes[p] == votes and election.costs[p] <= money_left
        ]
        order.pick(rivals)
        funded.append(project_id)
        money_left -= cost
        explanations[project_id] = Explanation(
            project_id,
            Code.FUNDED,
            cost,
            votes,
            position=len(funded),
            topped_up=bool(already_funded),
        )
    return RuleOutcome(funded, explanations)


def _without_skipping(
    election: Election,
    order: TieOrder,
    *,
    fund_unvoted: bool,
    leave_out: dict[str, Explanation],
) -> RuleOutcome:
    """Fund in order of votes until the first project that does not fit, then stop.

    That project stops the count even when it costs more than the whole budget: the rule
    says stop, and a city that meant otherwise would not have put it on the ballot. Among
    projects with equal votes the tie order decides which comes first; that is recorded
    when it mattered, that is when one of them still fitted.
    """
    funded: list[str] = []
    money_left: Money = election.budget
    waiting = sorted(
        (p for p in election.costs if p not in leave_out),
        key=lambda p: (-election.votes[p], order.rank[p]),
    )
    explanations: dict[str, Explanation] = {}
    stopped_by: str | None = None
    for index, project_id in enumerate(waiting):
        cost, votes = election.costs[project_id], election.votes[project_id]
        if votes == 0 and not fund_unvoted:
            explanations[project_id] = Explanation(project_id, Code.NO_VOTES, cost, votes)
            continue
        if stopped_by is not None:
            explanations[project_id] = Explanation(
                project_id, Code.COUNT_STOPPED, cost, votes, stopped_by=stopped_by
            )
            continue
        tied = [p for p in waiting[index:] if election.votes[p] == votes]
        if len(tied) > 1 and any(election.costs[p] <= money_left for p in tied):
            order.pick(tied)
        if cost > money_left:
            stopped_by = project_id
            explanations[project_id] = (
                exceeds_budget(project_id, cost, votes)
                if cost > election.budget
                else _short(project_id, cost, votes, money_left)
            )
            continue
        funded.append(project_id)
        money_left -= cost
        explanations[project_id] = Explanation(
            project_id, Code.FUNDED, cost, votes, position=len(funded)
        )
    return RuleOutcome(funded, explanations)


def _below_threshold(election: Election, threshold: Money | None) -> dict[str, Explanation]:
    """The projects the count leaves out before it starts."""
    if threshold is None:
        return {}
    return {
        project_id: Explanation(
            project_id, Code.BELOW_THRESHOLD, cost, election.votes[project_id], threshold=threshold
        )
        for project_id, cost in election.costs.items()
        if election.votes[project_id] < threshold
    }


def _short(project_id: str, cost: Money, votes: int, money_left: Money) -> Explanation:
    return Explanation(
        project_id,
        Code.NOT_ENOUGH_MONEY,
        cost,
        votes,
        money_left=money_left,
        short_by=cost - money_left,
    )
