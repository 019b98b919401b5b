"""Reading a ``.pb`` file into a ``PabulibFile``: its sections and cells, as written.

The reader is tolerant by default: what real published files get wrong and the format
lets it mend (a byte-order mark, empty lines, spaces around values, a decimal comma,
missing or empty trailing fields, META that disagrees with the data) is mended and
reported as a ``FileWarning`` with its line. ``strict=True`` refuses the first such thing
instead, with a ``PabulibError`` naming the line and the field. What cannot be mended (bad
quoting, a missing section, an amount that is not a number, two projects with one id) is
refused either way.

The file is read in one pass, a line at a time; a line without quotes is split on ``;``
without the csv module, which is most of the ballots.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from ..model import CountingError, Money

if TYPE_CHECKING:
    from os import PathLike

    from .election import PabulibElection

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
_DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]+")
_DATE = re.compile(r"([0-9]{2}\.[0-9]{2}\.)?[0-9]{4}")
_SPACE = re.compile(r"\s")
_PLAIN = re.compile(r'[^"\s]+')
_BOM = "\ufeff"


class PabulibError(CountingError):
    """A pabulib file that cannot be read; ``line`` (1-based) and ``field`` say where."""

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


class Action(StrEnum):
    """What the reader did about an irregularity."""

    REPAIRED = "repaired"
    SKIPPED = "skipped"
    COUNTED_AS_CAST = "counted_as_cast"
    """A ballot that breaks the rules of the vote, counted as written, as its publisher did."""
    NOTED = "noted"
    """Nothing needed changing for the count, but the file is not what it says."""


@dataclass(frozen=True)
class FileWarning:
    """One irregularity of a file and what the reader did about it."""

    code: str
    problem: str
    remedy: str
    action: Action
    line: int | None = None
    field: str | None = None
    section: str = ""
    """``META``, ``PROJECTS`` or ``VOTES``; empty for the file as a whole."""

    @property
    def text(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"line {self.line}" if self.line is not None else "",
                f"field {self.field}" if self.field else "",
            )
            if part
        )
        return f"{where + ': ' if where else ''}{self.problem}; {self.remedy} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "line": self.line,
            "field": self.field,
            "section": self.section or None,
            "action": str(self.action),
            "problem": self.problem,
            "remedy": self.remedy,
        }


class Irregularities:
    """The warnings of a tolerant read; a strict read raises ``PabulibError`` at the first."""

    def __init__(self, strict: bool):
        self.strict = strict
        self.warnings: list[FileWarning] = []

    def report(
        self,
        code: str,
        problem: str,
        remedy: str,
        action: Action,
        *,
        line: int | None = None,
        field: str | None = None,
        section: str = "",
    ) -> None:
        if self.strict:
            raise PabulibError(problem, line=line, field=field)
        self.warnings.append(FileWarning(code, problem, remedy, action, line, field, section))


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
    warnings: list[FileWarning] = field(default_factory=list, compare=False, repr=False)
    """What the reader mended or noticed in the text; ``election()`` adds the ballots'."""
    strict: bool = field(default=False, compare=False, repr=False)
    final_newline: bool = field(default=True, compare=False, repr=False)
    """Whether the last line ends with a line break (many published files' do not)."""

    def election(self) -> PabulibElection:
        """The instance and profile in this file; raises ``PabulibError`` if they cannot be
        counted (in a strict read, at the first irregularity)."""
        from .election import convert  # election.py builds on this module

        return convert(self)

    def write(self, path: str | PathLike[str]) -> None:
        from .writer import write_pabulib

        with open(path, "wb") as file:
            file.write(write_pabulib(self).encode("utf-8"))


def read_pabulib(source: str | PathLike[str], *, strict: bool = False) -> PabulibFile:
    """Read a ``.pb`` file from a path; see the module's docstring for ``strict``."""
    # open(), not pathlib: pathlib takes longer to import than this reads a large file.
    with open(source, "rb") as file:
        data = file.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PabulibError("the file is not valid UTF-8", line=line) from error
    return parse_pabulib(text, strict=strict)


def parse_pabulib(text: str, *, strict: bool = False) -> PabulibFile:
    notes = Irregularities(strict)
    if text.startswith(_BOM):
        notes.report(
            "byte_order_mark",
            "the file starts with a byte-order mark",
            "ignored",
            Action.REPAIRED,
            line=1,
        )
        text = text[1:]
    lines = text.split("\n")
    final_newline = bool(lines) and lines[-1] == ""
    if final_newline:
        lines.pop()
    newline = "\r\n" if lines and lines[0].endswith("\r") else "\n"
    file = _Parser(lines, newline, notes).parse()
    file.final_newline = final_newline
    return file


