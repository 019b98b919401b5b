"""What every rule needs from the election, computed once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from ..explain import Explanation
from ..model import Ballot, Instance, Money, Profile, VoteType


@dataclass(frozen=True)
class Election:
    budget: Money
    costs: dict[str, Money]
    votes: dict[str, int]
    """Number of supporters (approval) or total points (cumulative, ordinal) of each
    project."""
    voter_count: int
    vote_type: VoteType
    ballots: tuple[Ballot, ...] = field(repr=False, compare=False)

    @classmethod
    def of(cls, instance: Instance, profile: Profile) -> Election:
        # Greedy needs nothing more than these totals; the supporters of each project are
        # listed only when a rule asks for them.
        votes: dict[str, int] = {project.id: 0 for project in instance.projects}
        votes.update(profile.points)
        return cls(
            budget=instance.budget,
            costs={project.id: project.cost for project in instance.projects},
            votes=votes,
            voter_count=len(profile.ballots),
            vote_type=profile.vote_type,
            ballots=profile.ballots,
        )

    @cached_property
    def supporters_by_points(self) -> dict[str, dict[int, list[int]]]:
        """For each project: points given -> indices of the voters who gave them."""
        supporters: dict[str, dict[int, list[int]]] = {p: defaultdict(list) for p in self.costs}
        approvers: dict[str, list[int]] = {p: [] for p in self.costs}
        approve = {project_id: voters.append for project_id, voters in approvers.items()}
        for index, ballot in enumerate(self.ballots):
            if ballot.points is None:
                for project_id in ballot.projects:
                    approve[project_id](index)
            else:
                for project_id, points in zip(ballot.projects, ballot.points, strict=True):
                    supporters[project_id][points].append(index)
        for project_id, voters in approvers.items():
            if voters:
                supporters[project_id][1].extend(voters)
        return {project_id: dict(levels) for project_id, levels in supporters.items()}

    def supporters(self, project_id: str) -> list[int]:
        return [
            voter for voters in self.supporters_by_points[project_id].values() for voter in voters
        ]


@dataclass
class RuleOutcome:
    selected: list[str]
    explanations: dict[str, Explanation]
    share_per_voter: Fraction | None = None
    notes: list[str] = field(default_factory=list)

    def total_cost(self, election: Election) -> Money:
        return sum((election.costs[project_id] for project_id in self.selected), 0)
