"""Benchmark the public feedback map's list, the Open311 requests.json and the staff
queue on PostgreSQL with 200,000 pieces of feedback.

Builds the demo's divisions and fourteen categories and 200,000 pieces of feedback over
two years in the seven districts (most public and closed, as in the demo), each with
its history, then times whole requests through Django's test client (middleware,
session, view, template or JSON, with the database; no network), with their number of
queries:

- the public map and list for a bounding box (``/fi/feedback/?bbox=…``, a page of 20),
  with and without a category or status filter (target: median under 100 ms);
- ``/open311/v2/requests.json`` with the specification's filters and ours (category,
  status, dates, ``updated_after``, ``bbox``, ``lat``/``long``/``radius``), a page of
  100, with and without ``extensions=true`` (target: median under 100 ms);
- the staff queue of a division member for the whole city
  (``/fi/feedback/staff/?…``, a page of 50) with filters (target: under 150 ms).

    .venv/bin/python bench/feedback.py                  # database osallistu_bench_feedback
    .venv/bin/python bench/feedback.py --keep-db        # keep it for another run
    DATABASE_URL=postgres://… .venv/bin/python bench/feedback.py

Without DATABASE_URL it uses the server that scripts/postgres.sh starts and creates
(and at the end drops) the database ``osallistu_bench_feedback``. An existing database
with the benchmark's data is reused as it is.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402

DATABASE = "osallistu_bench_feedback"
FEEDBACK = 200_000
DAYS = 730


def _point_in(rng, ring):
    from osallistu.core import geo

    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    south, north = min(p[1] for p in ring), max(p[1] for p in ring)
    while True:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if geo.point_in_ring(lon, lat, ring):
            return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def build(rng):
    """The categories, their staff and 200,000 pieces of feedback, unless built already."""
    from django.db import connection, transaction
    from django.utils import timezone

    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.areas.models import Area
    from osallistu.core import geo
    from osallistu.demo.divisions import build_divisions
    from osallistu.demo.feedback import build_categories, build_staff
    from osallistu.demo.feedback_city import CATEGORIES, DISTRICT_WEIGHTS, STREETS_BY_DISTRICT
    from osallistu.demo.people import build_people
    from osallistu.feedback.models import (
        EventKind,
        Feedback,
        FeedbackEvent,
        Moderation,
        Status,
    )

    if Feedback.objects.count() >= FEEDBACK:
        return
    load_helsinki_areas()
    build_people()  # the feedback handlers among the demo's staff
    with transaction.atomic():
        divisions = build_divisions()
        categories = build_categories(divisions)
        handlers = build_staff(divisions)
    districts = {area.slug: area for area in Area.objects.districts()}
    slugs = list(DISTRICT_WEIGHTS)
    weights = [DISTRICT_WEIGHTS[slug] for slug in slugs]
    rows = CATEGORIES
    row_weights = [row[4] for row in rows]
    now = timezone.now()
    start = now - datetime.timedelta(days=DAYS)
    made = 0
    while made < FEEDBACK:
        batch = []
        for _ in range(min(10_000, FEEDBACK - made)):
            code, _division, _names, _group, _weight, median_days, _winter, texts = rng.choices(
                rows, row_weights
            )[0]
            slug = rng.choices(slugs, weights)[0]
            requested = start + datetime.timedelta(seconds=rng.uniform(0, DAYS * 86400))
            latitude, longitude = _point_in(rng, geo.DISTRICT_OUTLINES[slug])
            title, text = rng.choice(texts)
            address = f"{rng.choice(STREETS_BY_DISTRICT[slug])} {rng.randint(1, 60)}"
            handling = datetime.timedelta(days=median_days * rng.lognormvariate(0, 0.7))
            closed = requested + handling
            public = rng.random() < 0.95 and requested < now - datetime.timedelta(days=1)
            is_closed = closed < now
            batch.append(
                Feedback(
                    service=categories[code],
                    title=title,
                    description=f"{text} Osoite: {address}.",
                    address=address,
                    latitude=latitude,
                    longitude=longitude,
                    district=districts[slug],
                    language="fi",
                    requested_at=requested,
                    updated_at=closed if is_closed else requested,
                    expected_at=requested + datetime.timedelta(days=median_days),
                    due_at=None if is_closed else requested + datetime.timedelta(days=7),
                    moderation=Moderation.PUBLIC if public else Moderation.UNMODERATED,
                    public_title=title if public else "",
                    public_description=text if public else "",
                    public_address=address if public else "",
                    moderated_at=requested if public else None,
                    status=Status.DONE if is_closed else Status.IN_HANDLING,
                    handler=handlers[0] if rng.random() < 0.5 else None,
                    closed_at=closed if is_closed else None,
                    handling_seconds=round(handling.total_seconds()) if is_closed else None,
                    answer="Kiitos palautteesta. Asia on korjattu." if is_closed else "",
                    answered_at=closed if is_closed else None,
                )
            )
        Feedback.objects.bulk_create(batch, batch_size=5000)
        FeedbackEvent.objects.bulk_create(
            [
                event
                for feedback in batch
                for event in (
                    FeedbackEvent(
                        feedback=feedback,
                        kind=EventKind.SUBMITTED,
                        status=Status.RECEIVED,
                        created_at=feedback.requested_at,
                    ),
                    FeedbackEvent(
                        feedback=feedback,
                        kind=EventKind.STATUS,
                        status=feedback.status,
                        note="Korjattu." if feedback.closed_at else "Työn alla.",
                        created_at=feedback.updated_at,
                    ),
                )
            ],
            batch_size=5000,
        )
        made += len(batch)
        print(f"  … {made} pieces of feedback", flush=True)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in use: statistics read, the visibility map set
        # (so that counts can read the indexes alone).
        cursor.execute("VACUUM ANALYZE feedback_feedback")
        cursor.execute("VACUUM ANALYZE feedback_feedbackevent")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _box(rng):
    """A map view: a district's box, a zoomed view of a kilometre or two, or the city."""
    from osallistu.core import geo

    kind = rng.random()
    if kind < 0.15:
        return None
    if kind < 0.45:
        ring = rng.choice(list(geo.DISTRICT_OUTLINES.values()))
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        return (min(lons), min(lats), max(lons), max(lats))
    lat, lon = rng.uniform(60.15, 60.28), rng.uniform(24.85, 25.15)
    half = rng.choice((0.005, 0.01, 0.02))
    return (lon - 2 * half, lat - half, lon + 2 * half, lat + half)