class _Parser:
    def __init__(self, lines: list[str], newline: str, notes: Irregularities):
        self.lines = lines
        self.position = 0
        self.newline = newline
        self.notes = notes
        self.columns: list[str] = []
        """The header of the section being read, to name the field of a report."""

    def parse(self) -> PabulibFile:
        self._title("META")
        self.columns = self._header("META", required="key", exact=["key", "value"])
        meta: dict[str, str] = {}
        meta_lines: dict[str, int] = {}
        for line, cells in zip(*self._rows("META", 2, until="PROJECTS"), strict=True):
            key, value = cells["key"], cells["value"]
            if key in meta:
                self.notes.report(
                    "meta_repeated",
                    f"META key {key} appears twice",
                    "the later value is used",
                    Action.REPAIRED,
                    line=line,
                    field="key",
                    section="META",
                )
            meta[key], meta_lines[key] = value, line
        self._title("PROJECTS")
        project_columns = self._header("PROJECTS", required="project_id", also="cost")
        self.columns = project_columns
        project_lines, projects = self._rows("PROJECTS", len(project_columns), until="VOTES")
        self._title("VOTES")
        vote_columns = self._header("VOTES", required="voter_id", also="vote")
        self.columns = vote_columns
        vote_lines, votes = self._rows("VOTES", len(vote_columns), until=None)
        file = PabulibFile(
            meta,
            project_columns,
            projects,
            vote_columns,
            votes,
            self.newline,
            meta_lines,
            project_lines,
            vote_lines,
            self.notes.warnings,
            self.notes.strict,
        )
        _check_meta(file, self.notes)
        _check_project_ids(file)
        return file

    def _next(self, expected: str) -> tuple[int, list[str]]:
        """The next line that is not empty, as cells."""
        while self.position < len(self.lines):
            self.position += 1
            cells = self._split(self.position, "")
            if cells is not None:
                return self.position, self._stripped(cells, self.position, "")
        raise PabulibError(f"the file ends before {expected}", line=len(self.lines) + 1)

    def _title(self, title: str) -> None:
        line, cells = self._next(f"the {title} section")
        if cells != [title]:
            raise PabulibError(f"expected the section title {title}", line=line)

    def _header(
        self, section: str, *, required: str, also: str = "", exact: list[str] | None = None
    ) -> list[str]:
        self.columns = []
        line, cells = self._next(f"the {section} header")
        if exact is not None and cells != exact:
            raise PabulibError(f"the {section} header must be {';'.join(exact)}", line=line)
        if not cells or cells[0] != required:
            raise PabulibError(f"the {section} header must start with {required}", line=line)
        if also and also not in cells:
            raise PabulibError(f"the {section} header has no {also} column", line=line)
        if len(set(cells)) != len(cells):
            raise PabulibError(f"the {section} header repeats a column", line=line)
        return cells

    def _rows(self, section: str, width: int, until: str | None) -> tuple[list[int], list[dict]]:
        """The line numbers and rows of a section, up to the title ``until`` (which is left
        to be read)."""
        columns = self.columns
        numbers: list[int] = []
        rows: list[dict[str, str]] = []
        lines = self.lines
        plain = _PLAIN.fullmatch
        end = [until]
        for index in range(self.position, len(lines)):
            text = lines[index]
            # Most lines are plain: no quotes, no spaces, no carriage return.
            is_plain = plain(text) is not None
            cells = text.split(";") if is_plain else self._split(index + 1, section)
            if cells is None:
                continue
            if cells == end or (not is_plain and [cell.strip() for cell in cells] == end):
                self.position = index
                return numbers, rows
            if len(cells) != width:
                cells = self._fit(cells, width, index + 1, section)
            if not is_plain:
                cells = self._stripped(cells, index + 1, section)
            numbers.append(index + 1)
            rows.append(dict(zip(columns, cells, strict=True)))
        if until is not None:
            raise PabulibError(f"the file has no {until} section", line=len(lines) + 1)
        self.position = len(lines)
        return numbers, rows

    def _split(self, line: int, section: str) -> list[str] | None:
        """The cells of a line (1-based) as written, or None for an empty line (reported)."""
        text = self.lines[line - 1]
        if text.endswith("\r"):
            text = text[:-1]
        if not text or text.isspace():
            self.notes.report(
                "empty_line", "empty line", "skipped", Action.SKIPPED, line=line, section=section
            )
            return None
        if '"' not in text:
            return text.split(";")
        try:
            return next(csv.reader([text], delimiter=";", quotechar='"', strict=True))
        except csv.Error as error:
            raise PabulibError(f"bad quoting ({error})", line=line) from error

    def _stripped(self, cells: list[str], line: int, section: str) -> list[str]:
        """The cells without surrounding space; each space removed is reported."""
        stripped = [cell.strip() for cell in cells]
        for index, (cell, clean) in enumerate(zip(cells, stripped, strict=True)):
            if cell != clean:
                self.notes.report(
                    "space_around_value",
                    "leading or trailing space",
                    "removed",
                    Action.REPAIRED,
                    line=line,
                    field=self._column(index),
                    section=section,
                )
        return stripped

    def _column(self, index: int) -> str:
        if not self.columns:
            return "header"
        return self.columns[index] if index < len(self.columns) else f"column {index + 1}"

    def _fit(self, cells: list[str], width: int, line: int, section: str) -> list[str]:
        problem = f"{len(cells)} fields where the header has {width}"
        if len(cells) < width:
            self.notes.report(
                "missing_fields",
                problem,
                "the missing ones read as empty",
                Action.REPAIRED,
                line=line,
                section=section,
            )
            return cells + [""] * (width - len(cells))
        if section == "META":
            # The reference writer does not quote, so a ";" in a value splits it.
            self.notes.report(
                "unquoted_separator",
                problem,
                'the value was not quoted; read as one value with ";" in it',
                Action.REPAIRED,
                line=line,
                section=section,
            )
            return [cells[0], ";".join(cells[1:])]
        if not any(cells[width:]):
            self.notes.report(
                "extra_fields",
                problem,
                "the extra fields are empty and were left out",
                Action.REPAIRED,
                line=line,
                section=section,
            )
            return cells[:width]
        raise PabulibError(problem, line=line)


