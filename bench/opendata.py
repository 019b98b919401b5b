"""Benchmark the open data API and the nightly export on PostgreSQL.

1. List endpoints at 100,000 objects: builds the demo Helsinki (``manage.py demo``) and
   adds 100,000 proposals and 100,000 comments on them, then asks the busiest lists
   (first and a deep page, filters, bbox, include=, page_size=100) many times through
   Django's test client in this process, and prints the median and 95th percentile and
   the number of queries of each (target: median under 50 ms, the same queries
   whatever the page size).
2. The nightly export of every dataset (``opendata.export.export_all``): its time, and
   its peak of Python memory in a second run under tracemalloc, with the demo data, then
   with 100,000 proposals and comments: memory stays flat when the export is streamed.

    .venv/bin/python bench/opendata.py                 # database osallistu_bench_opendata
    .venv/bin/python bench/opendata.py --keep-db       # keep it for another run
    .venv/bin/python bench/opendata.py --repeats 50
    .venv/bin/python bench/opendata.py --only lists --keep-db
    DATABASE_URL=postgres://… .venv/bin/python bench/opendata.py

Without DATABASE_URL it uses the server that scripts/postgres.sh starts and creates (and
at the end drops) the database ``osallistu_bench_opendata``. It prints ``uptime`` at the
start and the end: on a shared machine, run it when the load average is low (under 4).
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402

DATABASE = "osallistu_bench_opendata"
OBJECTS = 100_000


def setup(url, files):
    os.environ["OPEN_DATA_ROOT"] = str(files)
    # Every request of the benchmark comes from one address.
    os.environ.setdefault("API_ANON_RATE", "100000000/minute")
    benchdb.setup_django(url, database_cache=True)


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def build_demo():
    from django.core.management import call_command

    from osallistu.budgeting.models import Round

    if not Round.objects.exists():
        started = time.perf_counter()
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"demo built in {time.perf_counter() - started:.0f} s")


def add_proposals(count, rng):
    """``count`` visible proposals and as many comments, in the demo's rounds."""
    from django.db import connection, transaction

    from osallistu.areas.models import Area
    from osallistu.budgeting.models import Proposal, ProposalComment, Round

    rounds = list(Round.objects.all())
    districts = list(Area.objects.districts())
    themes = ["ecology", "culture", "sports", "learning", "parks", "built", "wellbeing"]
    made = 0
    while made < count:
        batch = min(5000, count - made)
        with transaction.atomic():
            proposals = Proposal.objects.bulk_create(
                Proposal(
                    round=rng.choice(rounds),
                    area=rng.choice(districts),
                    title=f"Bench idea {made + number}",
                    description="A longer description of the idea. " * 5,
                    language=rng.choice(["fi", "sv", "en"]),
                    theme=rng.choice(themes),
                    latitude=round(60.15 + rng.random() * 0.12, 6),
                    longitude=round(24.8 + rng.random() * 0.4, 6),
                )
                for number in range(batch)
            )
            ProposalComment.objects.bulk_create(
                ProposalComment(proposal=proposal, text="Good idea!") for proposal in proposals
            )
        made += batch
    # What autovacuum does to a table that grew this much, before the lists are asked.
    with connection.cursor() as cursor:
        for model in (Proposal, ProposalComment):
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


