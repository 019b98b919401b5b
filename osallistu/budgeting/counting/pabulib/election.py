"""From a read pabulib file to an election that can be counted by the file's own rule.

The ballots of a published file are the publisher's record of what was counted, so they
are counted as written wherever that has a meaning, and every departure from the rules
the file declares is reported (``FileWarning``):

- A ballot that breaks the vote's rules in META (too many or too few projects, dearer than
  ``max_sum_cost``, points out of bounds) is counted as cast (``ballot_constraint``).
  The publisher counted it: Warszawa 2018 Grochów–Kinowa's votes column and official
  result include its two ballots over ``max_sum_cost``.
- A project named twice in one ballot counts once, at its first place (approval and
  ordinal ballots: an approval is yes or no); on cumulative ballots its points are added
  (``duplicate_project``). A vote for a project the file does not list, or an empty entry,
  is left out of that ballot (``unknown_project``, ``empty_entry``).
- A ballot that names no project is skipped (``empty_ballot``): it is no vote for anything.
  So is a cumulative ballot whose points cannot be read (``bad_points``).
- The ``votes`` and ``score`` columns are compared with the ballots (``column_differs``);
  the count always comes from the ballots.

Ordinal ballots earn Borda points: with ``max_length`` L (else the number of projects),
the first place earns L points, the second L - 1, and so on; these are the ``score``
column of the files that have one (Kraków 2018).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..explain import Explanation
from ..model import (
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
    plainly_valid,
)
from .reader import RULES, Action, FileWarning, Irregularities, PabulibError, PabulibFile, money

if TYPE_CHECKING:
    from .. import Result

_VOTE_TYPES = {
    "approval": VoteType.APPROVAL,
    "choose-1": VoteType.APPROVAL,
    "cumulative": VoteType.CUMULATIVE,
    "scoring": VoteType.CUMULATIVE,
    "ordinal": VoteType.ORDINAL,
}


def _equal_shares(completion: str, comparison: bool) -> dict[str, object]:
    return {"rule": "mes", "utility": "cost", "completion": completion, "comparison": comparison}


COUNTED_RULES: dict[str, dict[str, object]] = {
    "greedy": {"rule": "greedy"},
    "greedy-no-skip": {"rule": "greedy-no-skip"},
    "greedy-threshold": {"rule": "greedy"},
    "equalshares": _equal_shares("none", False),
    "equalshares-comparison": _equal_shares("none", True),
    "equalshares/add1": _equal_shares("add1", False),
    "equalshares/add1-comparison": _equal_shares("add1", True),
    "mes": {"rule": "mes"},
    "phragmen": {"rule": "phragmen"},
}
"""``count()`` settings of each rule name the command accepts: pabulib's names and ours.
The greedy rules also take the file's ``min_project_score_threshold``."""

NOT_REPRODUCIBLE = {
    "greedy-custom": "it is the publisher's own variant of greedy, defined only in words in "
    "the file's comment",
    "greedy-exclusive": "some projects exclude each other (funding one rules out another), "
    "and the file does not say which",
    "unknown": "the file does not say which rule was used",
}


class UnreproducibleRule(CountingError):
    """The file's rule is not one that can be counted from the file alone."""

    def __init__(self, rule: str, reason: str):
        super().__init__(f"the file's rule {rule} cannot be reproduced: {reason}")
        self.rule = rule
        self.reason = reason


@dataclass(frozen=True)
class ReadSummary:
    """How much of the file the reader had to mend or leave out."""

    ballots_counted: int
    ballots_repaired: int
    ballots_skipped: int
    ballots_counted_as_cast: int
    """Ballots that break the vote's rules in META, counted as the publisher did."""
    lines_repaired: int
    lines_skipped: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Difference:
    """A project where the count and the file's ``selected`` column disagree."""

    project: Project
    selected: str
    """The file's ``selected`` value (``1``, ``2`` and ``3`` are funded)."""
    explanation: Explanation
    """Why the count did or did not fund it."""

    @property
    def text(self) -> str:
        if self.explanation.funded:
            official = "the file says not funded"
        else:
            official = f"the file says funded (selected {self.selected})"
        return f"{self.project.label}: {official}; here: {self.explanation.text}"


