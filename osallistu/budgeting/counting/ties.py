"""Breaking ties between projects.

Every rule breaks ties with one fixed order of the projects, the same in every step, as
equalshares.net recommends. The standard order is lowest cost first, then most votes,
then a lot drawn with a seed that is recorded with the result so anyone can recount. The
``pabutools`` order reproduces the reference library: project ids compared as strings
("10" before "9").
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .model import Instance, Money

_SYSTEM = random.SystemRandom()


class TieMode(StrEnum):
    STANDARD = "standard"
    PABUTOOLS = "pabutools"


@dataclass(frozen=True)
class TieBreaking:
    mode: TieMode = TieMode.STANDARD
    seed: int | None = None
    """Seed of the lot; ``None`` draws a fresh one, which the result then records."""


@dataclass(frozen=True)
class Tie:
    """A moment in the count where several projects were equally good."""

    candidates: tuple[str, ...]
    winner: str
    decided_by: str
    """``cost``, ``votes``, ``lot`` or ``project_id`` (pabutools order)."""


@dataclass
class TieOrder:
    rank: Mapping[str, int]
    seed: int | None
    costs: Mapping[str, Money]
    votes: Mapping[str, int]
    mode: TieMode
    ties: list[Tie] = field(default_factory=list)

    def pick(self, candidates: Iterable[str]) -> str:
        """The first of ``candidates`` in tie order; records the tie if there was one."""
        ordered = sorted(candidates, key=self.rank.__getitem__)
        winner = ordered[0]
        if len(ordered) > 1:
            self.ties.append(Tie(tuple(ordered), winner, self._decided_by(winner, ordered[1])))
        return winner

    def _decided_by(self, winner: str, runner_up: str) -> str:
        if self.mode is TieMode.PABUTOOLS:
            return "project_id"
        if self.costs[winner] != self.costs[runner_up]:
            return "cost"
        if self.votes[winner] != self.votes[runner_up]:
            return "votes"
        return "lot"

    @property
    def lot_was_needed(self) -> bool:
        return any(tie.decided_by == "lot" for tie in self.ties)


def tie_order(instance: Instance, votes: Mapping[str, int], tie_breaking: TieBreaking) -> TieOrder:
    costs = {project.id: project.cost for project in instance.projects}
    ids = sorted(costs)
    if tie_breaking.mode is TieMode.PABUTOOLS:
        return TieOrder(
            {project_id: position for position, project_id in enumerate(ids)},
            None,
            costs,
            votes,
            tie_breaking.mode,
        )
    # The system's randomness, as secrets.randbits draws it, without importing secrets.
    seed = tie_breaking.seed if tie_breaking.seed is not None else _SYSTEM.getrandbits(63)
    lot = ids.copy()
    random.Random(seed).shuffle(lot)
    lot_position = {project_id: position for position, project_id in enumerate(lot)}
    ordered = sorted(ids, key=lambda p: (costs[p], -votes[p], lot_position[p]))
    return TieOrder(
        {project_id: position for position, project_id in enumerate(ordered)},
        seed,
        costs,
        votes,
        tie_breaking.mode,
    )
