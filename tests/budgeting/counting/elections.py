"""Test data: the real pabulib files and generated small elections."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import strategies as st

from osallistu.budgeting.counting import Ballot, Instance, Profile, Project, VoteType

DATA = Path(__file__).parent / "data"
ASSEN = DATA / "Netherlands_Assen_2024.pb"
WARSAW = DATA / "Poland_Warszawa_2023_Mokotow.pb"
SAMPLE = DATA / "sample"
"""Real published files chosen for their rules and quirks (copied from pabulib.org)."""
REAL_FILES = sorted([ASSEN, WARSAW, *SAMPLE.glob("*.pb")])


@st.composite
def approval_elections(draw, max_projects: int = 6, max_voters: int = 12):
    """Small approval elections with awkward numbers: ties, dear projects, unvoted ones."""
    project_count = draw(st.integers(1, max_projects))
    costs = draw(st.lists(st.integers(1, 60), min_size=project_count, max_size=project_count))
    budget = draw(st.integers(1, max(1, sum(costs))))
    projects = tuple(Project(str(i + 1), cost) for i, cost in enumerate(costs))
    ids = [p.id for p in projects]
    ballots = draw(
        st.lists(
            st.lists(st.sampled_from(ids), min_size=1, max_size=project_count, unique=True),
            min_size=1,
            max_size=max_voters,
        )
    )
    profile = Profile.approvals({f"v{i}": ballot for i, ballot in enumerate(ballots)})
    return Instance(budget, projects), profile


@st.composite
def cumulative_elections(draw, max_projects: int = 5, max_voters: int = 8):
    """Small cumulative elections: each voter gives 1-3 points to each chosen project."""
    instance, approvals = draw(approval_elections(max_projects, max_voters))
    ballots = tuple(
        Ballot(
            ballot.voter_id,
            ballot.projects,
            tuple(draw(st.integers(1, 3)) for _ in ballot.projects),
        )
        for ballot in approvals.ballots
    )
    return instance, Profile(VoteType.CUMULATIVE, ballots)


def skewed_election(voters: int, projects: int, seed: int) -> tuple[Instance, Profile]:
    """Like bench/counting.py: 1-10 approvals per voter, a few projects far more popular."""
    lot = random.Random(seed)
    costs = [lot.randrange(10_000, 500_001, 100) for _ in range(projects)]
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(projects)]
    lot.shuffle(popularity)
    ids = [str(i + 1) for i in range(projects)]
    ballots = {}
    for voter in range(voters):
        wanted = lot.randint(1, min(10, projects))
        chosen: set[str] = set()
        while len(chosen) < wanted:
            chosen.update(lot.choices(ids, weights=popularity, k=wanted - len(chosen)))
        ballots[f"v{voter}"] = sorted(chosen, key=int)
    instance = Instance(sum(costs) // 4, tuple(map(Project, ids, costs)))
    return instance, Profile.approvals(ballots)
