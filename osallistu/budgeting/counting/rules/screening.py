"""Equal-shares counts in floating point that prove their own outcome, for Add1.

Add1 needs the outcome of a count at many shares but the exact money of only one of them.
A screened count runs the same rounds as the exact count (``mes.EqualShares``) with
float64 money, vectorised over voters with numpy, and carries for every voter a bound on
how far its float money can be from the exact money. Every decision is then proven rather
than assumed:

- *who wins a round*: the winner's exact price factor lies in an interval ``(low, high]``
  and every other project's exact factor is shown to be above ``high``;
- *a project is out of reach*: its supporters' money, plus the bound, is below its cost.

A factor is located without computing it exactly: with ``F(t)`` the money the supporters
would pay if each paid ``min(money, t * utility)``, the exact factor is the smallest ``t``
with ``F(t) >= cost``, and ``F`` rises with ``t``. So ``F(t) < cost`` proves the factor is
above ``t`` and ``F(t) >= cost`` proves it is at most ``t``. ``F(t)`` is computed in floats
and accepted only with a margin that covers the voters' money bounds and every rounding
(``_margin``: a sum of ``n`` non-negative floats is within ``n * 2**-53`` of the exact sum,
relatively; one product or difference within ``2**-53``; the margin doubles that).

After a round each payer's bound grows by the uncertainty of the factor times its utility,
plus rounding; a voter proven to pay all it has holds exactly 0 and its bound returns to 0.

Whenever a decision is closer than the margins (an exact tie, or a near one), the screened
count gives up (``Undecided``) and the caller counts that share exactly. Screening applies
only when every cost, utility and share is small enough to be exact in a float64 (below
2**50); otherwise every count is exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

ROUNDING = 2.0**-51
"""Twice the unit round-off of float64: the relative error allowed per operation."""
LARGEST = 2.0**50
"""Costs, utilities and shares above this are not screened."""
SMALLEST = 2.0**-50
"""Shares below this are not screened either (far from the limits of float64)."""


class Undecided(Exception):
    """A decision of the screened count was too close to prove; count exactly instead."""


@dataclass
class _Located:
    """A project's supporters at the current money, and the approximate price factor."""

    rho: float
    money: np.ndarray
    error: np.ndarray
    error_sum: float
    utility: np.ndarray | float
    paying_utility: float
    """Utility of the supporters who pay ``rho * utility`` rather than all they have."""


@dataclass
class ScreenedRun:
    selected: list[str]
    ceilings: list[float]
    """Upper bounds of each round winner's exact price factor."""
    paid_in_full: list[bool]
    """Proven for each round: every supporter of the winner paid the factor times its
    utility, so the winner's exact factor is its cost / total utility."""
    certified: bool


@dataclass
class LowerRun:
    """What certifying a range needs from the run at its lower end."""

    selected: Sequence[str]
    ceilings: Sequence[float]
    """Upper bounds of each round winner's exact factor."""
    at_ratio: Sequence[bool]
    """Whether that factor is exactly the winner's cost / total utility."""


