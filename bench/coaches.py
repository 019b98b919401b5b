"""Benchmark the coaches' slots and the district page on PostgreSQL.

Builds seven city coaches and three business coaches (each business coach covers two or
three districts) with weekly office hours on every weekday, 50,000 past appointments
(about two years of them) and about 40 % of the coming eight weeks booked, then prints
the median and 95th percentile of:

- ``selectors.slots.free_slots`` for all ten coaches, eight weeks ahead;
- the district page, ``GET /fi/districts/<district>/`` through Django's test client
  (every middleware, the district's coaches and their free slots for eight weeks
  computed and rendered, its events and the other apps' sections), for each of the
  seven districts in turn, with its number of queries and of slots on the page
  (target: median under 100 ms).

    .venv/bin/python bench/coaches.py                  # database osallistu_bench_coaches
    .venv/bin/python bench/coaches.py --keep-db        # keep it for another run
    DATABASE_URL=postgres://… .venv/bin/python bench/coaches.py

Without DATABASE_URL it uses the server that scripts/postgres.sh starts and creates
(and at the end drops) the database ``osallistu_bench_coaches``. An existing database
with the benchmark's data is reused as it is. Settings are the development defaults
(DEBUG on), as for the other benchmarks here.
"""

import argparse
import datetime
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402

DATABASE = "osallistu_bench_coaches"
PAST_APPOINTMENTS = 50_000
BOOKED_AHEAD = 0.4


# email name, kind, districts
COACHES = [
    ("bench.luotsi.1", "city", ["southern"]),
    ("bench.luotsi.2", "city", ["western"]),
    ("bench.luotsi.3", "city", ["central"]),
    ("bench.luotsi.4", "city", ["northern"]),
    ("bench.luotsi.5", "city", ["north-eastern"]),
    ("bench.luotsi.6", "city", ["south-eastern"]),
    ("bench.luotsi.7", "city", ["eastern"]),
    ("bench.yritys.1", "business", ["southern", "western", "central"]),
    ("bench.yritys.2", "business", ["northern", "north-eastern"]),
    ("bench.yritys.3", "business", ["south-eastern", "eastern"]),
]