@dataclass(frozen=True)
class Check:
    """The count against the file's official result (its ``selected`` column)."""

    compared: bool
    """False when the file has no ``selected`` column: there was nothing to compare."""
    differences: tuple[Difference, ...]

    @property
    def agrees(self) -> bool:
        return self.compared and not self.differences

    def as_dict(self) -> dict[str, object]:
        return {
            "compared": self.compared,
            "agrees": self.agrees,
            "differences": [
                {
                    "project_id": d.project.id,
                    "selected": d.selected,
                    "funded": d.explanation.funded,
                    "text": d.text,
                }
                for d in self.differences
            ],
        }


@dataclass(frozen=True)
class PabulibElection:
    file: PabulibFile
    instance: Instance
    """The budget and projects; its ballot constraints are none, since the reader checked
    every ballot against ``constraints`` and reported what breaks them."""
    profile: Profile
    rule: str
    """META ``rule`` (``unknown`` when META has none, or one pabulib does not name)."""
    official_selection: frozenset[str] | None
    """Projects whose ``selected`` is 1 or more, if the file has that column."""
    warnings: tuple[FileWarning, ...] = ()
    constraints: BallotConstraints = field(default_factory=BallotConstraints)
    """The rules of the vote as META declares them."""
    threshold: Money | None = None
    """META ``min_project_score_threshold``: the least score a project needed."""
    selected_values: Mapping[str, str] | None = None
    """The file's ``selected`` cell of each project, if it has that column."""

    def count_settings(self) -> dict[str, object]:
        """``count()`` settings for the file's own rule; ``UnreproducibleRule`` if the file
        does not define it well enough to count."""
        return self.settings_for(self.rule)

    def settings_for(self, rule: str) -> dict[str, object]:
        """``count()`` settings for a rule name (pabulib's, or ``mes`` and ``phragmen``)."""
        if rule in NOT_REPRODUCIBLE:
            reason = NOT_REPRODUCIBLE[rule]
            comment = self.file.meta.get("comment", "")
            if rule == "greedy-custom" and comment:
                reason += f' ("{_shortened(comment)}")'
            raise UnreproducibleRule(rule, reason)
        if rule not in COUNTED_RULES:
            raise CountingError(f"unknown rule {rule}; use one of {', '.join(COUNTED_RULES)}")
        settings = dict(COUNTED_RULES[rule])
        if rule == "greedy-threshold" and self.threshold is None:
            raise UnreproducibleRule(
                rule, "META has no min_project_score_threshold, the least score a project needed"
            )
        if settings["rule"] in ("greedy", "greedy-no-skip") and self.threshold is not None:
            settings["threshold"] = self.threshold
        return settings

    def is_own_rule(self, settings: Mapping[str, object]) -> bool:
        """Whether ``settings`` count the file's own rule."""
        try:
            return dict(settings) == self.count_settings()
        except CountingError:
            return False

    def check(self, result: Result) -> Check:
        """Compare a result of counting this election with the file's ``selected`` column."""
        if self.official_selection is None or self.selected_values is None:
            return Check(compared=False, differences=())
        funded = set(result.selected)
        differences = tuple(
            Difference(project, self.selected_values[project.id], result.explanations[project.id])
            for project in self.instance.projects
            if (project.id in funded) != (project.id in self.official_selection)
        )
        return Check(compared=True, differences=differences)

    @property
    def summary(self) -> ReadSummary:
        lines: dict[Action, set[int]] = {action: set() for action in Action}
        ballot_lines: dict[Action, set[int]] = {action: set() for action in Action}
        for warning in self.warnings:
            if warning.line is None:
                continue
            lines[warning.action].add(warning.line)
            if warning.section == "VOTES":
                ballot_lines[warning.action].add(warning.line)
        skipped = ballot_lines[Action.SKIPPED]
        return ReadSummary(
            ballots_counted=len(self.profile.ballots),
            ballots_repaired=len(ballot_lines[Action.REPAIRED] - skipped),
            ballots_skipped=len(skipped),
            ballots_counted_as_cast=len(ballot_lines[Action.COUNTED_AS_CAST] - skipped),
            lines_repaired=len(lines[Action.REPAIRED] - lines[Action.SKIPPED]),
            lines_skipped=len(lines[Action.SKIPPED]),
        )


