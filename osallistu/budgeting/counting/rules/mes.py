"""The Method of Equal Shares (equalshares.net), exact, with its completions.

The budget is split equally among the voters. In each round every project whose
supporters can still pay for it gets a price factor ``rho``: the smallest number such that
supporters paying ``min(their money, rho * utility)`` cover the cost. The project with the
smallest factor is bought and its supporters pay. Utilities are the cost of the project
(``cost``, equalshares.net) or 1 (``approval``), multiplied by the points on cumulative
ballots.

The exact count (``EqualShares.run``): money is held in exact rationals, but voters who
paid the same amounts share one *class* of equal money, so a project's supporters collapse
to a few classes that are counted at C speed (``Counter``). As in pabutools, a project's
factor from an earlier round is a lower bound for later rounds (money only decreases), so
most projects are not re-evaluated each round. Plain MES is one exact count.

Add1 completion reruns the count with each voter's share raised by one currency unit at a
time; only the selection at each share matters until the last one. Two things make it fast:

- *Ranges of shares.* Rather than rerunning for every unit, whole ranges of shares are
  proven to give the same outcome, and hence the same stopping decision, from two runs: one
  at each end. While the same projects win the same rounds, a larger share leaves every
  voter at least as much money in every round, so every price factor can only fall. Hence
  if in each round the winner's factor at the low share is below every other project's
  factor at the high share, the winner wins that round at every share in between
  (``EqualShares._certify``). Ranges are found by doubling and halving jumps, and proofs
  chain (``_next_outcome``).
- *Screened counts* (``screening.py``). Each of these runs is first counted in floating
  point, vectorised over voters with numpy, carrying a proven bound on every voter's
  rounding error; each decision (who wins a round, who cannot pay, the range proof) is
  accepted only when it holds for every exact value within the bounds. Exact ties are
  settled in integers when the winner's factor is provably its cost / total utility.
  Anything closer than the bounds makes the screened count give up, and that share is
  counted exactly (``EqualShares.outcome``).

Whatever share Add1 stops at is then counted exactly once more: the prices, the money left
for the explanations and the recorded ties all come from that exact count, and its
selection must equal the screened one. The tests check the result against a literal
step-by-step implementation, against pabutools, and screened counts against exact ones.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..arithmetic import Rational, rational, to_money
from ..explain import Code, Explanation, exceeds_budget
from ..model import CountingError
from ..options import Completion, Utility
from ..ties import Tie, TieOrder
from .base import Election, RuleOutcome
from .greedy import greedy_top_up
from .screening import LowerRun, Screen, Undecided

EXHAUSTED = 1
"""The class of voters with no money left."""


Progress = Callable[[str], None]


@dataclass
class Evaluation:
    rho: Rational
    buckets: list[tuple[int, int, int]]
    """(class, utility, number of voters) of the supporters."""


@dataclass
class MesRun:
    share: Rational
    selected: list[str]
    prices: dict[str, Rational]
    winning_factors: list[Rational]
    """The price factor of each round's winner (exact runs), or an upper bound of it
    (screened runs)."""
    money_left: _Classes | None
    """Every voter's money at the end, for explaining what was not funded."""
    ties: list[Tie]
    certified: bool = False
    """Run with ``certify``: its outcome provably holds from the lower run's share to this."""
    exact: bool = True
    """False for a screened run: its selection is proven, but it has no prices or money."""


class Uncertified(Exception):
    """A round's winner could not be proven the same over the whole range of shares."""


@dataclass
class _Classes:
    """Voters grouped by equal money: ``of_voter[i]`` is voter i's class."""

    money: list[Rational]
    of_voter: np.ndarray
    known: dict[Rational, int]

    def class_for(self, money: Rational) -> int:
        if money not in self.known:
            self.known[money] = len(self.money)
            self.money.append(money)
        return self.known[money]


