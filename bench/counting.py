"""Benchmark the vote count against pabutools on synthetic elections.

100 projects; each voter approves 1-10 projects chosen with skewed popularity (a few
projects are far more popular than the rest); the budget is a quarter of the total cost.
Both libraries count the same election in one run; each pabutools count runs in a child
process with a time limit, and its selection is compared with ours.

    .venv/bin/python bench/counting.py                      # 20,000 and 100,000 voters
    .venv/bin/python bench/counting.py --voters 2000 5000   # smaller sizes
    .venv/bin/python bench/counting.py --no-pabutools       # ours only
    .venv/bin/python bench/counting.py --pabutools-add1     # also time pabutools' Add1
    .venv/bin/python bench/counting.py --pabutools-limit 120 --ours-limit 600
    .venv/bin/python bench/counting.py --only-command        # the whole-command ratio alone

Each count, ours and pabutools', runs in a child process and is stopped after its limit
(default 300 s of waiting); the table then shows ">300 s". Times are the CPU seconds of the
count alone (``time.process_time`` in the child), not wall-clock time, so that other work on
a shared machine does not distort the comparison; the load average is printed at the start
and the end.

pabutools' equal shares with Add1 is not run by default: PABULIB.md measured it at
about 20 minutes (and over 4 GB) for 20,000 voters.

After the table, the whole command is compared with pabutools as whole processes, start to
finish, on a pabulib file of 15,000 synthetic voters: ``python -m osallistu.budgeting.counting
FILE --rule greedy`` against a process that reads the file with pabutools' parse_pabulib and
counts greedy. Each runs once untimed, so both have their bytecode compiled (in a temporary
cache, as a normal installation has it even where PYTHONDONTWRITEBYTECODE is set), then
``--repeats`` times; the best CPU time of each process (user + system, from the operating
system) gives the ratio, and the best wall-clock time is shown beside it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import queue
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from osallistu.budgeting.counting import (
    Instance,
    Profile,
    Project,
    TieBreaking,
    TieMode,
    count,
    pabulib_file,
    write_pabulib,
)

ROOT = Path(__file__).resolve().parent.parent
PABUTOOLS_COMMAND = """
import json, sys
from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare
instance, profile = parse_pabulib(sys.argv[1])
outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
print(json.dumps(sorted(p.name for p in outcome)))
"""

RULES = [
    ("greedy", {"rule": "greedy"}),
    ("MES, no completion", {"rule": "mes", "completion": "none"}),
    ("MES, Add1", {"rule": "mes", "completion": "add1"}),
    ("sequential Phragmén", {"rule": "phragmen"}),
]
ADD1_NOT_RUN = "not run (about 20 min at 20,000 voters per PABULIB.md)"


def synthetic_election(voters: int, seed: int = 2024) -> tuple[Instance, Profile]:
    lot = random.Random(seed)
    costs = [lot.randrange(10_000, 500_001, 100) for _ in range(100)]
    projects = tuple(Project(str(i + 1), cost) for i, cost in enumerate(costs))
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(100)]
    lot.shuffle(popularity)
    ids = [p.id for p in projects]
    ballots = {}
    for voter in range(voters):
        wanted = lot.randint(1, 10)
        chosen: set[str] = set()
        while len(chosen) < wanted:
            chosen.update(lot.choices(ids, weights=popularity, k=wanted - len(chosen)))
        ballots[f"v{voter}"] = sorted(chosen, key=int)
    return Instance(sum(costs) // 4, projects), Profile.approvals(ballots)


def ours_count(instance, profile, settings, results):
    started = time.process_time()
    result = count(instance, profile, tie_breaking=TieBreaking(TieMode.PABUTOOLS), **settings)
    results.put((time.process_time() - started, sorted(result.selected)))


def pabutools_count(instance, profile, settings, results):
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat
    from pabutools.election import Instance as PabuInstance
    from pabutools.election import Project as PabuProject
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    projects = {p.id: PabuProject(p.id, p.cost) for p in instance.projects}
    pabu_instance = PabuInstance(projects.values(), budget_limit=instance.budget)
    pabu_profile = ApprovalProfile(
        [ApprovalBallot(projects[p] for p in b.projects) for b in profile.ballots],
        instance=pabu_instance,
    )
    started = time.process_time()
    if settings["rule"] == "greedy":
        outcome = greedy_utilitarian_welfare(pabu_instance, pabu_profile, sat_class=Cost_Sat)
    elif settings["rule"] == "phragmen":
        outcome = sequential_phragmen(pabu_instance, pabu_profile)
    else:
        increment = 1 if settings["completion"] == "add1" else None
        outcome = method_of_equal_shares(
            pabu_instance, pabu_profile, sat_class=Cost_Sat, voter_budget_increment=increment
        )
    results.put((time.process_time() - started, sorted(p.name for p in outcome)))


def timed(counter, instance, profile, settings, limit):
    """(seconds, sorted selection) from ``counter`` in a child process, or None after
    ``limit`` seconds. Only the count itself is timed, not building the input."""
    results = multiprocessing.Queue()
    child = multiprocessing.Process(target=counter, args=(instance, profile, settings, results))
    child.start()
    try:
        return results.get(timeout=limit)
    except queue.Empty:
        return None
    finally:
        child.terminate()
        child.join()


def shown(measured, limit):
    return f">{limit:.0f} s" if measured is None else f"{measured[0]:.2f} s"


def whole_command(voters: int, repeats: int) -> None:
    """Our command and pabutools' parse-and-count as whole processes on one file."""
    instance, profile = synthetic_election(voters)
    meta = {
        "description": f"Synthetic election of {voters} voters (bench/counting.py)",
        "country": "Finland",
        "unit": "Bench",
        "instance": "2026",
        "rule": "greedy",
        "date_begin": "2026",
        "date_end": "2026",
    }
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"synthetic_{voters}.pb"
        path.write_text(write_pabulib(pabulib_file(instance, profile, meta)), encoding="utf-8")
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(directory) / "bytecode"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        ours_command = [sys.executable, "-m", "osallistu.budgeting.counting", str(path)]
        ours = process_times([*ours_command, "--rule", "greedy"], env, repeats)
        theirs = process_times([sys.executable, "-c", PABUTOOLS_COMMAND, str(path)], env, repeats)
        done = subprocess.run(
            [*ours_command, "--rule", "greedy", "--json"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        same = sorted(json.loads(done.stdout)["selected"]) == json.loads(theirs[2])
    print(
        f"\nWhole command, {voters:,} voters, greedy: CPU seconds of each process, best of "
        f"{repeats} (wall clock)"
    )
    print(
        f"  ours       python -m osallistu.budgeting.counting FILE --rule greedy  "
        f"{ours[0]:6.3f} s ({ours[1]:.3f} s)"
    )
    print(
        f"  pabutools  parse_pabulib(FILE), greedy_utilitarian_welfare          "
        f"{theirs[0]:6.3f} s ({theirs[1]:.3f} s)"
    )
    print(
        f"  ratio {theirs[0] / ours[0]:.1f}x in CPU time ({theirs[1] / ours[1]:.1f}x wall); "
        f"same selection: {'yes' if same else 'NO'}",
        flush=True,
    )


def process_times(
    command: list[str], env: dict[str, str], repeats: int
) -> tuple[float, float, str]:
    """(best CPU seconds, best wall seconds, output) of ``command`` run as a whole process,
    after one untimed run that compiles its bytecode."""
    subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=True)
    best_cpu = best_wall = float("inf")
    output = ""
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_cpu, best_wall, output = min(best_cpu, cpu), min(best_wall, wall), done.stdout
    return best_cpu, best_wall, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument(
        "--only-command", action="store_true", help="only the whole-command comparison"
    )
    parser.add_argument("--command-voters", type=int, default=15_000)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each whole command")
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--pabutools-add1", action="store_true")
    parser.add_argument("--pabutools-limit", type=float, default=300, help="seconds per count")
    parser.add_argument("--ours-limit", type=float, default=300, help="seconds per count")
    args = parser.parse_args()
    print(f"{platform.python_version()}, {os.cpu_count()} CPUs, {load()}")
    if not args.only_command:
        table(args)
    if not args.no_pabutools:
        whole_command(args.command_voters, args.repeats)
    print(f"at the end: {load()}")


def table(args: argparse.Namespace) -> None:
    print(f"{'voters':>8}  {'rule':<20} {'ours':>9} {'pabutools':>12} {'ratio':>8}  same")
    for voters in args.voters:
        instance, profile = synthetic_election(voters)
        for label, settings in RULES:
            ours = timed(ours_count, instance, profile, settings, args.ours_limit)
            theirs, ratio, same = "-", "", ""
            if args.no_pabutools:
                pass
            elif settings.get("completion") == "add1" and not args.pabutools_add1:
                theirs = ADD1_NOT_RUN
            else:
                measured = timed(pabutools_count, instance, profile, settings, args.pabutools_limit)
                theirs = shown(measured, args.pabutools_limit)
                if measured is not None and ours is not None:
                    ratio = f"{measured[0] / ours[0]:.1f}x"
                    same = "yes" if measured[1] == ours[1] else "NO"
                elif measured is None and ours is not None:
                    ratio = f">{args.pabutools_limit / ours[0]:.0f}x"
            print(
                f"{voters:>8}  {label:<20} {shown(ours, args.ours_limit):>9} "
                f"{theirs:>12} {ratio:>8}  {same}",
                flush=True,
            )


def load() -> str:
    """The machine's load average: other work slows wall-clock time, not CPU seconds."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


if __name__ == "__main__":
    main()
