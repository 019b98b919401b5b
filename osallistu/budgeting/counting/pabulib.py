"""Reading and writing the pabulib ``.pb`` format (pabulib.org/format).

``read_pabulib`` parses and checks a file into a ``PabulibFile`` that keeps every cell as
written, so ``write_pabulib`` gives the file back without loss. ``PabulibFile.election()``
turns it into an instance and a profile that can be counted. Every problem is reported
as a ``PabulibError`` naming the line and the field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .model import (
    Ballot,
    BallotConstraints,
    BallotError,
    CountingError,
    Instance,
    Money,
    Profile,
    Project,
    VoteType,
    check_ballot,
)

REQUIRED_META = (
    "description",
    "country",
    "unit",
    "instance",
    "num_projects",
    "num_votes",
    "budget",
    "vote_type",
    "rule",
    "date_begin",
    "date_end",
)
VOTE_TYPES = ("approval", "ordinal", "cumulative", "scoring", "choose-1")
RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "greedy-exclusive",
    "greedy-custom",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
    "unknown",
)
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"([0-9]{2}\.[0-9]{2}\.)?[0-9]{4}")
_BOM = "\ufeff"


class PabulibError(CountingError):
    """A malformed pabulib file; ``line`` (1-based) and ``field`` say where."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        where = ", ".join(
            part
            for part in (
                f"line {line}" if line is not None else "",
                f"field {field}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.line = line
        self.field = field
        self.reason = message


@dataclass
class PabulibFile:
    meta: dict[str, str]
    project_columns: list[str]
    projects: list[dict[str, str]]
    vote_columns: list[str]
    votes: list[dict[str, str]]
    newline: str = "\n"
    meta_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    project_lines: list[int] = field(default_factory=list, compare=False, repr=False)
    vote_lines: list[int] = field(default_factory=list, compare=False, repr=False)

    def election(self) -> PabulibElection:
        """The instance and profile in this file, checked; raises ``PabulibError``."""
        return _Converter(self).election()

    def write(self, path: str | Path) -> None:
        Path(path).write_bytes(write_pabulib(self).encode("utf-8"))


@dataclass(frozen=True)
class PabulibElection:
    file: PabulibFile
    instance: Instance
    profile: Profile
    rule: str
    """META ``rule``, e.g. ``equalshares/add1``."""
    official_selection: frozenset[str] | None
    """Projects with ``selected`` 1 (or 2), if the file has that column."""

    def count_settings(self) -> dict[str, object]:
        """``count()`` keyword arguments for the file's META rule."""
        rule = self.rule
        if rule.startswith("greedy"):
            return {"rule": "greedy"}
        if rule.startswith("equalshares"):
            return {
                "rule": "mes",
                "utility": "cost",
                "completion": "add1" if "/add1" in rule else "none",
                "comparison": rule.endswith("comparison"),
            }
        raise CountingError(f"the file's rule {rule!r} is not one this package can count")


def read_pabulib(source: str | Path) -> PabulibFile:
    """Read a ``.pb`` file from a path."""
    data = Path(source).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PabulibError("the file is not valid UTF-8", line=line) from error
    return parse_pabulib(text)


def parse_pabulib(text: str) -> PabulibFile:
    if text.startswith(_BOM):
        raise PabulibError("the file starts with a byte-order mark; remove it", line=1)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    newline = "\r\n" if lines and lines[0].endswith("\r") else "\n"
    rows: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if line.strip() == "":
            raise PabulibError("empty line", line=number)
        try:
            cells = next(csv.reader([line], delimiter=";", quotechar='"', strict=True))
        except csv.Error as error:
            raise PabulibError(f"bad quoting ({error})", line=number) from error
        rows.append((number, cells))
    return _Parser(rows, newline).parse()


class _Parser:
    def __init__(self, rows: list[tuple[int, list[str]]], newline: str):
        self.rows = rows
        self.position = 0
        self.newline = newline

    def parse(self) -> PabulibFile:
        self._title("META")
        self._header("META", required="key", exact=["key", "value"])
        meta: dict[str, str] = {}
        meta_lines: dict[str, int] = {}
        for line, values in self._section_rows(["key", "value"], until="PROJECTS"):
            key, value = values["key"], values["value"]
            if key in meta:
                raise PabulibError(f"META key {key} appears twice", line=line, field="key")
            meta[key], meta_lines[key] = value, line
        self._title("PROJECTS")
        project_columns = self._header("PROJECTS", required="project_id", also="cost")
        projects = self._section_rows(project_columns, until="VOTES")
        self._title("VOTES")
        vote_columns = self._header("VOTES", required="voter_id", also="vote")
        votes = self._section_rows(vote_columns, until=None)
        file = PabulibFile(
            meta,
            project_columns,
            [values for _, values in projects],
            vote_columns,
            [values for _, values in votes],
            self.newline,
            meta_lines,
            [line for line, _ in projects],
            [line for line, _ in votes],
        )
        _check_meta(file)
        _check_unique(file.projects, file.project_lines, "project_id")
        _check_unique(file.votes, file.vote_lines, "voter_id")
        return file

    def _next(self, expected: str) -> tuple[int, list[str]]:
        if self.position >= len(self.rows):
            last_line = self.rows[-1][0] if self.rows else 0
            raise PabulibError(f"the file ends before {expected}", line=last_line + 1)
        row = self.rows[self.position]
        self.position += 1
        return row

    def _title(self, title: str) -> None:
        line, cells = self._next(f"the {title} section")
        if cells != [title]:
            raise PabulibError(f"expected the section title {title}", line=line)

    def _header(
        self, section: str, *, required: str, also: str = "", exact: list[str] | None = None
    ) -> list[str]:
        line, cells = self._next(f"the {section} header")
        if exact is not None and cells != exact:
            raise PabulibError(f"the {section} header must be {';'.join(exact)}", line=line)
        if not cells or cells[0] != required:
            raise PabulibError(f"the {section} header must start with {required}", line=line)
        if also and also not in cells:
            raise PabulibError(f"the {section} header has no {also} column", line=line)
        if len(set(cells)) != len(cells):
            raise PabulibError(f"the {section} header repeats a column", line=line)
        for cell in cells:
            _check_cell(cell, line, "header")
        return cells

    def _section_rows(
        self, columns: list[str], until: str | None
    ) -> list[tuple[int, dict[str, str]]]:
        result = []
        line = self.rows[self.position - 1][0]
        while self.position < len(self.rows):
            line, cells = self.rows[self.position]
            if until is not None and cells == [until]:
                return result
            self.position += 1
            if len(cells) != len(columns):
                raise PabulibError(
                    f"{len(cells)} fields where the header has {len(columns)}", line=line
                )
            for column, cell in zip(columns, cells, strict=True):
                _check_cell(cell, line, column)
            result.append((line, dict(zip(columns, cells, strict=True))))
        if until is not None:
            raise PabulibError(f"the file has no {until} section", line=line + 1)
        return result


def _check_cell(cell: str, line: int, column: str) -> None:
    if cell != cell.strip():
        raise PabulibError("leading or trailing space", line=line, field=column)


def _check_unique(rows: list[dict[str, str]], lines: list[int], column: str) -> None:
    seen: set[str] = set()
    for values, line in zip(rows, lines, strict=True):
        value = values[column]
        if value == "":
            raise PabulibError("empty id", line=line, field=column)
        if value in seen:
            raise PabulibError(f"id {value} appears twice", line=line, field=column)
        seen.add(value)


def _check_meta(file: PabulibFile) -> None:
    meta, lines = file.meta, file.meta_lines
    for key in REQUIRED_META:
        if key not in meta:
            raise PabulibError(f"META has no {key}", line=_section_line(file), field=key)
    for key, actual in (("num_projects", len(file.projects)), ("num_votes", len(file.votes))):
        if not meta[key].isdigit() or int(meta[key]) != actual:
            raise PabulibError(
                f"says {meta[key]} but the file has {actual}", line=lines[key], field=key
            )
    money(meta["budget"], line=lines["budget"], column="budget")
    if meta["vote_type"] not in VOTE_TYPES:
        raise PabulibError(
            f"unknown vote type {meta['vote_type']}", line=lines["vote_type"], field="vote_type"
        )
    if meta["rule"] not in RULES:
        raise PabulibError(f"unknown rule {meta['rule']}", line=lines["rule"], field="rule")
    for key in ("date_begin", "date_end"):
        if not _DATE.fullmatch(meta[key]):
            raise PabulibError("dates are dd.mm.yyyy or yyyy", line=lines[key], field=key)


def _section_line(file: PabulibFile) -> int:
    return max(file.meta_lines.values(), default=2) + 1


def money(text: str, *, line: int | None, column: str) -> Money:
    if not _NUMBER.fullmatch(text):
        raise PabulibError(
            f"{text!r} is not a number (use . as the decimal point)", line=line, field=column
        )
    value = Fraction(text)
    return value.numerator if value.denominator == 1 else value


def _whole(text: str, *, line: int | None, column: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", text):
        raise PabulibError(f"{text!r} is not a whole number", line=line, field=column)
    return int(text)


def _ids(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


class _Converter:
    def __init__(self, file: PabulibFile):
        self.file = file

    def election(self) -> PabulibElection:
        file, meta = self.file, self.file.meta
        vote_type = meta["vote_type"]
        if vote_type in ("approval", "choose-1"):
            kind = VoteType.APPROVAL
        elif vote_type in ("cumulative", "scoring"):
            kind = VoteType.CUMULATIVE
        else:
            raise PabulibError(
                f"{vote_type} ballots cannot be counted by these rules",
                line=file.meta_lines["vote_type"],
                field="vote_type",
            )
        projects = tuple(self._project(values, line) for values, line in self._projects())
        try:
            instance = Instance(
                money(meta["budget"], line=file.meta_lines["budget"], column="budget"),
                projects,
                self._constraints(kind, vote_type),
            )
        except PabulibError:
            raise
        except CountingError as error:
            raise PabulibError(
                str(error), line=file.meta_lines["budget"], field="budget"
            ) from error
        ballots = []
        costs = {project.id: project.cost for project in projects}
        for values, line in zip(file.votes, file.vote_lines, strict=True):
            ballot = self._ballot(values, line, kind)
            try:
                check_ballot(ballot, instance, kind, costs)
            except BallotError as error:
                raise PabulibError(error.reason, line=line, field=error.field) from error
            ballots.append(ballot)
        selected = None
        if "selected" in file.project_columns:
            selected = frozenset(
                values["project_id"] for values in file.projects if values["selected"] in ("1", "2")
            )
        return PabulibElection(
            file, instance, Profile(kind, tuple(ballots)), meta["rule"], selected
        )

    def _projects(self) -> list[tuple[dict[str, str], int]]:
        return list(zip(self.file.projects, self.file.project_lines, strict=True))

    def _project(self, values: dict[str, str], line: int) -> Project:
        cost = money(values["cost"], line=line, column="cost")
        if cost <= 0:
            raise PabulibError(f"the cost must be positive, not {cost}", line=line, field="cost")
        for column in ("votes", "score"):
            if values.get(column):
                money(values[column], line=line, column=column)
        if values.get("selected", "0") not in ("0", "1", "2"):
            raise PabulibError("selected must be 0, 1 or 2", line=line, field="selected")
        return Project(
            id=values["project_id"],
            cost=cost,
            name=values.get("name", ""),
            categories=_ids(values.get("category", "")),
            district=values.get("district", ""),
        )

    def _constraints(self, kind: VoteType, vote_type: str) -> BallotConstraints:
        def number(key: str, default: Money | None) -> Money | None:
            if key not in self.file.meta:
                return default
            return money(self.file.meta[key], line=self.file.meta_lines[key], column=key)

        def whole(key: str, default: int | None) -> int | None:
            if key not in self.file.meta:
                return default
            return _whole(self.file.meta[key], line=self.file.meta_lines[key], column=key)

        max_length = 1 if vote_type == "choose-1" else whole("max_length", None)
        min_length = whole("min_length", 1)
        constraints = BallotConstraints(
            min_length=1 if min_length is None else min_length,
            max_length=max_length,
            min_total_cost=number("min_sum_cost", 0) or 0,
            max_total_cost=number("max_sum_cost", None),
        )
        if kind is VoteType.APPROVAL:
            return constraints
        return BallotConstraints(
            min_length=constraints.min_length,
            max_length=constraints.max_length,
            min_total_cost=constraints.min_total_cost,
            max_total_cost=constraints.max_total_cost,
            min_points=whole("min_points", None),
            max_points=whole("max_points", None),
            min_total_points=whole("min_sum_points", None),
            max_total_points=whole("max_sum_points", None),
        )

    def _ballot(self, values: dict[str, str], line: int, kind: VoteType) -> Ballot:
        projects = _ids(values["vote"])
        if any(project == "" for project in projects):
            raise PabulibError("empty project id in the vote list", line=line, field="vote")
        if kind is VoteType.APPROVAL:
            return Ballot(values["voter_id"], projects)
        if "points" not in values:
            raise PabulibError("cumulative ballots need a points column", line=line, field="points")
        points = tuple(_whole(text, line=line, column="points") for text in _ids(values["points"]))
        if len(points) != len(projects):
            raise PabulibError(
                f"{len(points)} points for {len(projects)} projects", line=line, field="points"
            )
        return Ballot(values["voter_id"], projects, points)


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
    return buffer.getvalue()


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


def _money_text(value: Money) -> str:
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    decimal = f"{float(value):.10f}".rstrip("0")
    if Fraction(decimal) != value:
        raise PabulibError(f"{value} cannot be written as a decimal number")
    return decimal
