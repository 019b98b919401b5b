"""Benchmark the volunteering search on PostgreSQL.

Builds 20,000 published opportunities of 400 organisers over the seven districts and
200,000 shifts (three months back, three months ahead, places partly taken), then
prints the median and 95th percentile of varied searches (district or the whole city,
a date range or none, a theme, a language, under-18s, near a point, a later page):

- ``selectors.search`` alone, with its number of queries;
- the whole search page, ``GET /fi/volunteering/?…`` through Django's test client
  (form, search, template), with its number of queries.

Target: median under 100 ms with the same number of queries for every search.

    .venv/bin/python bench/volunteering.py              # database osallistu_bench_volunteering
    .venv/bin/python bench/volunteering.py --keep-db    # keep it for another run
    DATABASE_URL=postgres://… .venv/bin/python bench/volunteering.py

Without DATABASE_URL it uses the server that scripts/postgres.sh starts and creates
(and at the end drops) the database ``osallistu_bench_volunteering``. An existing
database with the benchmark's data is reused as it is.
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
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402

DATABASE = "osallistu_bench_volunteering"
ORGANISERS = 400
OPPORTUNITIES = 20_000
SHIFTS = 200_000


def build(rng):
    """The organisers, opportunities and shifts, unless the database has them already."""
    from django.db import connection, transaction
    from django.utils import timezone

    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.areas.models import Area
    from osallistu.core import geo
    from osallistu.volunteering.models import Language, Opportunity, Organiser, Shift, Theme

    if Shift.objects.count() >= SHIFTS:
        return
    load_helsinki_areas()
    districts = list(Area.objects.districts())
    themes = list(Theme.objects.all())
    languages = list(Language.objects.all())
    now = timezone.now()
    with transaction.atomic():
        organisers = Organiser.objects.bulk_create(
            Organiser(
                name=f"Bench organiser {n}",
                slug=f"bench-organiser-{n}",
                kind=Organiser.Kind.ASSOCIATION,
                district=districts[n % len(districts)],
                email=f"bench{n}@example.fi",
                status=Organiser.Status.VERIFIED,
            )
            for n in range(ORGANISERS)
        )
        opportunities = []
        for n in range(OPPORTUNITIES):
            district = districts[n % len(districts)]
            lon, lat = geo.centroid(geo.DISTRICT_OUTLINES[district.slug])
            youth = rng.random() < 0.4
            opportunities.append(
                Opportunity(
                    organiser=organisers[n % ORGANISERS],
                    title=f"Tehtävä {n}",
                    title_fi=f"Tehtävä {n}",
                    title_en=f"Task {n}",
                    description_fi="Kuvaus.",
                    district=district,
                    place_text="Paikka",
                    latitude=Decimal(f"{lat + rng.uniform(-0.01, 0.01):.6f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-0.02, 0.02):.6f}"),
                    kind=rng.choice(["one_off", "ongoing"]),
                    accessible=rng.random() < 0.5,
                    remote=rng.random() < 0.05,
                    under_18_allowed=youth,
                    youth_min_age=rng.randint(12, 16) if youth else None,
                    contact_name="Yhteys",
                    contact_email="yhteys@example.fi",
                    status=Opportunity.Status.PUBLISHED,
                    published_at=now,
                )
            )
        opportunities = Opportunity.objects.bulk_create(opportunities, batch_size=5000)
        Opportunity.themes.through.objects.bulk_create(
            (
                Opportunity.themes.through(opportunity=o, theme=theme)
                for o in opportunities
                for theme in rng.sample(themes, 2)
            ),
            batch_size=10000,
        )
        Opportunity.languages.through.objects.bulk_create(
            (
                Opportunity.languages.through(opportunity=o, language=language)
                for o in opportunities
                for language in [languages[0], *rng.sample(languages[1:], rng.randint(0, 2))]
            ),
            batch_size=10000,
        )
        batch = []
        for n in range(SHIFTS):
            begins = now + datetime.timedelta(minutes=rng.randint(-90 * 24 * 60, 90 * 24 * 60))
            capacity = rng.choice([4, 6, 8, 10, 12, 20])
            batch.append(
                Shift(
                    opportunity=opportunities[n % OPPORTUNITIES],
                    starts_at=begins,
                    ends_at=begins + datetime.timedelta(hours=3),
                    capacity=capacity,
                    taken=rng.randint(0, capacity),
                )
            )
            if len(batch) == 10000:
                Shift.objects.bulk_create(batch)
                batch = []
        Shift.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def searches(rng, count):
    """Varied searches as the search form would send them."""
    from osallistu.areas.models import Area
    from osallistu.volunteering.models import Language, Theme

    districts = list(Area.objects.districts().values_list("pk", flat=True))
    themes = list(Theme.objects.values_list("pk", flat=True))
    languages = list(Language.objects.values_list("pk", flat=True))
    today = datetime.date.today()
    made = []
    for _ in range(count):
        query = {}
        if rng.random() < 0.6:
            query["district"] = rng.choice(districts)
        if rng.random() < 0.5:
            first = today + datetime.timedelta(days=rng.randint(0, 60))
            query["date_from"] = first.isoformat()
            query["date_to"] = (first + datetime.timedelta(days=rng.randint(1, 28))).isoformat()
        if rng.random() < 0.3:
            query["theme"] = rng.choice(themes)
        if rng.random() < 0.2:
            query["language"] = rng.choice(languages)
        if rng.random() < 0.3:
            query["under_18"] = "on"
        if rng.random() < 0.2:
            query["latitude"] = f"{60.17 + rng.uniform(0, 0.08):.4f}"
            query["longitude"] = f"{24.90 + rng.uniform(0, 0.2):.4f}"
            query["radius"] = rng.choice([1, 2, 5])
        if rng.random() < 0.2:
            query["page"] = rng.randint(2, 5)
        made.append(query)
    return made


def time_selector(queries):
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from osallistu.volunteering import selectors
    from osallistu.volunteering.forms import SearchForm

    timings, counts, totals = [], [], []
    for query in queries:
        form = SearchForm(QueryDict(urlencode({k: v for k, v in query.items() if k != "page"})))
        assert form.is_valid(), form.errors
        arguments = form.search_arguments()
        offset = (int(query.get("page", 1)) - 1) * 20
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            found = selectors.search(now=timezone.now(), offset=offset, limit=20, **arguments)
            timings.append(time.perf_counter() - started)
        counts.append(len(captured))
        totals.append(found.total)
    return timings, counts, totals


def time_page(queries):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    timings, counts = [], []
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(f"/fi/volunteering/?{urlencode(query)}")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
        counts.append(len(captured))
    return timings, counts


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    url, own_database = benchdb.server_url(DATABASE)
    if own_database:
        benchdb.create_database(url, DATABASE)
    try:
        benchdb.setup_django(url)
        from django.conf import settings
        from django.db import connection

        from osallistu.volunteering.models import Opportunity, Shift

        settings.ALLOWED_HOSTS = ["testserver"]
        print(
            f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        print(f"Load at start: {os.getloadavg()}")
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}")
        started = time.perf_counter()
        build(random.Random(2031))
        print(
            f"Data: {Opportunity.objects.count()} opportunities, {Shift.objects.count()} shifts "
            f"(built or found in {time.perf_counter() - started:.0f} s)"
        )
        time_selector(searches(random.Random(1), 10))  # warm up
        queries = searches(random.Random(7), options.searches)
        timings, counts, totals = time_selector(queries)
        print(
            f"selectors.search ({len(queries)} searches): "
            f"median {_ms(statistics.median(timings))}, "
            f"p95 {_ms(percentile(timings, 0.95))}, max {_ms(max(timings))}; "
            f"queries {min(counts)}–{max(counts)}; opportunities found: median "
            f"{statistics.median(totals):.0f}, max {max(totals)}"
        )
        timings, counts = time_page(queries)
        print(
            f"Search page GET /fi/volunteering/?… ({len(queries)}): median "
            f"{_ms(statistics.median(timings))}, p95 {_ms(percentile(timings, 0.95))}, "
            f"max {_ms(max(timings))}; queries {min(counts)}–{max(counts)}"
        )
        print(f"Load at end: {os.getloadavg()}")
    finally:
        from django.db import connections

        connections.close_all()
        if own_database and not options.keep_db:
            benchdb.drop_database(url, DATABASE)


if __name__ == "__main__":
    main()