def _check_meta(file: PabulibFile, notes: Irregularities) -> None:
    meta, lines = file.meta, file.meta_lines
    for key in REQUIRED_META:
        if key in meta:
            continue
        line = max(lines.values(), default=2) + 1
        if key in ("budget", "vote_type"):
            raise PabulibError(f"META has no {key}", line=line, field=key)
        remedy = "read as rule unknown" if key == "rule" else "not needed for counting"
        notes.report(
            "meta_missing", f"META has no {key}", remedy, Action.NOTED, line=line, field=key
        )
    for key, actual in (("num_projects", len(file.projects)), ("num_votes", len(file.votes))):
        if key in meta and (not meta[key].isdigit() or int(meta[key]) != actual):
            notes.report(
                "meta_count",
                f"says {meta[key]} but the file has {actual}",
                "the file's rows are counted",
                Action.NOTED,
                line=lines[key],
                field=key,
                section="META",
            )
    budget = money(meta["budget"], line=lines["budget"], column="budget", notes=notes)
    meta["budget"] = money_text(budget) if "," in meta["budget"] else meta["budget"]
    if meta["vote_type"] not in VOTE_TYPES:
        raise PabulibError(
            f"unknown vote type {meta['vote_type']}", line=lines["vote_type"], field="vote_type"
        )
    if "rule" in meta and meta["rule"] not in RULES:
        notes.report(
            "unknown_rule",
            f"unknown rule {meta['rule']}",
            "read as rule unknown",
            Action.NOTED,
            line=lines["rule"],
            field="rule",
            section="META",
        )
    for key in ("date_begin", "date_end"):
        if key in meta and not _DATE.fullmatch(meta[key]):
            notes.report(
                "bad_date",
                "dates are dd.mm.yyyy or yyyy",
                "not needed for counting",
                Action.NOTED,
                line=lines[key],
                field=key,
                section="META",
            )


def _check_project_ids(file: PabulibFile) -> None:
    """Two projects with one id cannot be told apart, so that is refused in any read."""
    seen: set[str] = set()
    for values, line in zip(file.projects, file.project_lines, strict=True):
        project_id = values["project_id"]
        if project_id == "":
            raise PabulibError("empty id", line=line, field="project_id")
        if project_id in seen:
            raise PabulibError(f"id {project_id} appears twice", line=line, field="project_id")
        seen.add(project_id)


def money(
    text: str, *, line: int | None, column: str, notes: Irregularities | None = None
) -> Money:
    """An exact amount; a decimal comma is mended (and reported) when ``notes`` are given."""
    if not _NUMBER.fullmatch(text):
        problem = f"{text!r} is not a number (use . as the decimal point)"
        if notes is None or not _DECIMAL_COMMA.fullmatch(text):
            raise PabulibError(problem, line=line, field=column)
        notes.report(
            "decimal_comma",
            problem,
            f"read as {text.replace(',', '.')}",
            Action.REPAIRED,
            line=line,
            field=column,
        )
        text = text.replace(",", ".")
    value = Fraction(text)
    return value.numerator if value.denominator == 1 else value


def money_text(value: Money) -> str:
    """An amount as pabulib writes it: a whole number, or a decimal with ``.``."""
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    decimal = f"{float(value):.10f}".rstrip("0")
    if Fraction(decimal) != value:
        raise PabulibError(f"{value} cannot be written as a decimal number")
    return decimal
