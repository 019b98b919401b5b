"""Test data: the real pabulib files and generated small elections."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from osallistu.budgeting.counting import Instance, Profile, Project

DATA = Path(__file__).parent / "data"
ASSEN = DATA / "Netherlands_Assen_2024.pb"
WARSAW = DATA / "Poland_Warszawa_2023_Mokotow.pb"


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
