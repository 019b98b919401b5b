"""Benchmark the premises availability search and booking on PostgreSQL.

Builds 500 spaces (in 170 units over the seven districts) and a year of bookings,
about 200,000 (half a year back, half a year ahead), then prints the median and 95th
percentile of:

- ``selectors.search_availability`` for varied searches (a day in the next two
  months, district or the whole city, people, equipment, an evening or the whole
  day, one or two hours), with its number of queries (target: median under 200 ms);
- ``services.create_booking`` of free and taken slots (each attempt is one
  transaction with its locks, checks, insert, audit entry and queued e-mail).

    .venv/bin/python bench/premises.py                  # database osallistu_bench_premises
    .venv/bin/python bench/premises.py --keep-db        # keep it for another run
    DATABASE_URL=postgres://… .venv/bin/python bench/premises.py

Without DATABASE_URL it uses the server that scripts/postgres.sh starts and creates
(and at the end drops) the database ``osallistu_bench_premises``. An existing
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402

DATABASE = "osallistu_bench_premises"
SPACES = 500
UNITS = 170
PEOPLE = 3000


def build(rng):
    """500 spaces and a year of bookings, unless the database has them already."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from osallistu.accounts.models import User
    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.areas.models import Area
    from osallistu.demo.premises import EQUIPMENT, HOURS, KINDS, PURPOSES
    from osallistu.premises.models import (
        Booking,
        BookingState,
        Equipment,
        OpeningHours,
        Purpose,
        Space,
        Unit,
        UnitType,
    )
    from osallistu.premises.selectors import local_datetime

    if Space.objects.filter(slug__startswith="bench-").count() >= SPACES:
        return
    load_helsinki_areas()
    with transaction.atomic():
        purposes = {
            slug: Purpose.objects.update_or_create(
                slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
            )[0]
            for slug, fi, sv, en in PURPOSES
        }
        equipment = {
            slug: Equipment.objects.update_or_create(
                slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
            )[0]
            for slug, fi, sv, en in EQUIPMENT
        }
        districts = list(Area.objects.districts())
        password = make_password(None)
        User.objects.bulk_create(
            User(email=f"bench{n:05d}@example.fi", password=password, full_name=f"Bench {n}")
            for n in range(PEOPLE)
        )
        kinds_by_type = {
            UnitType.LIBRARY: ["meeting", "group", "hall"],
            UnitType.YOUTH_CENTRE: ["studio", "youth_hall", "kitchen"],
            UnitType.SCHOOL: ["gym", "classroom", "auditorium"],
            UnitType.RESIDENTS_HOUSE: ["club_room", "kitchen", "meeting"],
        }
        types = list(kinds_by_type)
        spaces = []
        for number in range(UNITS):
            unit_type = types[number % len(types)]
            unit = Unit.objects.create(
                slug=f"bench-unit-{number}",
                type=unit_type,
                district=districts[number % len(districts)],
                postal_code="00100",
                street_address_fi=f"Testikatu {number}",
                name_fi=f"Toimipiste {number}",
                name_sv=f"Enhet {number}",
                name_en=f"Unit {number}",
                accessible_entrance=rng.random() < 0.8,
                accessible_toilet=rng.random() < 0.7,
            )
            for kind_key in kinds_by_type[unit_type]:
                if len(spaces) >= SPACES:
                    break
                kind = KINDS[kind_key]
                space = Space.objects.create(
                    unit=unit,
                    slug=f"bench-{len(spaces)}",
                    name_fi=f"{kind.names[0]} {len(spaces)}",
                    name_sv=f"{kind.names[1]} {len(spaces)}",
                    name_en=f"{kind.names[2]} {len(spaces)}",
                    capacity=kind.capacity,
                    step_free_access=rng.random() < 0.8,
                    induction_loop=kind.induction_loop,
                    min_minutes=kind.min_minutes,
                    max_minutes=kind.max_minutes,
                    slot_minutes=kind.slot_minutes,
                    buffer_after_minutes=kind.buffer_after,
                    max_days_ahead=365,
                    max_active_bookings=0,
                    price_kind=kind.price_kind,
                    price=kind.price,
                    free_for_associations=kind.free_for_associations,
                    confirmation="instant",
                    authentication="signed_in",
                )
                space.purposes.set([purposes[key] for key in kind.purposes])
                space.equipment.set([equipment[key] for key in kind.equipment])
                OpeningHours.objects.bulk_create(
                    OpeningHours(
                        space=space,
                        weekday=weekday,
                        opens=datetime.time(opens),
                        closes=datetime.time(closes),
                    )
                    for weekdays, opens, closes in HOURS[unit_type]
                    for weekday in weekdays
                )
                spaces.append((space, kind, HOURS[unit_type]))

    people = list(User.objects.filter(email__startswith="bench").values_list("pk", flat=True))
    purpose_ids = {slug: purpose.pk for slug, purpose in purposes.items()}
    today = datetime.date.today()
    first = today - datetime.timedelta(days=182)
    batch = []
    total = 0
    for offset in range(365):
        day = first + datetime.timedelta(days=offset)
        for space, kind, hours in spaces:
            for weekdays, opens, closes in hours:
                if day.weekday() not in weekdays:
                    continue
                # Fill the day from its opening with bookings and gaps.
                moment = opens * 60 + rng.choice((0, 60, 120))
                while True:
                    length = rng.randrange(
                        kind.min_minutes, kind.max_minutes + 1, kind.slot_minutes
                    )
                    if moment + length > closes * 60 or rng.random() < 0.2:
                        break
                    begins_at = local_datetime(day, datetime.time()) + datetime.timedelta(
                        minutes=moment
                    )
                    ends_at = begins_at + datetime.timedelta(minutes=length)
                    batch.append(
                        Booking(
                            space=space,
                            booker_id=rng.choice(people),
                            purpose_id=purpose_ids[rng.choice(kind.purposes)],
                            attendees=rng.randint(1, kind.capacity),
                            begins_at=begins_at,
                            ends_at=ends_at,
                            occupied_from=begins_at,
                            occupied_until=ends_at + datetime.timedelta(minutes=kind.buffer_after),
                            state=BookingState.CANCELLED
                            if rng.random() < 0.05
                            else BookingState.CONFIRMED,
                        )
                    )
                    gap = rng.choice((0, 0, 60, 120, 180)) + kind.buffer_after
                    gap = -(-gap // kind.slot_minutes) * kind.slot_minutes
                    moment += length + gap
        if len(batch) >= 20_000:
            Booking.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
            print(f"  … {total} bookings", flush=True)
    Booking.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_searches(rng, runs, limit=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from osallistu.areas.models import Area
    from osallistu.premises.models import Equipment
    from osallistu.premises.selectors import ACCESSIBILITY_FILTERS, search_availability

    districts = list(Area.objects.districts())
    equipment = list(Equipment.objects.all())
    today = datetime.date.today()
    timings, queries, found = [], [], []
    for _ in range(runs):
        evening = rng.random() < 0.6
        arguments = {
            "day": today + datetime.timedelta(days=rng.randint(1, 60)),
            "district": rng.choice(districts) if rng.random() < 0.7 else None,
            "people": rng.choice((None, 5, 10, 20)),
            "equipment": rng.sample(equipment, rng.choice((0, 0, 1, 2))),
            "time_from": datetime.time(17) if evening else None,
            "time_until": datetime.time(21) if evening else None,
            "duration_minutes": rng.choice((None, 60, 120)),
            "accessibility": rng.sample(sorted(ACCESSIBILITY_FILTERS), rng.choice((0, 0, 1))),
            "limit": limit,
        }
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = search_availability(**arguments)
            timings.append(time.perf_counter() - started)
        queries.append(len(captured))
        found.append(result.total)
    return timings, queries, found


def time_bookings(rng, runs):
    from osallistu.accounts.models import User
    from osallistu.premises import services
    from osallistu.premises.models import Space
    from osallistu.premises.selectors import local_datetime

    spaces = list(Space.objects.filter(slug__startswith="bench-").select_related("unit"))
    people = list(User.objects.filter(email__startswith="bench")[:500])
    today = datetime.date.today()
    timings = {"booked": [], "refused": []}
    codes = {}
    for _ in range(runs):
        space = rng.choice(spaces)
        day = today + datetime.timedelta(days=rng.randint(1, 90))
        hour = rng.choice((9, 10, 12, 14, 17, 18, 19))
        begins_at = local_datetime(day, datetime.time(hour))
        ends_at = begins_at + datetime.timedelta(minutes=space.min_minutes)
        started = time.perf_counter()
        try:
            services.create_booking(
                space=space,
                booker=rng.choice(people),
                begins_at=begins_at,
                ends_at=ends_at,
                attendees=1,
            )
        except services.BookingError as error:
            timings["refused"].append(time.perf_counter() - started)
            codes[error.code] = codes.get(error.code, 0) + 1
        else:
            timings["booked"].append(time.perf_counter() - started)
    return timings, codes


def _ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    url, own_database = benchdb.server_url(DATABASE)
    if own_database:
        benchdb.create_database(url, DATABASE)
    try:
        benchdb.setup_django(url)
        from django.db import connection

        from osallistu.premises.models import Booking, Space

        print(
            f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        print(f"Load at start: {os.getloadavg()}")
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}")
        rng = random.Random(2031)
        started = time.perf_counter()
        build(rng)
        print(
            f"Data: {Space.objects.count()} spaces, {Booking.objects.count()} bookings "
            f"(built or found in {time.perf_counter() - started:.0f} s)"
        )

        time_searches(random.Random(1), 10)  # warm up connections and caches
        for label, limit in (("a page of 20", 20), ("every space", None)):
            timings, queries, found = time_searches(random.Random(7), options.searches, limit)
            print(
                f"Availability search, {label} ({options.searches} searches): "
                f"median {_ms(statistics.median(timings))}, "
                f"p95 {_ms(percentile(timings, 0.95))}, max {_ms(max(timings))}; "
                f"queries {min(queries)}–{max(queries)}; "
                f"spaces with free slots: median {statistics.median(found):.0f}, "
                f"max {max(found)}"
            )

        timings, codes = time_bookings(random.Random(11), options.bookings)
        for outcome, values in timings.items():
            if values:
                print(
                    f"Booking creation, {outcome} ({len(values)}): median "
                    f"{_ms(statistics.median(values))}, p95 {_ms(percentile(values, 0.95))}"
                )
        everything = timings["booked"] + timings["refused"]
        print(
            f"Booking creation, all ({len(everything)}): median "
            f"{_ms(statistics.median(everything))}, p95 {_ms(percentile(everything, 0.95))}; "
            f"refusals by code: {dict(sorted(codes.items()))}"
        )
        print(f"Load at end: {os.getloadavg()}")
    finally:
        from django.db import connections

        connections.close_all()
        if own_database and not options.keep_db:
            benchdb.drop_database(url, DATABASE)


if __name__ == "__main__":
    main()