class EqualShares:
    def __init__(
        self, election: Election, order: TieOrder, utility: Utility, *, screening: bool = True
    ):
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
        self.level_arrays = {
            project_id: [(utility, np.asarray(voters, dtype=np.intp)) for utility, voters in levels]
            for project_id, levels in self.levels.items()
        }
        self.candidates = sorted(self.levels, key=order.rank.__getitem__)
        self.ratio = {
            p: rational(election.costs[p], sum(u * len(v) for u, v in levels))
            for p, levels in self.levels.items()
        }
        """Cost / total utility: the lowest factor a project can ever have."""
        self.screening = screening
        self.counts: Counter[str] = Counter()
        """How many counts were ``screened``, ``exact`` and ``undecided`` (then exact)."""

    @cached_property
    def screen(self) -> Screen | None:
        """Built on first use: plain equal shares (one exact count) never needs it."""
        if not self.screening:
            return None
        return Screen.of(
            self.election.voter_count,
            self.level_arrays,
            self.election.costs,
            self.candidates,
            self.order.rank,
        )

    def outcome(self, share: Rational, *, certify: MesRun | None = None) -> MesRun:
        """Like ``run``, screened in floating point when that proves the outcome."""
        if self.screen is not None:
            lower = None
            if certify is not None:
                lower = LowerRun(
                    certify.selected,
                    [_float_above(f) for f in certify.winning_factors],
                    [
                        f == self.ratio[p]
                        for p, f in zip(certify.selected, certify.winning_factors, strict=True)
                    ],
                )
            try:
                screened = self.screen.run(float(share), lower)
            except Undecided:
                self.counts["undecided"] += 1
            else:
                self.counts["screened"] += 1
                factors = [
                    self.ratio[p] if at_ratio else rational(ceiling)
                    for p, ceiling, at_ratio in zip(
                        screened.selected, screened.ceilings, screened.paid_in_full, strict=True
                    )
                ]
                return MesRun(
                    share, screened.selected, {}, factors, None, [], screened.certified, exact=False
                )
        return self.run(share, certify=certify)

    def run(self, share: Rational, *, certify: MesRun | None = None) -> MesRun:
        """One count with ``share`` per voter.

        With ``certify`` (a run at a lower share), ``certified`` tells whether every share
        from that one up to this one provably gives the same outcome.
        """
        self.counts["exact"] += 1
        # Ties are reported for the run whose outcome counts, so each run starts afresh.
        self.order.ties.clear()
        zero = rational(0)
        classes = _Classes(
            [share, zero], np.zeros(self.election.voter_count, dtype=np.intp), {share: 0}
        )
        classes.known[zero] = EXHAUSTED
        remaining = set(self.candidates)
        # A factor from an earlier round is a lower bound later on: money only decreases.
        lower_bound = {p: self.ratio[p] for p in remaining}
        selected: list[str] = []
        factors: list[Rational] = []
        prices: dict[str, Rational] = {}
        certified = certify is not None
        while True:
            best: Rational | None = None
            tied: list[str] = []
            evaluated: dict[str, Evaluation] = {}
            for project_id in sorted(remaining, key=lower_bound.__getitem__):
                if best is not None and lower_bound[project_id] > best:
                    break
                evaluation = self._evaluate(project_id, classes)
                if evaluation is None:
                    remaining.discard(project_id)
                    continue
                evaluated[project_id] = evaluation
                lower_bound[project_id] = evaluation.rho
                if best is None or evaluation.rho < best:
                    best, tied = evaluation.rho, [project_id]
                elif evaluation.rho == best:
                    tied.append(project_id)
            if best is None:
                break
            winner = self.order.pick(tied)
            if certify is not None:
                try:
                    self._certify(certify, len(selected), winner, remaining, lower_bound, classes)
                except Uncertified:
                    certify = None
                    certified = False
            prices[winner] = self._pay(evaluated[winner], classes, winner)
            selected.append(winner)
            factors.append(best)
            remaining.discard(winner)
        if certify is not None and len(certify.selected) != len(selected):
            certified = False
        return MesRun(share, selected, prices, factors, classes, list(self.order.ties), certified)

    def _certify(
        self,
        low: MesRun,
        round_index: int,
        winner: str,
        remaining: set[str],
        lower_bound: dict[str, Rational],
        classes: _Classes,
    ) -> None:
        """Prove that ``winner`` wins this round at every share from ``low``'s up to ours.

        In between, the winner's factor is at most its factor at the low share, and every
        other project's factor is at least its factor here, at the high share.
        """
        if round_index >= len(low.selected) or low.selected[round_index] != winner:
            raise Uncertified
        ceiling = low.winning_factors[round_index]
        rank = self.order.rank

        def beaten(project_id: str, factor: Rational) -> bool:
            return factor > ceiling or (factor == ceiling and rank[winner] < rank[project_id])

        for project_id in list(remaining):
            if project_id == winner or beaten(project_id, lower_bound[project_id]):
                continue
            evaluation = self._evaluate(project_id, classes)
            if evaluation is None:
                remaining.discard(project_id)
                continue
            lower_bound[project_id] = evaluation.rho
            if not beaten(project_id, evaluation.rho):
                raise Uncertified

    def _buckets(self, project_id: str, classes: _Classes) -> list[tuple[int, int, int]]:
        """(class, utility, number of voters) of the project's supporters."""
        buckets = []
        for utility, voters in self.level_arrays[project_id]:
            counts = np.bincount(classes.of_voter[voters])
            buckets.extend(
                (cls, utility, count)
                for cls, count in zip(
                    np.flatnonzero(counts).tolist(), counts[counts > 0].tolist(), strict=True
                )
            )
        return buckets

    def supporters_money(self, project_id: str, classes: _Classes) -> Rational:
        money = classes.money
        return sum(
            (money[cls] * count for cls, _, count in self._buckets(project_id, classes)),
            rational(0),
        )

    def _evaluate(self, project_id: str, classes: _Classes) -> Evaluation | None:
        """The price factor of a project, or None if its supporters cannot afford it."""
        cost = self.election.costs[project_id]
        buckets = self._buckets(project_id, classes)
        money = classes.money
        # Start with everyone paying rho * utility; whoever cannot afford that pays all they
        # have instead, which raises rho for the rest; repeat until nobody new falls short.
        # Each round only compares, so no sorting is needed, and it ends after a few rounds.
        total_utility = sum(utility * count for _, utility, count in buckets)
        paying_in_full = buckets
        poor_money, poor_utility = rational(0), 0
        while poor_utility < total_utility:
            rho = (cost - poor_money) / (total_utility - poor_utility)
            short = [b for b in paying_in_full if money[b[0]] < rho * b[1]]
            if not short:
                return Evaluation(rho, buckets)
            poor_money += sum(money[cls] * count for cls, _, count in short)
            poor_utility += sum(utility * count for _, utility, count in short)
            paying_in_full = [b for b in paying_in_full if money[b[0]] >= rho * b[1]]
        return None  # even with all they have, the supporters cannot pay the cost

    def _pay(self, evaluation: Evaluation, classes: _Classes, project_id: str) -> Rational:
        """Supporters pay for the project; returns the largest single payment."""
        new_class: dict[tuple[int, int], int] = {}
        largest = rational(0)
        for cls, utility, _ in evaluation.buckets:
            money = classes.money[cls]
            payment = min(money, evaluation.rho * utility)
            new_class[cls, utility] = classes.class_for(money - payment)
            largest = max(largest, payment)
        of_voter = classes.of_voter
        for utility, voters in self.level_arrays[project_id]:
            renamed = np.arange(len(classes.money), dtype=np.intp)
            for (cls, paid_utility), new in new_class.items():
                if paid_utility == utility:
                    renamed[cls] = new
            of_voter[voters] = renamed[of_voter[voters]]
        return largest


