"""The election being counted: an instance (budget and projects) and a profile of ballots.

Money is exact: costs and the budget are ``int`` or ``Fraction`` in currency units, never
floats. Ballots are approval ballots (a set of projects, what Helsinki uses), cumulative
ballots (points given to projects) or ordinal ballots (projects ranked, most preferred
first, with the points their rank earns, Borda's by default).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from itertools import chain
from typing import NamedTuple

Money = int | Fraction


class CountingError(ValueError):
    """The election cannot be counted as given; the message says why in plain words."""


class BallotError(CountingError):
    """A ballot breaks the rules of the vote (unknown project, too many choices …)."""

    def __init__(self, voter_id: str, message: str, field: str = "vote"):
        super().__init__(f"voter {voter_id}: {message}")
        self.voter_id = voter_id
        self.field = field
        self.reason = message


class VoteType(StrEnum):
    APPROVAL = "approval"
    CUMULATIVE = "cumulative"
    ORDINAL = "ordinal"


@dataclass(frozen=True)
class Project:
    id: str
    cost: Money
    name: str = ""
    categories: tuple[str, ...] = ()
    district: str = ""

    @property
    def label(self) -> str:
        """How a resident recognises the project in an explanation."""
        return f"{self.id} {self.name}".strip() if self.name else self.id


@dataclass(frozen=True)
class BallotConstraints:
    """What a valid ballot looks like; ``None`` means no limit."""

    min_length: int = 1
    max_length: int | None = None
    min_total_cost: Money = 0
    max_total_cost: Money | None = None
    min_points: int | None = None
    max_points: int | None = None
    min_total_points: int | None = None
    max_total_points: int | None = None


@dataclass(frozen=True)
class Instance:
    budget: Money
    projects: tuple[Project, ...]
    constraints: BallotConstraints = field(default_factory=BallotConstraints)

    def __post_init__(self) -> None:
        if not isinstance(self.budget, int | Fraction) or isinstance(self.budget, bool):
            raise CountingError(f"the budget must be an exact number, not {self.budget!r}")
        if self.budget <= 0:
            raise CountingError(f"the budget must be positive, it is {self.budget}")
        seen: set[str] = set()
        for project in self.projects:
            if project.id in seen:
                raise CountingError(f"project id {project.id} appears twice")
            seen.add(project.id)
            if not isinstance(project.cost, int | Fraction) or isinstance(project.cost, bool):
                raise CountingError(f"project {project.id}: the cost must be an exact number")
            if project.cost <= 0:
                raise CountingError(
                    f"project {project.id}: the cost must be positive, it is {project.cost}"
                )


class Ballot(NamedTuple):
    """One voter's ballot. ``points`` is ``None`` for an approval ballot; for a cumulative or
    ordinal ballot it gives the points for each project in ``projects``, in the same order.

    A named tuple rather than a frozen dataclass: a count makes one per voter, and a tuple
    is made several times faster, which the command's start-to-finish time notices."""

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[int, ...] | None = None

    def points_for(self) -> Mapping[str, int]:
        if self.points is None:
            return dict.fromkeys(self.projects, 1)
        return dict(zip(self.projects, self.points, strict=True))


class ProfileOutline(NamedTuple):
    voters_unique: bool
    without_points: bool
    shortest: int
    """Fewest projects on a ballot."""
    longest: int
    named: frozenset[str]
    """Every project some ballot names."""
    repeats: bool
    """Some ballot names a project twice."""


@dataclass(frozen=True)
class Profile:
    vote_type: VoteType
    ballots: tuple[Ballot, ...]

    @cached_property
    def supporters(self) -> Counter[str]:
        """How many ballots name each project; worked out once, at C speed, for the reader
        and the count alike."""
        return Counter(chain.from_iterable(ballot.projects for ballot in self.ballots))

    @cached_property
    def points(self) -> Counter[str]:
        """Points of each project in all (its supporters, on approval ballots)."""
        if self.vote_type is VoteType.APPROVAL:
            return self.supporters
        totals: Counter[str] = Counter()
        for ballot in self.ballots:
            for project_id, points in zip(ballot.projects, ballot.points or (), strict=True):
                totals[project_id] += points
        return totals

    @cached_property
    def outline(self) -> ProfileOutline:
        """What whole-profile checks need, worked out once for all ballots at C speed."""
        chosen = [ballot.projects for ballot in self.ballots]
        lengths = list(map(len, chosen))
        return ProfileOutline(
            voters_unique=len({ballot.voter_id for ballot in self.ballots}) == len(chosen),
            without_points=all(ballot.points is None for ballot in self.ballots),
            shortest=min(lengths, default=0),
            longest=max(lengths, default=0),
            named=frozenset(self.supporters),
            repeats=sum(map(len, map(set, chosen))) != sum(lengths),
        )

    @classmethod
    def approvals(cls, ballots: Mapping[str, Iterable[str]]) -> Profile:
        """A convenience for tests and callers: ``{voter_id: [project ids]}``."""
        return cls(
            VoteType.APPROVAL,
            tuple(Ballot(voter, tuple(chosen)) for voter, chosen in ballots.items()),
        )


