"""Command line: count a pabulib file.

    python -m osallistu.budgeting.counting FILE.pb [--rule NAME] [--check] [--strict]
        [--utility cost|approval] [--completion none|add1|add1-exhaustive|add1u]
        [--comparison] [--ties standard|pabutools] [--seed N] [--json] [--progress]

Without ``--rule`` the file's META ``rule`` is counted; a rule the file does not define
well enough to count (``greedy-custom``, ``greedy-exclusive``, ``unknown``) is an error
that says why, and another rule is counted only when ``--rule`` names it. ``--check``
compares the selection with the file's ``selected`` column. Exit status: 0 done (with
``--check``: the selections agree), 1 they differ or the file has no ``selected`` column,
2 the file cannot be read or its rule cannot be counted. Progress goes to stderr, only
when stderr is a terminal or ``--progress`` is given, so ``--json`` output stays clean.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Sequence

from . import CountingError, Result, TieBreaking, TieMode, count, read_pabulib
from .explain import money
from .options import Completion, Utility
from .pabulib import COUNTED_RULES, Check, PabulibElection, UnreproducibleRule

LISTED_WARNINGS = 20
"""Warnings listed in the text report; ``--json`` lists them all."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m osallistu.budgeting.counting", description="Count a pabulib .pb file."
    )
    parser.add_argument("file")
    parser.add_argument(
        "--rule",
        choices=list(COUNTED_RULES),
        help="count this rule instead of the file's own",
    )
    parser.add_argument("--utility", choices=[u.value for u in Utility])
    parser.add_argument("--completion", choices=[c.value for c in Completion])
    parser.add_argument("--comparison", action="store_true", default=None)
    parser.add_argument("--ties", choices=[m.value for m in TieMode], default="standard")
    parser.add_argument("--seed", type=int, help="seed of the lot that breaks full ties")
    parser.add_argument(
        "--check", action="store_true", help="compare the selection with the file's selected"
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse the file at its first irregularity"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--progress", action="store_true", help="show progress on stderr")
    args = parser.parse_args(argv)
    # One short process that makes many small objects and no cycles among them: the cyclic
    # garbage collector would only spend time scanning them (a tenth of a large count).
    gc.disable()
    try:
        election = read_pabulib(args.file, strict=args.strict).election()
        settings = (
            election.count_settings() if args.rule is None else election.settings_for(args.rule)
        )
        for key in ("utility", "completion", "comparison"):
            if getattr(args, key) is not None:
                if settings["rule"] != "mes":
                    raise CountingError(f"--{key} applies to equal shares only")
                settings[key] = getattr(args, key)
        progress = _progress_bar() if args.progress or sys.stderr.isatty() else None
        result = count(
            election.instance,
            election.profile,
            tie_breaking=TieBreaking(TieMode(args.ties), args.seed),
            progress=progress,
            **settings,  # type: ignore[arg-type]
        )
        if progress is not None:
            progress("")
    except UnreproducibleRule as error:
        print(f"error: {error}", file=sys.stderr)
        print(
            "Count another rule by naming it with --rule; the result is then not the file's "
            "own rule.",
            file=sys.stderr,
        )
        return 2
    except (CountingError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    notes = _rule_notes(election, settings, result)
    check = election.check(result) if args.check else None
    if args.json:
        import json  # only here: the text report is the common case

        data = result.as_dict()
        data.update(
            file_rule=election.rule,
            own_rule=election.is_own_rule(settings),
            notes=notes,
            read=election.summary.as_dict(),
            warnings=[warning.as_dict() for warning in election.warnings],
        )
        if check is not None:
            data["check"] = check.as_dict()
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(_report(result, election, notes, check))
    return 0 if check is None or check.agrees else 1


def _rule_notes(
    election: PabulibElection, settings: dict[str, object], result: Result
) -> list[str]:
    """What a reader of the result must know about the rule that was counted."""
    notes = []
    if not election.is_own_rule(settings):
        why = ""
        try:
            election.count_settings()
        except UnreproducibleRule as error:
            why = f", which cannot be reproduced: {error.reason}"
        notes.append(f"This is not the file's own rule ({election.rule}{why}).")
    if election.threshold is not None and result.threshold is None:
        notes.append(
            f"META min_project_score_threshold ({money(election.threshold)}) applies to the "
            "greedy rules only; this count does not use it."
        )
    return notes


def _progress_bar() -> Callable[[str], None]:
    """A one-line status on stderr; Add1's number of steps is not known in advance."""
    started = time.monotonic()
    spinner = "|/-\\"
    calls = 0

    def show(message: str) -> None:
        nonlocal calls
        calls += 1
        if not message:
            sys.stderr.write("\r\033[K")
        else:
            elapsed = time.monotonic() - started
            sys.stderr.write(f"\r\033[K{spinner[calls % 4]} {elapsed:6.1f} s  {message}")
        sys.stderr.flush()

    return show


def _report(
    result: Result, election: PabulibElection, notes: list[str], check: Check | None
) -> str:
    summary = election.summary
    lines = [
        f"Read {summary.ballots_counted} ballots: {summary.ballots_repaired} repaired, "
        f"{summary.ballots_skipped} skipped, {summary.ballots_counted_as_cast} counted as cast "
        f"although they break the vote's rules; {summary.lines_repaired} lines repaired, "
        f"{summary.lines_skipped} skipped."
    ]
    lines += [f"  {warning.text}" for warning in election.warnings[:LISTED_WARNINGS]]
    if len(election.warnings) > LISTED_WARNINGS:
        lines.append(
            f"  … and {len(election.warnings) - LISTED_WARNINGS} more warnings (--json lists all)"
        )
    lines.append(f"Rule: {_rule(result)}")
    lines += notes
    lines.append(
        f"Funded {len(result.selected)} projects for {money(result.total_cost)} "
        f"of {money(result.budget)}: {', '.join(result.selected)}"
    )
    if result.share_per_voter is not None:
        lines.append(f"Share per voter: {money(result.share_per_voter)}")
    if result.switched_to_greedy:
        lines.append("More voters preferred the greedy outcome, so it replaced equal shares.")
    if result.ties:
        lines.append(
            f"Ties: {len(result.ties)}; lot needed: {'yes' if result.lot_was_needed else 'no'}"
            + (f" (seed {result.tie_seed})" if result.tie_seed is not None else "")
        )
    lines.append("")
    for project in election.instance.projects:
        lines.append(f"{project.label}: {result.explanations[project.id].text}")
    if check is not None:
        lines.append("")
        if not check.compared:
            lines.append("Check: the file has no selected column, so there is nothing to compare.")
        elif check.agrees:
            lines.append("Check: the selection agrees with the file's selected column.")
        else:
            lines.append(
                f"Check: {len(check.differences)} projects differ from the file's selected column:"
            )
            lines += [f"  {difference.text}" for difference in check.differences]
    return "\n".join(lines)


def _rule(result: Result) -> str:
    rule = result.rule
    if result.rule == "mes":
        rule += f", {result.utility} utilities, completion {result.completion}"
        if result.comparison:
            rule += ", comparison with greedy"
    if result.threshold is not None:
        rule += f", projects with fewer than {money(result.threshold)} votes not eligible"
    return rule


if __name__ == "__main__":
    sys.exit(main())
