"""Command line: count a pabulib file.

    python -m osallistu.budgeting.counting FILE.pb [--rule greedy|mes|phragmen]
        [--utility cost|approval] [--completion none|add1|add1-exhaustive|add1u]
        [--comparison] [--ties standard|pabutools] [--seed N] [--json] [--progress]

Without ``--rule`` the file's META ``rule`` decides. Progress goes to stderr, only when
stderr is a terminal or ``--progress`` is given, so ``--json`` output stays clean.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence

from . import CountingError, Result, Rule, TieBreaking, TieMode, count, read_pabulib
from .explain import money
from .rules.mes import Completion, Utility


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m osallistu.budgeting.counting", description="Count a pabulib .pb file."
    )
    parser.add_argument("file")
    parser.add_argument("--rule", choices=Rule.ALL)
    parser.add_argument("--utility", choices=[u.value for u in Utility])
    parser.add_argument("--completion", choices=[c.value for c in Completion])
    parser.add_argument("--comparison", action="store_true", default=None)
    parser.add_argument("--ties", choices=[m.value for m in TieMode], default="standard")
    parser.add_argument("--seed", type=int, help="seed of the lot that breaks full ties")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--progress", action="store_true", help="show progress on stderr")
    args = parser.parse_args(argv)
    try:
        election = read_pabulib(args.file).election()
        settings = election.count_settings() if args.rule is None else {"rule": args.rule}
        for key in ("utility", "completion", "comparison"):
            if getattr(args, key) is not None:
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
    except (CountingError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(_report(result, election.instance.projects))
    return 0


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


def _report(result: Result, projects: Sequence) -> str:
    rule = result.rule
    if result.rule == Rule.MES:
        rule += f", {result.utility} utilities, completion {result.completion}"
        if result.comparison:
            rule += ", comparison with greedy"
    lines = [
        f"Rule: {rule}",
        f"Funded {len(result.selected)} projects for {money(result.total_cost)} "
        f"of {money(result.budget)}: {', '.join(result.selected)}",
    ]
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
    for project in projects:
        lines.append(f"{project.label}: {result.explanations[project.id].text}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
