"""The Method of Equal Shares (equalshares.net), exact, with its completions.

The budget is split equally among the voters. In each round every project whose
supporters can still pay for it gets a price factor ``rho``: the smallest number such that
supporters paying ``min(their money, rho * utility)`` cover the cost. The project with the
smallest factor is bought and its supporters pay. Utilities are the cost of the project
(``cost``, equalshares.net) or 1 (``approval``), multiplied by the points on cumulative
ballots.

Speed without giving up exactness: money is held in ``Rational``s, but voters who paid the
same amounts share one *class* of equal money, so a project's supporters collapse to a few
classes that are counted at C speed (``Counter``). As in pabutools, a project's factor from an
earlier round is a lower bound for later rounds (money only decreases), so most projects are
not re-evaluated each round.

Add1 completion reruns the count with each voter's share raised by one currency unit at a
time. Rather than rerunning for every unit, each run also proves for how far above its share
the outcome stays the same: every amount in the run is an affine function of the share
``b`` as long as the same comparisons come out the same way, so each comparison yields the
share at which it could first change. All unit steps below the smallest such share give the
same outcome and hence the same stopping decision, and are skipped. The result is the
step-by-step definition's result, and the tests check this against a literal
implementation.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ..arithmetic import Rational, rational, to_money
from ..explain import Code, Explanation, exceeds_budget
from ..model import CountingError
from ..ties import Tie, TieOrder
from .base import Election, RuleOutcome
from .greedy import greedy_top_up

EXHAUSTED = 1
"""The class of voters with no money left."""


class Utility(StrEnum):
    COST = "cost"
    APPROVAL = "approval"


class Completion(StrEnum):
    NONE = "none"
    ADD1 = "add1"
    ADD1_EXHAUSTIVE = "add1-exhaustive"
    ADD1U = "add1u"


Progress = Callable[[str], None]


@dataclass
class Affine:
    """``value`` at the current share and its rate of change with the share."""

    value: Rational
    slope: Rational


@dataclass
class Evaluation:
    rho: Affine
    buckets: list[tuple[int, int, int]]
    """(class, utility, number of voters) of the supporters."""
    stable_until: Rational | None


@dataclass
class MesRun:
    share: Rational
    selected: list[str]
    prices: dict[str, Rational]
    supporters_money: dict[str, Rational]
    stable_until: Rational | None
    """Every share in [share, stable_until) gives the same selection (None: any share above)."""
    ties: list[Tie]


@dataclass
class _Classes:
    """Voters grouped by equal money: ``of_voter[i]`` is voter i's class."""

    money: list[Affine]
    of_voter: list[int]
    known: dict[tuple[Rational, Rational], int] = field(default_factory=dict)

    def class_for(self, value: Rational, slope: Rational) -> int:
        key = (value, slope)
        if key not in self.known:
            self.known[key] = len(self.money)
            self.money.append(Affine(value, slope))
        return self.known[key]


def _earliest(current: Rational | None, share: Rational, gap: Affine) -> Rational | None:
    """Tighten ``current`` by the share where ``gap`` (now >= 0) could turn negative."""
    if gap.slope >= 0:
        return current
    return _earlier(current, share + gap.value / -gap.slope)


def _earlier(current: Rational | None, candidate: Rational) -> Rational:
    return candidate if current is None else min(current, candidate)