class Screen:
    """The election as numpy arrays, ready for screened counts at any share."""

    def __init__(
        self,
        voter_count: int,
        levels: Mapping[str, list[tuple[int, np.ndarray]]],
        costs: Mapping[str, int],
        candidates: Sequence[str],
        rank: Mapping[str, int],
    ):
        self.voter_count = voter_count
        self.candidates = list(candidates)
        self.rank = rank
        self.cost: dict[str, float] = {}
        self.whole_cost: dict[str, int] = {}
        self.whole_total_utility: dict[str, int] = {}
        self.voters: dict[str, np.ndarray] = {}
        self.utility: dict[str, np.ndarray | float] = {}
        self.total_utility: dict[str, float] = {}
        self.initial_bound: dict[str, float] = {}
        for project_id in self.candidates:
            project_levels = levels[project_id]
            self.cost[project_id] = float(costs[project_id])
            self.whole_cost[project_id] = costs[project_id]
            self.voters[project_id] = np.concatenate([voters for _, voters in project_levels])
            if len(project_levels) == 1:
                self.utility[project_id] = float(project_levels[0][0])
            else:
                self.utility[project_id] = np.concatenate(
                    [np.full(len(voters), float(u)) for u, voters in project_levels]
                )
            total = sum(u * len(voters) for u, voters in project_levels)
            self.total_utility[project_id] = float(total)
            self.whole_total_utility[project_id] = total
            # cost / total rounded once, then lowered past any rounding: below the factor.
            self.initial_bound[project_id] = costs[project_id] / total * (1 - 4 * ROUNDING)

    @classmethod
    def of(
        cls,
        voter_count: int,
        levels: Mapping[str, list[tuple[int, np.ndarray]]],
        costs: Mapping[str, object],
        candidates: Sequence[str],
        rank: Mapping[str, int],
    ) -> Screen | None:
        """A screen, or None if some number is not an integer small enough to screen."""
        for project_id in candidates:
            cost = costs[project_id]
            if not isinstance(cost, int) or not 0 < cost < LARGEST:
                return None
            total = sum(u * len(voters) for u, voters in levels[project_id])
            if total >= LARGEST:
                return None
        return cls(voter_count, levels, costs, candidates, rank)  # type: ignore[arg-type]

    def run(
        self,
        share: float,
        lower: LowerRun | None = None,
    ) -> ScreenedRun:
        """The proven outcome at ``share`` (the float nearest the exact share), or Undecided.

        With a ``lower`` run, ``certified`` tells whether every share from that one up to
        this one provably gives the same outcome (see ``EqualShares._certify``): each
        round's winner is the same and every other project's factor here is above the
        winner's factor there (or equal, with the winner first in tie order).
        """
        if not SMALLEST < share < LARGEST:
            raise Undecided
        money = np.full(self.voter_count, share)
        # float(share) is within half a unit in the last place of the exact share.
        error = np.full(self.voter_count, share * ROUNDING)
        remaining = set(self.candidates)
        bound = dict(self.initial_bound)
        rank = self.rank
        selected: list[str] = []
        ceilings: list[float] = []
        paid_in_full: list[bool] = []
        certifying = lower is not None
        while True:
            best: str | None = None
            best_rho = float("inf")
            located: dict[str, _Located] = {}
            for project_id in sorted(remaining, key=bound.__getitem__):
                if bound[project_id] > best_rho:
                    break
                found = self._locate(project_id, money, error)
                if found is None:
                    remaining.discard(project_id)
                    continue
                located[project_id] = found
                if found.rho < best_rho or (
                    found.rho == best_rho and rank[project_id] < rank[best]  # type: ignore[index]
                ):
                    best, best_rho = project_id, found.rho
            if best is None:
                break
            winner = located[best]
            low, high = self._bracket(best, winner)
            at_ratio = self._paid_in_full(winner, high)
            ceiling: float | None = None
            ceiling_at_ratio = False
            if certifying:
                assert lower is not None
                round_index = len(selected)
                if round_index < len(lower.selected) and lower.selected[round_index] == best:
                    ceiling = lower.ceilings[round_index]
                    ceiling_at_ratio = lower.at_ratio[round_index]
                else:
                    certifying = False
            for project_id in list(remaining):
                if project_id == best:
                    continue
                if bound[project_id] > high and (ceiling is None or bound[project_id] > ceiling):
                    continue
                other = located.get(project_id) or self._locate(project_id, money, error)
                if other is None:
                    remaining.discard(project_id)
                    continue
                above = self._above(project_id, other, high)
                if above is not None:
                    bound[project_id] = max(bound[project_id], above)
                elif not (at_ratio and self._loses_by_ratio(project_id, best)):
                    raise Undecided  # as good as the winner, or too close to tell
                if ceiling is not None and not bound[project_id] > ceiling:
                    if self._short(project_id, other, ceiling):
                        bound[project_id] = ceiling
                    elif not (ceiling_at_ratio and self._loses_by_ratio(project_id, best)):
                        certifying, ceiling = False, None
            self._pay(best, winner, low, high, money, error)
            selected.append(best)
            ceilings.append(high)
            paid_in_full.append(at_ratio)
            remaining.discard(best)
        if certifying and len(lower.selected) != len(selected):  # type: ignore[union-attr]
            certifying = False
        return ScreenedRun(selected, ceilings, paid_in_full, certifying)

    def _locate(self, project_id: str, money: np.ndarray, error: np.ndarray) -> _Located | None:
        """The approximate factor, or None if the supporters provably cannot pay the cost.

        Supporters who cannot pay ``rho * utility`` pay all they have, which raises ``rho``
        for the rest; repeated until nobody new falls short (as in the exact count).
        """
        cost = self.cost[project_id]
        voters = self.voters[project_id]
        utility = self.utility[project_id]
        total_utility = self.total_utility[project_id]
        held = money[voters]
        held_error = error[voters]
        error_sum = float(held_error.sum())
        total = float(held.sum())
        if total < cost:
            if total + _margin(len(held), error_sum, total, cost) < cost:
                return None
            raise Undecided  # about exactly enough money: only exact arithmetic can tell
        rho = cost / total_utility
        short_count = 0
        while True:
            short = held < rho * utility
            count = int(np.count_nonzero(short))
            if count == short_count:
                break
            short_count = count
            poor_money = float(held[short].sum())
            poor_utility = (
                count * utility if isinstance(utility, float) else float(utility[short].sum())
            )
            paying = total_utility - poor_utility
            if paying <= 0:
                raise Undecided
            rho = (cost - poor_money) / paying
        paying_utility = total_utility - (
            short_count * utility if isinstance(utility, float) else float(utility[short].sum())
        )
        return _Located(rho, held, held_error, error_sum, utility, paying_utility)

    def _paid(self, found: _Located, t: float) -> float:
        """F(t): what the supporters pay if each pays min(money, t * utility), in floats."""
        return float(np.minimum(found.money, t * found.utility).sum())

    def _short(self, project_id: str, found: _Located, t: float) -> bool:
        """Proven: F(t) < cost, so the exact factor is above ``t``."""
        cost = self.cost[project_id]
        paid = self._paid(found, t)
        return paid + _margin(len(found.money), found.error_sum, paid, cost) < cost

    def _enough(self, project_id: str, found: _Located, t: float) -> bool:
        """Proven: F(t) >= cost, so the exact factor is at most ``t``."""
        cost = self.cost[project_id]
        paid = self._paid(found, t)
        return paid - _margin(len(found.money), found.error_sum, paid, cost) >= cost

    def _step(self, project_id: str, found: _Located) -> float:
        """How far from the approximate factor a proof is likely to succeed."""
        margin = _margin(len(found.money), found.error_sum, self.cost[project_id], 0.0)
        if found.paying_utility <= 0:
            raise Undecided
        return 2 * margin / found.paying_utility + found.rho * 8 * ROUNDING

    def _bracket(self, project_id: str, found: _Located) -> tuple[float, float]:
        """An interval (low, high] proven to hold the winner's exact factor."""
        step = self._step(project_id, found)
        for widen in (1.0, 64.0):
            low = max(found.rho - widen * step, 0.0)
            high = found.rho + widen * step
            if self._enough(project_id, found, high) and self._short(project_id, found, low):
                return low, high
        raise Undecided

    def _paid_in_full(self, found: _Located, high: float) -> bool:
        """Proven: every supporter can pay ``high * utility``, so nobody pays less than the
        factor asks and the exact factor is cost / total utility."""
        can_pay = (found.money - found.error) * (1 - 4 * ROUNDING)
        return bool(np.all(can_pay >= high * found.utility * (1 + 4 * ROUNDING)))

    def _above(self, project_id: str, found: _Located, high: float) -> float | None:
        """A proven lower bound of the project's exact factor, at least ``high``; or None."""
        near = found.rho - self._step(project_id, found)
        for t in (near, high) if near > high else (high,):
            if self._short(project_id, found, t):
                return t
        return None

    def _loses_by_ratio(self, project_id: str, winner: str) -> bool:
        """Whether the project cannot beat ``winner`` when the winner's exact factor is its
        cost / total utility, compared exactly in integers.

        No factor is below cost / total utility, so a project whose ratio is above the
        winner's, or equal with the winner first in tie order, does not win the round.
        This settles exact ties, which floats cannot.
        """
        ours = self.whole_cost[project_id] * self.whole_total_utility[winner]
        theirs = self.whole_cost[winner] * self.whole_total_utility[project_id]
        return ours > theirs or (ours == theirs and self.rank[winner] < self.rank[project_id])

    def _pay(
        self,
        project_id: str,
        found: _Located,
        low: float,
        high: float,
        money: np.ndarray,
        error: np.ndarray,
    ) -> None:
        """The supporters pay ``min(money, rho * utility)``; their bounds grow accordingly."""
        voters = self.voters[project_id]
        utility = found.utility
        rho = found.rho
        uncertainty = max(high - rho, rho - low)
        held = found.money
        held_error = found.error
        payment = rho * utility
        left = np.maximum(held - payment, 0.0)
        # |exact - float| <= old bound + |exact rho - rho| * utility + rounding of the
        # product and the difference; max(., 0) does not widen it.
        new_error = (held_error + uncertainty * utility + (held + 2 * payment) * ROUNDING) * (
            1 + 4 * ROUNDING
        )
        # Whoever provably cannot pay low * utility < exact rho * utility pays all it has.
        broke = (held + held_error) * (1 + 4 * ROUNDING) <= low * utility * (1 - 4 * ROUNDING)
        left[broke] = 0.0
        new_error[broke] = 0.0
        money[voters] = left
        error[voters] = new_error


def _margin(count: int, error_sum: float, paid: float, cost: float) -> float:
    """How far a float sum of ``count`` payments may be from the exact one, generously.

    ``error_sum`` bounds the voters' money errors; the rest covers rounding of each term,
    of the sum, and of this comparison itself.
    """
    relative = (count + 8) * ROUNDING
    return error_sum * (1 + relative) + relative * (paid + cost)