def _bbox_text(box):
    return ",".join(f"{value:.5f}" for value in box)


def public_queries(rng, runs):
    codes = ["171", "172", "174", "176", "180", "211", "320"]
    queries = []
    for _ in range(runs):
        query = {}
        box = _box(rng)
        if box:
            query["bbox"] = _bbox_text(box)
        if rng.random() < 0.3:
            query["service"] = rng.choice(codes)
        if rng.random() < 0.3:
            query["status"] = rng.choice(("open", "closed"))
        if rng.random() < 0.2:
            query["page"] = str(rng.randint(2, 5))
        queries.append(query)
    return queries


def api_queries(rng, runs, extensions):
    from django.utils import timezone

    now = timezone.now()
    codes = ["171", "172", "174", "176", "180", "211", "320"]
    queries = []
    for _ in range(runs):
        query = {"page_size": "100"}
        choice = rng.random()
        if choice < 0.3:
            query["bbox"] = _bbox_text(_box(rng) or (24.78, 60.10, 25.26, 60.30))
        elif choice < 0.5:
            query.update(
                lat=f"{rng.uniform(60.16, 60.26):.5f}",
                long=f"{rng.uniform(24.88, 25.10):.5f}",
                radius=str(rng.choice((250, 500, 1000, 2000))),
            )
        if rng.random() < 0.4:
            query["service_code"] = ",".join(rng.sample(codes, rng.randint(1, 3)))
        if rng.random() < 0.4:
            query["status"] = rng.choice(("open", "closed", "open,closed"))
        dates = rng.random()
        if dates < 0.4:
            end = now - datetime.timedelta(days=rng.randint(0, 600))
            query["start_date"] = (end - datetime.timedelta(days=rng.randint(7, 90))).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
            query["end_date"] = end.strftime("%Y-%m-%dT%H:%M:%SZ")
        elif dates < 0.6:
            query["updated_after"] = (now - datetime.timedelta(days=rng.randint(1, 60))).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
        if extensions:
            query["extensions"] = "true"
        queries.append(query)
    return queries