def measure(client, path, query, repeats, *, cached=True):
    """Median, p95 and queries of ``repeats`` requests; unless ``cached``, the shared
    cache (monitoring's live rows) is emptied before each."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = None
    for _ in range(repeats):
        if not cached:
            cache.clear()
        # With DEBUG on every query is logged; a full log (9,000) would count none.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, query)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, query, response.status_code)
        times.append(elapsed * 1000)
        queries = len(captured)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


LISTS = [
    ("/api/v1/budgeting/proposals/", {}),
    ("/api/v1/budgeting/proposals/", {"page": 2000}),
    ("/api/v1/budgeting/proposals/", {"page_size": 100}),
    ("/api/v1/budgeting/proposals/", {"page_size": 100, "include": "round,area,plan"}),
    ("/api/v1/budgeting/proposals/", {"area": "eastern", "theme": "parks"}),
    ("/api/v1/budgeting/proposals/", {"bbox": "24.9,60.15,25.0,60.2"}),
    ("/api/v1/budgeting/proposals/", {"updated_since": "2030-01-01T00:00:00Z"}),
    ("/api/v1/budgeting/proposal-comments/", {"page_size": 100}),
    ("/api/v1/budgeting/plans/", {"page_size": 100, "include": "round,area"}),
    ("/api/v1/initiatives/initiatives/", {"page_size": 100}),
    ("/api/v1/premises/busy-times/", {"page_size": 100}),
    ("/api/v1/feedback/feedback/", {"page_size": 100, "include": "service,district"}),
    ("/api/v1/feedback/events/", {"page_size": 100}),
    ("/api/v1/coaches/coaches/", {"page_size": 100}),
    ("/api/v1/coaches/events/", {"page_size": 100, "include": "place,district"}),
    ("/api/v1/volunteering/opportunities/", {"page_size": 100, "include": "themes"}),
    ("/api/v1/volunteering/shifts/", {"page_size": 100}),
    ("/api/v1/monitoring/figures/", {}),
]
# Monitoring's figures count the years not yet kept once per settled.LIVE_SECONDS.
COLD = ("/api/v1/monitoring/figures/", {})


def bench_lists(repeats):
    from django.test import Client

    client = Client()
    print(f"\nLists ({repeats} requests each; milliseconds):")
    print(f"{'request':<82} {'median':>7} {'p95':>7} {'queries':>7}")
    for path, query in LISTS:
        median, p95, queries = measure(client, path, query, repeats)
        shown = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
        print(f"{shown:<82} {median:7.1f} {p95:7.1f} {queries:7d}")
    path, query = COLD
    median, p95, queries = measure(client, path, query, repeats, cached=False)
    shown = f"{path}, the cache emptied before each"
    print(f"{shown:<82} {median:7.1f} {p95:7.1f} {queries:7d}")


def bench_export(label):
    """The export's time, then its peak of Python memory in a second run under
    tracemalloc, which traces every allocation and makes the run many times slower."""
    from osallistu.budgeting.models import Proposal
    from osallistu.opendata import export

    started = time.perf_counter()
    manifest = export.export_all()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    started = time.perf_counter()
    export.export_all()
    traced = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(entry["bytes"] for entry in manifest["files"])
    print(
        f"export, {label} ({Proposal.objects.count():,} proposals): {elapsed:.1f} s, "
        f"{len(manifest['files'])} files, {size / 2**20:.1f} MiB; again under tracemalloc "
        f"({traced:.0f} s): peak Python memory {peak / 2**20:.1f} MiB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--only",
        choices=["export", "lists", "big-export"],
        action="append",
        help="run only these parts (repeatable): the demo's export, the lists, the export "
        "at 100,000 objects; the data they need is built either way",
    )
    arguments = parser.parse_args()
    print(uptime())
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    url, created = benchdb.server_url(DATABASE)
    if created:
        benchdb.create_database(url, DATABASE)
    rng = random.Random(2026)
    try:
        with tempfile.TemporaryDirectory() as files:
            setup(url, files)
            parts = set(arguments.only or ["export", "lists", "big-export"])
            build_demo()
            if "export" in parts:
                bench_export("the demo")
            from osallistu.budgeting.models import Proposal

            if parts - {"export"} and Proposal.objects.count() < OBJECTS:
                add_proposals(OBJECTS - Proposal.objects.count(), rng)
            if "lists" in parts:
                bench_lists(arguments.repeats)
            if "big-export" in parts:
                bench_export("10× the demo's proposals and comments, and more")
    finally:
        if created and not arguments.keep_db:
            from django.db import connections

            connections.close_all()
            benchdb.drop_database(url, DATABASE)
    print(uptime())


if __name__ == "__main__":
    main()
