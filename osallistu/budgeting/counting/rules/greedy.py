"""Greedy by votes: fund projects in order of votes, skipping those that no longer fit."""

from __future__ import annotations

from ..explain import Code, Explanation, exceeds_budget
from ..model import Money
from ..ties import TieOrder
from .base import Election, RuleOutcome


def greedy(election: Election, order: TieOrder, *, fund_unvoted: bool = True) -> RuleOutcome:
    return greedy_top_up(election, order, already_funded=[], fund_unvoted=fund_unvoted)


def greedy_top_up(
    election: Election,
    order: TieOrder,
    already_funded: list[str],
    *,
    fund_unvoted: bool = True,
) -> RuleOutcome:
    """Fund the remaining projects greedily by votes after ``already_funded``.

    Projects with equal votes are taken in tie order; a tie is recorded only when more than
    one of them still fitted, since only then did the order decide anything. With
    ``fund_unvoted`` off, a project nobody voted for is never funded, even when money is
    left (pabutools and so the default fund it, to agree with the reference).
    """
    funded = list(already_funded)
    money_left: Money = election.budget - sum((election.costs[p] for p in funded), 0)
    waiting = sorted(
        (p for p in election.costs if p not in set(funded)),
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
            explanations[project_id] = Explanation(
                project_id,
                Code.NOT_ENOUGH_MONEY,
                cost,
                votes,
                money_left=money_left,
                short_by=cost - money_left,
            )
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