class EqualShares:
    def __init__(self, election: Election, order: TieOrder, utility: Utility):
        self.election = election
        self.order = order
        self.levels: dict[str, list[tuple[int, list[int]]]] = {}
        for project_id, by_points in election.supporters_by_points.items():
            if not by_points:
                continue
            scale = election.costs[project_id] if utility is Utility.COST else 1
            self.levels[project_id] = [
                (points * scale, voters) for points, voters in sorted(by_points.items())
            ]
        self.candidates = sorted(self.levels, key=order.rank.__getitem__)

    def run(self, share: Rational, *, certify: bool) -> MesRun:
        """One count with ``share`` per voter; ``certify`` also proves how long it holds."""
        # Ties are reported for the run whose outcome counts, so each run starts afresh.
        self.order.ties.clear()
        one = rational(1) if certify else rational(0)
        classes = _Classes([Affine(share, one), Affine(rational(0), rational(0))], [])
        classes.known = {(share, one): 0, (rational(0), rational(0)): EXHAUSTED}
        classes.of_voter = [0] * self.election.voter_count
        costs = self.election.costs
        remaining = set(self.candidates)
        lower_bound = {
            p: Affine(rational(costs[p], sum(u * len(v) for u, v in self.levels[p])), rational(0))
            for p in remaining
        }
        stable_until: Rational | None = None
        selected: list[str] = []
        prices: dict[str, Rational] = {}
        while True:
            best: Affine | None = None
            tied: list[str] = []
            evaluated: dict[str, Evaluation] = {}
            pending = sorted(remaining, key=lambda p: (lower_bound[p].value, self.order.rank[p]))
            for position, project_id in enumerate(pending):
                if best is not None and lower_bound[project_id].value > best.value:
                    pending = pending[position:]
                    break
                evaluation = self._evaluate(project_id, classes, share, certify)
                if evaluation is None:
                    remaining.discard(project_id)
                    if certify:
                        money = self._money(project_id, classes)
                        shortfall = Affine(costs[project_id] - money.value, -money.slope)
                        stable_until = _earliest(stable_until, share, shortfall)
                    continue
                evaluated[project_id] = evaluation
                lower_bound[project_id] = evaluation.rho
                if evaluation.stable_until is not None:
                    stable_until = _earlier(stable_until, evaluation.stable_until)
                rho = evaluation.rho.value
                if best is None or rho < best.value:
                    best, tied = evaluation.rho, [project_id]
                elif rho == best.value:
                    tied.append(project_id)
            else:
                pending = []
            if best is None:
                break
            winner = self.order.pick(tied)
            best = evaluated[winner].rho
            if certify:
                for project_id, evaluation in evaluated.items():
                    if project_id != winner:
                        stable_until = _earliest(stable_until, share, _minus(evaluation.rho, best))
                for project_id in pending:
                    if project_id not in evaluated:
                        stable_until = _earliest(
                            stable_until, share, _minus(lower_bound[project_id], best)
                        )
            prices[winner] = self._pay(evaluated[winner], classes, winner)
            selected.append(winner)
            remaining.discard(winner)
        supporters_money = {
            p: self._money(p, classes).value for p in self.candidates if p not in prices
        }
        return MesRun(
            share, selected, prices, supporters_money, stable_until, list(self.order.ties)
        )

    def _money(self, project_id: str, classes: _Classes) -> Affine:
        value, slope = rational(0), rational(0)
        for _, voters in self.levels[project_id]:
            for cls, count in Counter(map(classes.of_voter.__getitem__, voters)).items():
                value += classes.money[cls].value * count
                slope += classes.money[cls].slope * count
        return Affine(value, slope)

    def _evaluate(
        self, project_id: str, classes: _Classes, share: Rational, certify: bool
    ) -> Evaluation | None:
        """The price factor of a project, or None if its supporters cannot afford it."""
        cost = self.election.costs[project_id]
        buckets = [
            (cls, utility, count)
            for utility, voters in self.levels[project_id]
            for cls, count in Counter(map(classes.of_voter.__getitem__, voters)).items()
        ]
        money = classes.money
        if sum(money[cls].value * count for cls, _, count in buckets) < cost:
            return None
        buckets.sort(key=lambda bucket: money[bucket[0]].value / bucket[1])
        paid, paid_slope = rational(0), rational(0)
        utility_left = sum(utility * count for _, utility, count in buckets)
        for cls, utility, count in buckets:
            rho = (cost - paid) / utility_left
            if rho * utility <= money[cls].value:
                break
            paid += money[cls].value * count
            paid_slope += money[cls].slope * count
            utility_left -= utility * count
        rho_affine = Affine(rho, -paid_slope / utility_left)
        stable_until = None
        if certify:
            for cls, utility, _ in buckets:
                payment = Affine(rho_affine.value * utility, rho_affine.slope * utility)
                gap = _minus(money[cls], payment)
                if gap.value < 0:
                    gap = _minus(payment, money[cls])
                stable_until = _earliest(stable_until, share, gap)
        return Evaluation(rho_affine, buckets, stable_until)

    def _pay(self, evaluation: Evaluation, classes: _Classes, project_id: str) -> Rational:
        """Supporters pay for the project; returns the largest single payment."""
        rho = evaluation.rho
        new_class: dict[tuple[int, int], int] = {}
        largest = rational(0)
        for cls, utility, _ in evaluation.buckets:
            money = classes.money[cls]
            payment = rho.value * utility
            if payment <= money.value:
                # Paying in full; the slope is kept even when nothing is left now, because
                # at a higher share these voters keep some money.
                new_class[cls, utility] = classes.class_for(
                    money.value - payment, money.slope - rho.slope * utility
                )
                largest = max(largest, payment)
            else:
                new_class[cls, utility] = EXHAUSTED
                largest = max(largest, money.value)
        of_voter = classes.of_voter
        for utility, voters in self.levels[project_id]:
            for voter in voters:
                of_voter[voter] = new_class[of_voter[voter], utility]
        return largest