def build(rng):
    """The coaches, their hours and appointments, unless the database has them already."""
    from django.db import connection, transaction
    from django.utils import timezone

    from osallistu.accounts.models import StaffRole, User
    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.areas.models import Area
    from osallistu.coaches.models import (
        Appointment,
        AppointmentState,
        CoachProfile,
        OfficeHours,
        Place,
        Topic,
    )
    from osallistu.coaches.selectors.slots import all_slots, local_datetime

    if Appointment.objects.count() >= PAST_APPOINTMENTS:
        return
    load_helsinki_areas()
    areas = {area.slug: area for area in Area.objects.all()}
    today = timezone.localdate()
    with transaction.atomic():
        topics = {
            kind: Topic.objects.update_or_create(
                slug=f"bench-{kind}",
                defaults={"audience": kind, "name_fi": kind, "name_sv": kind, "name_en": kind},
            )[0]
            for kind in ("city", "business")
        }
        places = {
            slug: Place.objects.update_or_create(
                name_fi=f"Bench {slug}",
                defaults={
                    "kind": "library",
                    "name_sv": f"Bench {slug}",
                    "name_en": f"Bench {slug}",
                    "street_address_fi": "Katu 1",
                    "postal_code": "00100",
                    "district": area,
                },
            )[0]
            for slug, area in areas.items()
            if area.kind == Area.Kind.DISTRICT
        }
        profiles = []
        for email, kind, districts in COACHES:
            user, _ = User.objects.update_or_create(
                email=f"{email}@example.fi",
                defaults={"full_name": email.replace(".", " ").title(), "is_staff": True},
            )
            role = StaffRole.Role.CITY_COACH if kind == "city" else StaffRole.Role.BUSINESS_COACH
            for slug in districts:
                StaffRole.objects.get_or_create(user=user, role=role, area=areas[slug])
            profile, _ = CoachProfile.objects.update_or_create(
                user=user,
                defaults={"kind": kind, "slug": email.replace(".", "-"), "languages": ["fi", "en"]},
            )
            profiles.append((profile, districts))
            OfficeHours.objects.filter(coach=user).delete()
            for weekday in range(5):
                OfficeHours.objects.create(
                    coach=user,
                    weekday=weekday,
                    begins=datetime.time(9),
                    ends=datetime.time(13) if weekday % 2 else datetime.time(16),
                    slot_minutes=30 if kind == "city" else 45,
                    place=places[districts[weekday % len(districts)]],
                    valid_from=today - datetime.timedelta(days=1000),
                )
    # Past appointments: weekdays back from yesterday, 9.00–15.30, most of them held.
    rows = []
    per_coach = PAST_APPOINTMENTS // len(profiles)
    for profile, districts in profiles:
        day, made = today - datetime.timedelta(days=1), 0
        while made < per_coach:
            if day.weekday() < 5:
                for minutes in range(9 * 60, 16 * 60, 30):
                    if made >= per_coach or rng.random() < 0.3:
                        continue
                    begins = local_datetime(day, datetime.time(minutes // 60, minutes % 60))
                    rows.append(
                        _appointment(
                            Appointment,
                            profile,
                            areas[rng.choice(districts)],
                            begins,
                            begins + datetime.timedelta(minutes=30),
                            places[districts[0]],
                            topics[profile.kind],
                            rng.choices(
                                [AppointmentState.HELD, AppointmentState.CANCELLED, "no_show"],
                                weights=[88, 9, 3],
                            )[0],
                            made,
                        )
                    )
                    made += 1
            day -= datetime.timedelta(days=1)
    # The coming eight weeks: about 40 % of the slots booked.
    upcoming = all_slots(
        [p.user_id for p, _ in profiles], today, today + datetime.timedelta(days=56)
    )
    for profile, districts in profiles:
        for number, slot in enumerate(upcoming[profile.user_id]):
            if rng.random() < BOOKED_AHEAD:
                rows.append(
                    _appointment(
                        Appointment,
                        profile,
                        areas[rng.choice(districts)],
                        slot.begins_at,
                        slot.ends_at,
                        slot.place,
                        topics[profile.kind],
                        AppointmentState.CONFIRMED,
                        number,
                    )
                )
    Appointment.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _appointment(model, profile, district, begins, ends, place, topic, state, number):
    return model(
        coach_id=profile.user_id,
        coach_kind=profile.kind,
        district=district,
        begins_at=begins,
        ends_at=ends,
        place=place,
        name=f"Asukas {number}",
        email=f"asukas{number}@example.fi",
        meeting_language="fi",
        topic=topic,
        state=state,
    )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def time_free_slots(runs):
    from osallistu.coaches.models import CoachProfile
    from osallistu.coaches.selectors.slots import free_slots

    timings, cpu, counts = [], [], []
    for _ in range(runs):
        started, processor = time.perf_counter(), time.process_time()
        profiles = list(CoachProfile.objects.filter(slug__startswith="bench-"))
        found = free_slots(profiles)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - processor)
        counts.append(sum(len(slots) for slots in found.values()))
    return timings, cpu, counts


def time_district_pages(runs):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from osallistu.areas.models import Area

    client = Client()
    districts = list(Area.objects.districts().values_list("slug", flat=True))
    timings, cpu, queries, slots = [], [], [], []
    for index in range(runs):
        slug = districts[index % len(districts)]
        with CaptureQueriesContext(connection) as captured:
            started, processor = time.perf_counter(), time.process_time()
            response = client.get(f"/fi/districts/{slug}/")
            body = response.content
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - processor)
        assert response.status_code == 200, response.status_code
        queries.append(len(captured))
        slots.append(len(re.findall(rb"\?at=\d{8}T\d{6}Z", body)))
    return timings, cpu, queries, slots


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=210)
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    url, own_database = benchdb.server_url(DATABASE)
    if own_database:
        benchdb.create_database(url, DATABASE)
    try:
        benchdb.setup_django(url)
        from django.db import connection

        from osallistu.coaches.models import Appointment

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
            f"Data: 10 coaches, {Appointment.objects.count()} appointments "
            f"(built or found in {time.perf_counter() - started:.0f} s)"
        )
        time_free_slots(5)
        time_district_pages(14)  # warm up connections, templates and caches
        timings, cpu, counts = time_free_slots(options.runs)
        print(
            f"Free slots of all 10 coaches, 8 weeks ({options.runs} runs): "
            f"median {_ms(statistics.median(timings))}, p95 {_ms(percentile(timings, 0.95))}; "
            f"CPU of this process median {_ms(statistics.median(cpu))}; "
            f"{statistics.median(counts):.0f} free slots"
        )
        timings, cpu, queries, slots = time_district_pages(options.runs)
        print(
            f"District page GET /fi/districts/<district>/ ({options.runs} requests over the 7 "
            f"districts): median {_ms(statistics.median(timings))}, "
            f"p95 {_ms(percentile(timings, 0.95))}, max {_ms(max(timings))}; "
            f"CPU of this process median {_ms(statistics.median(cpu))}; "
            f"queries {min(queries)}–{max(queries)}; slots on a page {min(slots)}–{max(slots)}"
        )
        print(f"Load at end: {os.getloadavg()}")
    finally:
        from django.db import connections

        connections.close_all()
        if own_database and not options.keep_db:
            benchdb.drop_database(url, DATABASE)


if __name__ == "__main__":
    main()
