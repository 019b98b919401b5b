"""What every rule needs from the election, computed once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from ..explain import Explanation
from ..model import Instance, Money, Profile, VoteType


@dataclass(frozen=True)
class Election:
    budget: Money
    costs: dict[str, Money]
    votes: dict[str, int]
    """Number of supporters (approval) or total points (cumulative) of each project."""
    supporters_by_points: dict[str, dict[int, list[int]]]
    """For each project: points given -> indices of the voters who gave them."""
    voter_count: int
    vote_type: VoteType

    @classmethod
    def of(cls, instance: Instance, profile: Profile) -> Election:
        supporters: dict[str, dict[int, list[int]]] = {
            p.id: defaultdict(list) for p in instance.projects
        }
        approvers: dict[str, list[int]] = {p.id: [] for p in instance.projects}
        approve = {project_id: voters.append for project_id, voters in approvers.items()}
        for index, ballot in enumerate(profile.ballots):
            if ballot.points is None:
                for project_id in ballot.projects:
                    approve[project_id](index)
            else:
                for project_id, points in zip(ballot.projects, ballot.points, strict=True):
                    supporters[project_id][points].append(index)
        for project_id, voters in approvers.items():
            if voters:
                supporters[project_id][1].extend(voters)
        return cls(
            budget=instance.budget,
            costs={project.id: project.cost for project in instance.projects},
            votes={
                project_id: sum(points * len(voters) for points, voters in by_points.items())
                for project_id, by_points in supporters.items()
            },
            supporters_by_points={
                project_id: dict(levels) for project_id, levels in supporters.items()
            },
            voter_count=len(profile.ballots),
            vote_type=profile.vote_type,
        )

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