def _shortened(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def convert(file: PabulibFile) -> PabulibElection:
    return _Converter(file).election()


class _Converter:
    def __init__(self, file: PabulibFile):
        self.file = file
        self.notes = Irregularities(file.strict)
        self.costs: dict[str, Money] = {}

    def election(self) -> PabulibElection:
        file, meta = self.file, self.file.meta
        kind = _VOTE_TYPES[meta["vote_type"]]
        projects = tuple(
            self._project(values, line)
            for values, line in zip(file.projects, file.project_lines, strict=True)
        )
        budget_line = file.meta_lines["budget"]
        try:
            instance = Instance(
                money(meta["budget"], line=budget_line, column="budget"),
                projects,
                BallotConstraints(min_length=0),
            )
        except CountingError as error:
            raise PabulibError(str(error), line=budget_line, field="budget") from error
        constraints = self._constraints(kind, meta["vote_type"])
        declared = Instance(instance.budget, projects, constraints)
        profile = self._profile(kind, declared)
        self._compare_columns(profile)
        selected_values = None
        official = None
        if "selected" in file.project_columns:
            selected_values = {values["project_id"]: values["selected"] for values in file.projects}
            official = frozenset(
                project_id
                for project_id, value in selected_values.items()
                if value.isdigit() and int(value) >= 1
            )
        rule = meta.get("rule", "unknown")
        return PabulibElection(
            file,
            instance,
            profile,
            rule if rule in RULES else "unknown",
            official,
            tuple(
                sorted(
                    [*file.warnings, *self.notes.warnings],
                    key=lambda warning: -1 if warning.line is None else warning.line,
                )
            ),
            constraints,
            self._threshold(),
            selected_values,
        )

    def _project(self, values: dict[str, str], line: int) -> Project:
        cost = money(values["cost"], line=line, column="cost", notes=self.notes)
        if cost <= 0:
            raise PabulibError(f"the cost must be positive, not {cost}", line=line, field="cost")
        selected = values.get("selected", "0")
        if selected not in ("0", "1", "2"):
            funded = selected.isdigit() and int(selected) > 0
            self.notes.report(
                "selected_value",
                f"selected must be 0, 1 or 2, not {selected!r}",
                "read as funded outside the rule (the file's comment may say why)"
                if funded
                else "read as not funded",
                Action.NOTED,
                line=line,
                field="selected",
                section="PROJECTS",
            )
        return Project(
            id=values["project_id"],
            cost=cost,
            name=values.get("name", ""),
            categories=tuple(values["category"].split(",")) if values.get("category") else (),
            district=values.get("district", ""),
        )

    def _meta_number(self, key: str, *, whole: bool) -> Money | None:
        text = self.file.meta.get(key)
        if text is None or text == "":
            return None
        line = self.file.meta_lines[key]
        value = money(text, line=line, column=key, notes=self.notes)
        if whole and not isinstance(value, int):
            raise PabulibError(f"{text!r} is not a whole number", line=line, field=key)
        return value

    def _threshold(self) -> Money | None:
        return self._meta_number("min_project_score_threshold", whole=False)

    def _constraints(self, kind: VoteType, vote_type: str) -> BallotConstraints:
        def whole(key: str) -> int | None:
            return self._meta_number(key, whole=True)  # type: ignore[return-value]

        min_length = whole("min_length")
        constraints = BallotConstraints(
            min_length=1 if min_length is None else min_length,
            max_length=1 if vote_type == "choose-1" else whole("max_length"),
            min_total_cost=self._meta_number("min_sum_cost", whole=False) or 0,
            max_total_cost=self._meta_number("max_sum_cost", whole=False),
        )
        if kind is not VoteType.CUMULATIVE:
            return constraints
        return BallotConstraints(
            min_length=constraints.min_length,
            max_length=constraints.max_length,
            min_total_cost=constraints.min_total_cost,
            max_total_cost=constraints.max_total_cost,
            min_points=whole("min_points"),
            max_points=whole("max_points"),
            min_total_points=whole("min_sum_points"),
            max_total_points=whole("max_sum_points"),
        )

    def _profile(self, kind: VoteType, declared: Instance) -> Profile:
        """The ballots: all at once when the whole file passes the tests of a plain profile,
        else one by one, each irregular one through the repairs that report it."""
        file = self.file
        costs = self.costs = {project.id: project.cost for project in declared.projects}
        rules = declared.constraints
        shortest = rules.min_length
        longest = len(costs) if rules.max_length is None else rules.max_length
        by_cost = rules.min_total_cost > 0 or rules.max_total_cost is not None
        points_column = "points" in file.vote_columns
        if kind is VoteType.CUMULATIVE and not points_column:
            raise PabulibError(
                "cumulative ballots need a points column",
                line=file.vote_lines[0] - 1 if file.vote_lines else None,
                field="points",
            )
        borda = self._borda_length(kind, len(costs))
        cumulative, ordinal = kind is VoteType.CUMULATIVE, kind is VoteType.ORDINAL
        if not cumulative:
            # Whole-file tests first, at C speed; they pass for nearly every file, and then
            # no ballot needs looking at on its own. The count reuses what they work out.
            plain = Profile(
                VoteType.APPROVAL,
                tuple(
                    Ballot(values["voter_id"], tuple(values["vote"].split(",")))
                    for values in file.votes
                ),
            )
            if all(ballot.voter_id for ballot in plain.ballots) and plainly_valid(declared, plain):
                if not ordinal:
                    return plain
                return Profile(
                    kind,
                    tuple(
                        Ballot(voter, chosen, tuple(range(borda, borda - len(chosen), -1)))
                        for voter, chosen, _ in plain.ballots
                    ),
                )
        checked_always = by_cost or cumulative
        known = frozenset(costs)
        ballots: list[Ballot] = []
        voters: set[str] = set()
        for values, line in zip(file.votes, file.vote_lines, strict=True):
            voter = values["voter_id"]
            if voter in voters or not voter:
                voter = self._voter_id(voter, line)
            voters.add(voter)
            text = values["vote"]
            chosen = text.split(",") if text else []
            points: list[int] | None = None
            if cumulative:
                points = self._points(values.get("points", ""), len(chosen), line)
                if points is None:
                    continue
            distinct = set(chosen)
            if (
                len(distinct) != len(chosen)
                or not distinct <= known
                or (cumulative and 0 in points)
            ):
                chosen, points = self._repaired(chosen, points, kind, known, line)
            if not chosen:
                self._report_ballot(
                    "empty_ballot", "the ballot is empty", "skipped", Action.SKIPPED, line
                )
                continue
            if checked_always or not shortest <= len(chosen) <= longest:
                self._check(voter, chosen, points, declared, kind, borda, line)
            if ordinal:
                chosen = chosen[:borda]
                points = list(range(borda, borda - len(chosen), -1))
            ballots.append(Ballot(voter, tuple(chosen), None if points is None else tuple(points)))
        return Profile(kind, tuple(ballots))

    def _borda_length(self, kind: VoteType, project_count: int) -> int:
        if kind is not VoteType.ORDINAL:
            return 0
        scoring = self.file.meta.get("scoring_fn", "")
        if scoring and scoring.lower() != "borda":
            raise PabulibError(
                f"the scoring function {scoring!r} is not known here; only Borda is",
                line=self.file.meta_lines["scoring_fn"],
                field="scoring_fn",
            )
        length = self._meta_number("max_length", whole=True)
        return project_count if length is None else int(length)

    def _voter_id(self, voter: str, line: int) -> str:
        unique = f"{voter} (line {line})"
        problem = f"id {voter} appears twice" if voter else "empty id"
        self.notes.report(
            "duplicate_voter_id" if voter else "empty_voter_id",
            problem,
            f"counted as a ballot of its own, voter {unique!r}",
            Action.COUNTED_AS_CAST,
            line=line,
            field="voter_id",
            section="VOTES",
        )
        return unique

    def _points(self, text: str, count: int, line: int) -> list[int] | None:
        """The points of a cumulative ballot, or None (reported) when they cannot be read."""
        cells = text.split(",") if text else []
        if any(cell != cell.strip() for cell in cells):
            self._report_ballot(
                "space_around_value",
                "leading or trailing space",
                "removed",
                Action.REPAIRED,
                line,
                "points",
            )
        problem = None
        if len(cells) != count:
            problem = f"{len(cells)} points for {count} projects"
        elif not all(cell.strip().isdigit() for cell in cells):
            problem = f"points must be whole numbers of at least 0, not {text!r}"
        if problem is not None:
            self._report_ballot("bad_points", problem, "skipped", Action.SKIPPED, line, "points")
            return None
        return [int(cell) for cell in cells]

    def _repaired(
        self,
        chosen: list[str],
        points: list[int] | None,
        kind: VoteType,
        known: Collection[str],
        line: int,
    ) -> tuple[list[str], list[int] | None]:
        """The ballot without empty entries, unknown projects, repeats and zero points."""
        kept: list[str] = []
        kept_points: list[int] = []
        place: dict[str, int] = {}
        for index, entry in enumerate(chosen):
            project_id = entry.strip()
            if project_id != entry:
                self._report_ballot(
                    "space_around_value",
                    "leading or trailing space",
                    "removed",
                    Action.REPAIRED,
                    line,
                )
            if project_id == "":
                self._report_ballot(
                    "empty_entry",
                    "an empty entry in the vote list",
                    "left out",
                    Action.REPAIRED,
                    line,
                )
                continue
            if project_id not in known:
                self._report_ballot(
                    "unknown_project",
                    f"vote for unknown project {project_id}",
                    "left out of the ballot",
                    Action.REPAIRED,
                    line,
                )
                continue
            given = points[index] if points is not None else 1
            if project_id in place:
                remedy = (
                    "its points were added up"
                    if kind is VoteType.CUMULATIVE
                    else "counted once, at its first place"
                    if kind is VoteType.ORDINAL
                    else "counted once"
                )
                self._report_ballot(
                    "duplicate_project",
                    f"the ballot names the same project twice ({project_id})",
                    remedy,
                    Action.REPAIRED,
                    line,
                )
                if points is not None:
                    kept_points[place[project_id]] += given
                continue
            if given == 0:
                self._report_ballot(
                    "zero_points",
                    f"0 points for project {project_id}",
                    "left out: no points is no support",
                    Action.REPAIRED,
                    line,
                    "points",
                )
                continue
            place[project_id] = len(kept)
            kept.append(project_id)
            kept_points.append(given)
        return kept, kept_points if points is not None else None

    def _check(
        self,
        voter: str,
        chosen: list[str],
        points: list[int] | None,
        declared: Instance,
        kind: VoteType,
        borda: int,
        line: int,
    ) -> None:
        """Report a ballot that breaks the rules of the vote; it is counted all the same.
        An ordinal ballot is checked as the list it is: its points are the count's."""
        ballot = Ballot(voter, tuple(chosen), None if points is None else tuple(points))
        try:
            check_ballot(
                ballot,
                declared,
                VoteType.APPROVAL if kind is VoteType.ORDINAL else kind,
                self.costs,
            )
        except BallotError as error:
            remedy = "counted as cast, as the file's publisher did"
            if kind is VoteType.ORDINAL and len(chosen) > borda:
                remedy += f"; places after the first {borda} earn no points"
            self._report_ballot(
                "ballot_constraint",
                error.reason,
                remedy,
                Action.COUNTED_AS_CAST,
                line,
                error.field,
            )

    def _report_ballot(
        self,
        code: str,
        problem: str,
        remedy: str,
        action: Action,
        line: int,
        field: str = "vote",
    ) -> None:
        self.notes.report(code, problem, remedy, action, line=line, field=field, section="VOTES")

    def _compare_columns(self, profile: Profile) -> None:
        """Report where the file's ``votes`` or ``score`` column disagrees with its ballots."""
        file = self.file
        columns = ["votes"] if profile.vote_type is VoteType.APPROVAL else ["votes", "score"]
        columns = [column for column in columns if column in file.project_columns]
        if not columns:
            return
        counted = {"votes": profile.supporters, "score": profile.points}
        for values, line in zip(file.projects, file.project_lines, strict=True):
            for column in columns:
                text = values[column]
                if text == "":
                    continue
                ours = counted[column][values["project_id"]]
                try:
                    theirs = money(text, line=line, column=column)
                except PabulibError as error:
                    problem, remedy = error.reason, "not compared"
                else:
                    if theirs == ours:
                        continue
                    problem = f"the file says {text} but its ballots give {ours}"
                    remedy = "the ballots are counted"
                self.notes.report(
                    "column_differs",
                    problem,
                    remedy,
                    Action.NOTED,
                    line=line,
                    field=column,
                    section="PROJECTS",
                )