def queue_queries(rng, runs):
    codes = ["171", "172", "174", "176", "180", "211"]
    districts = ["southern", "western", "central", "northern", "eastern", "north-eastern"]
    queries = []
    for _ in range(runs):
        query = {}
        if rng.random() < 0.4:
            query["status"] = rng.choice(("open", "closed", "all", "in_handling"))
        if rng.random() < 0.3:
            query["moderation"] = rng.choice(("unmoderated", "public"))
        if rng.random() < 0.4:
            query["service"] = rng.choice(codes)
        if rng.random() < 0.4:
            query["district"] = rng.choice(districts)
        if rng.random() < 0.3:
            query["handler"] = rng.choice(("me", "none"))
        if rng.random() < 0.3:
            query["overdue"] = "on"
        if rng.random() < 0.2:
            query["page"] = str(rng.randint(2, 4))
        queries.append(query)
    return queries


def time_requests(client, path, queries, expect=200):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, counts = [], [], []
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, query)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert response.status_code == expect, (path, query, response.status_code)
        counts.append(len(captured))
    return timings, cpu, counts


def _ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def report(label, timings, cpu, counts):
    """Wall-clock time is what a person waits; the CPU time of this process (Django's
    part, the database's is in its own processes) moves less with the machine's load."""
    print(
        f"{label} ({len(timings)} requests): median {_ms(statistics.median(timings))}, "
        f"p95 {_ms(percentile(timings, 0.95))}, max {_ms(max(timings))}; "
        f"CPU median {_ms(statistics.median(cpu))}; queries {min(counts)}–{max(counts)}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    url, own_database = benchdb.server_url(DATABASE)
    if own_database:
        benchdb.create_database(url, DATABASE)
    try:
        benchdb.setup_django(url)
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from osallistu.feedback.models import Feedback
        from tests.factories import sign_in_past_second_factor

        setup_test_environment()  # the test client's "testserver" host is allowed
        print(
            f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        print(f"Load at start: {os.getloadavg()}")
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}")
        started = time.perf_counter()
        build(random.Random(2027))
        public = Feedback.objects.public().count()
        print(
            f"Data: {Feedback.objects.count()} pieces of feedback, {public} public "
            f"(built or found in {time.perf_counter() - started:.0f} s)"
        )

        visitor = Client()
        staff = Client()
        from osallistu.accounts.models import User

        sign_in_past_second_factor(staff, User.objects.get(email="palaute.kymp@osallistu.example"))
        runs = options.requests
        # Warm up connections, caches and templates.
        time_requests(visitor, "/fi/feedback/", public_queries(random.Random(1), 10))
        time_requests(visitor, "/open311/v2/requests.json", api_queries(random.Random(1), 10, True))
        time_requests(staff, "/fi/feedback/staff/", queue_queries(random.Random(1), 10))

        report(
            "Public map and list, a page of 20",
            *time_requests(visitor, "/fi/feedback/", public_queries(random.Random(7), runs)),
        )
        for extensions in (False, True):
            report(
                f"requests.json, a page of 100{', extensions=true' if extensions else ''}",
                *time_requests(
                    visitor,
                    "/open311/v2/requests.json",
                    api_queries(random.Random(11), runs, extensions),
                ),
            )
        report(
            "Staff queue of a whole-city handler, a page of 50",
            *time_requests(staff, "/fi/feedback/staff/", queue_queries(random.Random(13), runs)),
        )
        print(f"Load at end: {os.getloadavg()}")
    finally:
        from django.db import connections

        connections.close_all()
        if own_database and not options.keep_db:
            benchdb.drop_database(url, DATABASE)


if __name__ == "__main__":
    main()
