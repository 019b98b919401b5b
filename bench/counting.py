"""Benchmark the vote count against pabutools on synthetic elections.

100 projects; each voter approves 1-10 projects chosen with skewed popularity (a few
projects are far more popular than the rest); the budget is a quarter of the total cost.
Both libraries count the same election in one run; each pabutools count runs in a child
process with a time limit, and its selection is compared with ours.

    .venv/bin/python bench/counting.py                      # 20,000 and 100,000 voters
    .venv/bin/python bench/counting.py --voters 2000 5000   # smaller sizes
    .venv/bin/python bench/counting.py --no-pabutools       # ours only
    .venv/bin/python bench/counting.py --pabutools-add1     # also time pabutools' Add1
    .venv/bin/python bench/counting.py --pabutools-limit 120

pabutools' equal shares with Add1 is not run by default: PABULIB.md measured it at
about 20 minutes (and over 4 GB) for 20,000 voters.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from osallistu.budgeting.counting import (  # noqa: E402
    Instance,
    Profile,
    Project,
    TieBreaking,
    TieMode,
    count,
)

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


def pabutools_count(costs, budget, ballots, settings, results):
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat
    from pabutools.election import Instance as PabuInstance
    from pabutools.election import Project as PabuProject
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    projects = {name: PabuProject(name, cost) for name, cost in costs.items()}
    instance = PabuInstance(projects.values(), budget_limit=budget)
    profile = ApprovalProfile(
        [ApprovalBallot(projects[p] for p in ballot) for ballot in ballots], instance=instance
    )
    started = time.perf_counter()
    if settings["rule"] == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif settings["rule"] == "phragmen":
        outcome = sequential_phragmen(instance, profile)
    else:
        increment = 1 if settings["completion"] == "add1" else None
        outcome = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, voter_budget_increment=increment
        )
    results.put((time.perf_counter() - started, sorted(p.name for p in outcome)))


def time_pabutools(instance, profile, settings, limit):
    """Seconds and selection, or None if it did not finish within ``limit`` seconds."""
    costs = {p.id: p.cost for p in instance.projects}
    ballots = [b.projects for b in profile.ballots]
    results = multiprocessing.Queue()
    child = multiprocessing.Process(
        target=pabutools_count, args=(costs, instance.budget, ballots, settings, results)
    )
    child.start()
    child.join(limit)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return results.get() if not results.empty() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--pabutools-add1", action="store_true")
    parser.add_argument("--pabutools-limit", type=float, default=300, help="seconds per count")
    args = parser.parse_args()
    print(f"{'voters':>8}  {'rule':<20} {'ours':>9} {'pabutools':>12} {'ratio':>8}  same")
    for voters in args.voters:
        instance, profile = synthetic_election(voters)
        for label, settings in RULES:
            started = time.perf_counter()
            result = count(instance, profile, tie_breaking=TieBreaking(TieMode.PABUTOOLS), **settings)
            ours = time.perf_counter() - started
            theirs, ratio, same = "", "", ""
            if args.no_pabutools:
                theirs = "-"
            elif settings.get("completion") == "add1" and not args.pabutools_add1:
                theirs = ADD1_NOT_RUN
            else:
                measured = time_pabutools(instance, profile, settings, args.pabutools_limit)
                if measured is None:
                    theirs = f">{args.pabutools_limit:.0f} s"
                    ratio = f">{args.pabutools_limit / ours:.0f}x"
                else:
                    seconds, selection = measured
                    theirs, ratio = f"{seconds:.2f} s", f"{seconds / ours:.1f}x"
                    same = "yes" if selection == sorted(result.selected) else "NO"
            print(
                f"{voters:>8}  {label:<20} {ours:>7.2f} s {theirs:>12} {ratio:>8}  {same}",
                flush=True,
            )


if __name__ == "__main__":
    main()