def equal_shares(
    election: Election,
    order: TieOrder,
    utility: Utility,
    completion: Completion,
    progress: Progress | None = None,
    *,
    fund_unvoted: bool = True,
    screening: bool = True,
) -> RuleOutcome:
    """``screening=False`` counts every Add1 step exactly (for the tests: same outcome)."""
    if election.voter_count == 0:
        raise CountingError("there are no ballots to count")
    mes = EqualShares(election, order, utility, screening=screening)
    base_share = rational(election.budget) / election.voter_count
    if completion is Completion.NONE:
        run = mes.run(base_share)
    else:
        run = _add1(mes, mes.outcome(base_share), completion, progress)
        if not run.exact:
            screened, run = run, mes.run(run.share)
            if run.selected != screened.selected:
                raise RuntimeError("the screened count disagrees with the exact count")
        order.ties[:] = run.ties
    outcome = _explain(election, mes, run)
    if completion is Completion.ADD1U:
        topped = greedy_top_up(
            election, order, already_funded=run.selected, fund_unvoted=fund_unvoted
        )
        outcome.explanations.update(topped.explanations)
        outcome.selected = topped.selected
    return outcome


def _add1(
    mes: EqualShares,
    run: MesRun,
    completion: Completion,
    progress: Progress | None,
) -> MesRun:
    """Raise the share one unit at a time, skipping proven-equal steps, until it stops."""
    budget = mes.election.budget
    costs = mes.election.costs
    previous: MesRun | None = None
    while True:
        total = sum((costs[p] for p in run.selected), 0)
        if total > budget:
            assert previous is not None, "equal shares at the plain share never overspends"
            return previous
        unselected = [p for p in mes.candidates if p not in set(run.selected)]
        if not unselected:
            return run
        if completion is not Completion.ADD1_EXHAUSTIVE and all(
            total + costs[p] > budget for p in unselected
        ):
            return run
        if progress is not None:
            progress(f"equal shares, share {float(run.share):,.0f} per voter")
        previous, run = _next_outcome(mes, run)


def _next_outcome(mes: EqualShares, low: MesRun) -> tuple[MesRun, MesRun]:
    """The run at the last unit step that provably has ``low``'s outcome, and the run one
    step after it.

    Each proof covers the range from a lower run to a higher one, and proofs chain: the
    higher run becomes the lower end of the next. The jump doubles after a proof and halves
    after a failure; a failed single step is simply the next step's run.
    """
    jump = 1
    while True:
        high = mes.outcome(low.share + jump, certify=low)
        if high.certified:
            low = high
            jump *= 2
        elif jump == 1:
            return low, high
        else:
            jump //= 2


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
            assert run.money_left is not None, "explanations come from an exact run"
            money = to_money(mes.supporters_money(project_id, run.money_left))
            explanations[project_id] = Explanation(
                project_id,
                Code.SUPPORTERS_SHORT,
                cost,
                votes,
                supporters_money=money,
                short_by=cost - money,
            )
    return RuleOutcome(list(run.selected), explanations, share_per_voter=to_money(run.share))


def _float_above(value: Rational) -> float:
    """The nearest float at or above an exact rational."""
    nearest = float(value)
    return nearest if rational(nearest) >= value else math.nextafter(nearest, math.inf)
