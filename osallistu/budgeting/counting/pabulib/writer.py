"""Writing the pabulib format: what was read, or ballots for publishing."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from ..model import Instance, Profile, VoteType
from .reader import REQUIRED_META, PabulibError, PabulibFile
from .reader import money_text as _money_text


def write_pabulib(file: PabulibFile) -> str:
    """The file as text: CSV quoting where needed, no byte-order mark, no invented values."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";", quotechar='"', lineterminator=file.newline, quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in file.meta.items():
        writer.writerow(_checked([key, value], "META", ["key", key]))
    for title, columns, rows in (
        ("PROJECTS", file.project_columns, file.projects),
        ("VOTES", file.vote_columns, file.votes),
    ):
        writer.writerow([title])
        writer.writerow(columns)
        for row in rows:
            writer.writerow(_checked([row.get(c, "") for c in columns], title, columns))
    text = buffer.getvalue()
    return text if file.final_newline else text.removesuffix(file.newline)


def _checked(cells: list[str], section: str, columns: list[str]) -> list[str]:
    for column, cell in zip(columns, cells, strict=True):
        if cell != cell.strip() or "\n" in cell or "\r" in cell:
            raise PabulibError(
                f"{section} value {cell!r} has surrounding space or a line break", field=column
            )
    return cells


def pabulib_file(
    instance: Instance,
    profile: Profile,
    meta: Mapping[str, str],
    *,
    selected: frozenset[str] | None = None,
) -> PabulibFile:
    """A pabulib file for publishing ballots; ``meta`` must give the descriptive keys.

    Counts, budget and vote type come from the data; nothing else is filled in, so a
    missing required key is an error rather than an invented value.
    """
    data = {
        "num_projects": str(len(instance.projects)),
        "num_votes": str(len(profile.ballots)),
        "budget": _money_text(instance.budget),
        "vote_type": str(profile.vote_type),
    }
    full_meta = {key: meta[key] for key in meta if key not in data}
    missing = [key for key in REQUIRED_META if key not in full_meta and key not in data]
    if missing:
        raise PabulibError(f"META needs {', '.join(missing)}", field=missing[0])
    ordered = {key: data.get(key, full_meta.get(key, "")) for key in REQUIRED_META}
    ordered.update(full_meta)
    votes = {p.id: 0 for p in instance.projects}
    for ballot in profile.ballots:
        for project_id, points in ballot.points_for().items():
            votes[project_id] += points
    project_columns = ["project_id", "cost", "votes", "name", "category", "district"]
    if selected is not None:
        project_columns.append("selected")
    projects = [
        {
            "project_id": p.id,
            "cost": _money_text(p.cost),
            "votes": str(votes[p.id]),
            "name": p.name,
            "category": ",".join(p.categories),
            "district": p.district,
            "selected": "1" if selected is not None and p.id in selected else "0",
        }
        for p in instance.projects
    ]
    vote_columns = ["voter_id", "vote"]
    if profile.vote_type is VoteType.CUMULATIVE:
        vote_columns.append("points")
    rows = [
        {
            "voter_id": b.voter_id,
            "vote": ",".join(b.projects),
            "points": ",".join(str(points) for points in b.points or ()),
        }
        for b in profile.ballots
    ]
    return PabulibFile(ordered, project_columns, projects, vote_columns, rows)