def _minus(a: Affine, b: Affine) -> Affine:
    return Affine(a.value - b.value, a.slope - b.slope)


def equal_shares(
    election: Election,
    order: TieOrder,
    utility: Utility,
    completion: Completion,
    progress: Progress | None = None,
) -> RuleOutcome:
    if election.voter_count == 0:
        raise CountingError("there are no ballots to count")
    mes = EqualShares(election, order, utility)
    base_share = rational(election.budget) / election.voter_count
    run = mes.run(base_share, certify=completion is not Completion.NONE)
    if completion is not Completion.NONE:
        run = _add1(mes, run, base_share, completion, progress)
        order.ties[:] = run.ties
    outcome = _explain(election, mes, run)
    if completion is Completion.ADD1U:
        topped = greedy_top_up(election, order, already_funded=run.selected)
        outcome.explanations.update(topped.explanations)
        outcome.selected = topped.selected
    return outcome


def _add1(
    mes: EqualShares,
    run: MesRun,
    base_share: Rational,
    completion: Completion,
    progress: Progress | None,
) -> MesRun:
    """Raise the share one unit at a time (skipping proven-equal steps) until it stops."""
    budget = mes.election.budget
    costs = mes.election.costs
    step = 0
    previous: tuple[int, MesRun] | None = None
    while True:
        total = sum((costs[p] for p in run.selected), 0)
        if total > budget:
            assert previous is not None, "equal shares at the plain share never overspends"
            last_step, last_run = previous
            if last_step == step - 1:
                return last_run
            return mes.run(base_share + step - 1, certify=False)
        unselected = [p for p in mes.candidates if p not in set(run.selected)]
        if completion is not Completion.ADD1_EXHAUSTIVE and all(
            total + costs[p] > budget for p in unselected
        ):
            return run
        if not unselected or run.stable_until is None:
            return run
        next_step = max(step + 1, math.ceil(run.stable_until - base_share))
        if progress is not None:
            progress(f"equal shares, share {float(base_share + next_step):,.0f} per voter")
        previous = (step, run)
        step = next_step
        run = mes.run(base_share + step, certify=True)


def _explain(election: Election, mes: EqualShares, run: MesRun) -> RuleOutcome:
    explanations: dict[str, Explanation] = {}
    for position, project_id in enumerate(run.selected, start=1):
        explanations[project_id] = Explanation(
            project_id,
            Code.FUNDED,
            election.costs[project_id],
            election.votes[project_id],
            position=position,
            price_per_voter=to_money(run.prices[project_id]),
        )
    for project_id, cost in election.costs.items():
        if project_id in explanations:
            continue
        votes = election.votes[project_id]
        if cost > election.budget:
            explanations[project_id] = exceeds_budget(project_id, cost, votes)
        elif project_id not in mes.levels:
            explanations[project_id] = Explanation(project_id, Code.NO_VOTES, cost, votes)
        else:
            money = to_money(run.supporters_money[project_id])
            explanations[project_id] = Explanation(
                project_id,
                Code.SUPPORTERS_SHORT,
                cost,
                votes,
                supporters_money=money,
                short_by=cost - money,
            )
    return RuleOutcome(list(run.selected), explanations, share_per_voter=to_money(run.share))