def check_ballot(
    ballot: Ballot,
    instance: Instance,
    vote_type: VoteType,
    costs: Mapping[str, Money] | None = None,
) -> None:
    """Raise ``BallotError`` if the ballot is not a valid ballot in this vote.

    ``costs`` (project id -> cost) may be passed in when checking many ballots.
    """
    rules = instance.constraints
    if costs is None:
        costs = {project.id: project.cost for project in instance.projects}
    voter = ballot.voter_id
    if not ballot.projects and rules.min_length > 0:
        raise BallotError(voter, "the ballot is empty")
    if len(set(ballot.projects)) != len(ballot.projects):
        raise BallotError(voter, "the ballot names the same project twice")
    for project_id in ballot.projects:
        if project_id not in costs:
            raise BallotError(voter, f"vote for unknown project {project_id}")
    if len(ballot.projects) < rules.min_length:
        raise BallotError(voter, f"fewer than {rules.min_length} projects chosen")
    if rules.max_length is not None and len(ballot.projects) > rules.max_length:
        raise BallotError(voter, f"more than {rules.max_length} projects chosen")
    if rules.min_total_cost > 0 or rules.max_total_cost is not None:
        _check_total_cost(ballot, rules, costs)
    if vote_type is VoteType.APPROVAL:
        if ballot.points is not None:
            raise BallotError(voter, "an approval ballot cannot give points", "points")
        return
    _check_points(ballot, rules, vote_type)


def _check_total_cost(ballot: Ballot, rules: BallotConstraints, costs: Mapping[str, Money]) -> None:
    total_cost = sum(costs[project_id] for project_id in ballot.projects)
    if total_cost < rules.min_total_cost:
        raise BallotError(
            ballot.voter_id,
            f"the chosen projects cost {_amount(total_cost)}, "
            f"less than {_amount(rules.min_total_cost)}",
        )
    if rules.max_total_cost is not None and total_cost > rules.max_total_cost:
        raise BallotError(
            ballot.voter_id,
            f"the chosen projects cost {_amount(total_cost)}, "
            f"more than {_amount(rules.max_total_cost)}",
        )


def _amount(value: Money) -> str:
    """An amount as a decimal number (``214386.4``, not ``1071932/5``)."""
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    return f"{float(value):f}".rstrip("0")


def _check_points(ballot: Ballot, rules: BallotConstraints, vote_type: VoteType) -> None:
    voter = ballot.voter_id
    if ballot.points is None or len(ballot.points) != len(ballot.projects):
        raise BallotError(voter, f"a {vote_type} ballot needs points for each project", "points")
    for points in ballot.points:
        if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
            raise BallotError(voter, f"points must be positive whole numbers, not {points}")
        if rules.min_points is not None and points < rules.min_points:
            raise BallotError(voter, f"fewer than {rules.min_points} points", "points")
        if rules.max_points is not None and points > rules.max_points:
            raise BallotError(voter, f"more than {rules.max_points} points", "points")
    total = sum(ballot.points)
    if rules.min_total_points is not None and total < rules.min_total_points:
        raise BallotError(voter, f"fewer than {rules.min_total_points} points in all", "points")
    if rules.max_total_points is not None and total > rules.max_total_points:
        raise BallotError(voter, f"more than {rules.max_total_points} points in all", "points")


def check_profile(instance: Instance, profile: Profile) -> None:
    """Raise ``CountingError`` unless every ballot is valid and every voter votes once."""
    if plainly_valid(instance, profile):
        return
    seen: set[str] = set()
    costs = {project.id: project.cost for project in instance.projects}
    for ballot in profile.ballots:
        if ballot.voter_id in seen:
            raise BallotError(ballot.voter_id, "the same voter id appears twice", "voter_id")
        seen.add(ballot.voter_id)
        check_ballot(ballot, instance, profile.vote_type, costs)


def plainly_valid(instance: Instance, profile: Profile) -> bool:
    """Whether the profile is approval ballots within the limits, tested for all ballots at
    once (``Profile.outline``). Nearly every profile is; any other goes through the checks of
    each ballot, which name the first problem."""
    rules = instance.constraints
    if (
        profile.vote_type is not VoteType.APPROVAL
        or rules.min_total_cost > 0
        or rules.max_total_cost is not None
    ):
        return False
    outline = profile.outline
    longest = len(instance.projects) if rules.max_length is None else rules.max_length
    return (
        outline.voters_unique
        and outline.without_points
        and not outline.repeats
        and (not profile.ballots or max(1, rules.min_length) <= outline.shortest)
        and outline.longest <= longest
        and outline.named <= {project.id for project in instance.projects}
    )
