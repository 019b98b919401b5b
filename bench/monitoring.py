"""Benchmark monitoring's figures, pages and a committee report on PostgreSQL.

Builds one million participation records (four budgeting rounds of 250,000 voters,
2023–2026, with the district, age group and channel each kept), 200,000 confirmed
premises bookings, and a city's yearly volume of the other parts for each of those
years: 60,000 pieces of feedback, 5,000 contact requests to coaches, 3,000 meetings
and 300 events, 2,000 volunteering shifts with 15,000 confirmed places; the
population of those years. It keeps the figures of the settled years as the nightly
job does (``services.store_settled_years``: 2023–2025 on a day in December 2026) and
prints:

- how long keeping them took;
- ``selectors.dashboard`` (every indicator: the figures of the public dashboard) for
  the whole city and for a district, its median, 95th percentile and number of queries
  (target: under 500 ms, a constant number of queries): the settled years kept and the
  years since counted (the shared cache emptied before each run: the first request in
  ``settled.LIVE_SECONDS``), the same with those rows from the cache (the requests
  after it), and every year counted (no store);
- the public pages as a browser gets them, after one request untimed: the monitoring
  front page (also with the cache emptied before each run), an indicator's page and
  the CSV download (median, p95, queries);
- ``reports.make_report``: a committee report's figures and its PDF (target: under 10 s).

    .venv/bin/python bench/monitoring.py                # database osallistu_bench_monitoring
    .venv/bin/python bench/monitoring.py --keep-db      # keep it for another run
    DATABASE_URL=postgres://… .venv/bin/python bench/monitoring.py

Without DATABASE_URL it uses the server that scripts/postgres.sh starts and creates
(and at the end drops) the database ``osallistu_bench_monitoring``. It prints the
machine's uptime and load first: the figures mean little on a busy machine.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchdb  # noqa: E402

DATABASE = "osallistu_bench_monitoring"
VOTERS = 250_000
YEARS = (2023, 2024, 2025, 2026)
BOOKINGS = 200_000
SPACES = 200
GROUPS = ("0-17", "18-29", "30-49", "50-64", "65-", "")
BATCH = 20_000
FEEDBACK = 60_000
CONTACT_REQUESTS = 5_000
MEETINGS = 3_000
EVENTS = 300
COACHES = 20
SHIFTS = 2_000
PLACES_TAKEN = 15_000


def _aware(year, day_of_year, seconds):
    from django.utils import timezone

    moment = datetime.datetime(year, 1, 1) + datetime.timedelta(days=day_of_year, seconds=seconds)
    return timezone.make_aware(moment)


def build(rng):
    """The participation, bookings and population, unless the database has them."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from osallistu.accounts.models import User
    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.areas.models import Area
    from osallistu.areas.services import import_population
    from osallistu.budgeting.models import Channel, Participation, Round
    from osallistu.demo.monitoring import population_table
    from osallistu.premises.models import Booking, BookingState, Space, Unit, UnitType

    if Participation.objects.count() >= VOTERS * len(YEARS):
        return
    load_helsinki_areas()
    import_population(data=population_table(YEARS), source="bench", approximate=True)
    districts = [area.pk for area in Area.objects.districts()]
    password = make_password(None)
    with transaction.atomic():
        for start in range(0, VOTERS, BATCH):
            User.objects.bulk_create(
                User(email=f"bench{n:06d}@example.fi", password=password)
                for n in range(start, min(start + BATCH, VOTERS))
            )
    people = list(User.objects.filter(email__startswith="bench").values_list("pk", flat=True))
    staff = User.objects.create(email="bench-staff@example.fi", is_staff=True)
    for year in YEARS:
        round = Round.objects.create(
            slug=f"bench-{year}",
            name=f"Bench {year}",
            voting_starts_at=_aware(year, 280, 0),
            voting_ends_at=_aware(year, 294, 0),
        )
        with transaction.atomic():
            for start in range(0, VOTERS, BATCH):
                rows = []
                for voter in people[start : start + BATCH]:
                    channel = rng.choices(
                        (Channel.ONLINE, Channel.ASSISTED, Channel.PAPER), (90, 7, 3)
                    )[0]
                    rows.append(
                        Participation(
                            round=round,
                            voter_id=voter,
                            channel=channel,
                            recorded_by=None if channel == Channel.ONLINE else staff,
                            home_district_id=(
                                rng.choice(districts) if rng.random() > 0.02 else None
                            ),
                            age_group=rng.choice(GROUPS),
                            voted_at=_aware(year, 280 + rng.randrange(14), rng.randrange(86400)),
                        )
                    )
                Participation.objects.bulk_create(rows)
        print(f"  round {year}: {VOTERS} participations", flush=True)
    central = Area.objects.get(slug="central")
    with transaction.atomic():
        spaces = []
        for number in range(SPACES):
            unit = Unit.objects.create(
                slug=f"bench-unit-{number}",
                type=UnitType.LIBRARY,
                district=central,
                name=f"Bench {number}",
                street_address="Bench 1",
                postal_code="00100",
            )
            spaces.append(
                Space.objects.create(
                    unit=unit, slug=f"bench-space-{number}", name=f"Room {number}", capacity=10
                )
            )
        per_space = BOOKINGS // SPACES
        for space in spaces:
            rows = []
            for slot in range(per_space):
                # One two-hour booking a day: none overlaps another of the space.
                begins = _aware(YEARS[0] + slot // 365 % len(YEARS), slot % 365, 10 * 3600)
                ends = begins + datetime.timedelta(hours=2)
                booker = rng.choice(people)
                rows.append(
                    Booking(
                        space=space,
                        booker_id=booker,
                        begins_at=begins,
                        ends_at=ends,
                        occupied_from=begins,
                        occupied_until=ends,
                        state=BookingState.CONFIRMED,
                        association="Seura" if rng.random() < 0.3 else "",
                        booker_district_id=rng.choice(districts),
                        booker_age_group=rng.choice(GROUPS),
                    )
                )
            Booking.objects.bulk_create(rows)
    build_feedback(rng, people, districts)
    build_coaches(rng, people, districts)
    build_volunteering(rng, people, districts)
    # What autovacuum does to tables that grew this much: statistics, and the visibility
    # map that lets the voters be counted from their index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def build_feedback(rng, people, districts):
    """A year's feedback in each year: two thirds from the form, a third from
    applications; most answered, some within the week."""
    from django.db import transaction

    from osallistu.accounts.models import Division
    from osallistu.feedback.models import ApiKey, Feedback, ServiceCategory, Status

    divisions = [
        Division.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Toimiala {n}"})[0]
        for n in range(4)
    ]
    services = [
        ServiceCategory.objects.create(
            code=f"b{n}", name=f"Palvelu {n}", division=divisions[n % len(divisions)]
        )
        for n in range(12)
    ]
    application = ApiKey.objects.create(name="Bench", prefix="bench", digest="b" * 64)
    for year in YEARS:
        with transaction.atomic():
            for start in range(0, FEEDBACK, BATCH):
                rows = []
                for _n in range(start, min(start + BATCH, FEEDBACK)):
                    sent = _aware(year, rng.randrange(365), rng.randrange(86400))
                    answered = sent + datetime.timedelta(hours=rng.expovariate(1 / 150))
                    done = rng.random() < 0.8
                    rows.append(
                        Feedback(
                            service=rng.choice(services),
                            description="Penkki on rikki puistossa.",
                            address="Bench 1",
                            district_id=rng.choice(districts) if rng.random() > 0.1 else None,
                            author_id=rng.choice(people) if rng.random() < 0.5 else None,
                            api_key=application if rng.random() < 0.3 else None,
                            requested_at=sent,
                            updated_at=answered if done else sent,
                            answered_at=answered if done else None,
                            closed_at=answered if done else None,
                            status=Status.DONE if done else Status.RECEIVED,
                            handling_seconds=(
                                int((answered - sent).total_seconds()) if done else None
                            ),
                        )
                    )
                Feedback.objects.bulk_create(rows)
        print(f"  feedback {year}: {FEEDBACK}", flush=True)


def build_coaches(rng, people, districts):
    """Coaches of the districts with a year's contact requests, meetings and events."""
    from django.db import transaction

    from osallistu.accounts.models import StaffRole, User
    from osallistu.coaches.models import (
        Appointment,
        AppointmentState,
        CoachKind,
        ContactRequest,
        Event,
        Place,
        PlaceKind,
        Topic,
    )

    topic = Topic.objects.get_or_create(
        slug="bench", defaults={"audience": CoachKind.CITY, "name": "Bench"}
    )[0]
    coaches = []
    for number in range(COACHES):
        coach = User.objects.create(
            email=f"bench-coach{number}@example.fi", full_name=f"Luotsi {number}", is_staff=True
        )
        StaffRole.objects.create(
            user=coach, role=StaffRole.Role.CITY_COACH, area_id=districts[number % len(districts)]
        )
        coaches.append((coach, districts[number % len(districts)]))
    place = Place.objects.create(
        name="Bench",
        kind=PlaceKind.LIBRARY,
        street_address="Bench 1",
        postal_code="00100",
        district_id=districts[0],
    )
    for year in YEARS:
        with transaction.atomic():
            requests = []
            for _n in range(CONTACT_REQUESTS):
                coach, district = rng.choice(coaches)
                sent = _aware(year, rng.randrange(365), rng.randrange(86400))
                requests.append(
                    ContactRequest(
                        kind=CoachKind.CITY,
                        district_id=district,
                        assigned_to=coach,
                        asker_id=rng.choice(people),
                        topic=topic,
                        question="?",
                        created_at=sent,
                        updated_at=sent,
                    )
                )
            ContactRequest.objects.bulk_create(requests)
            meetings = []
            for number in range(MEETINGS):
                # Each coach's meetings one after another: none overlaps another.
                coach, district = coaches[number % COACHES]
                slot = number // COACHES
                begins = _aware(year, slot * 2 % 360, 9 * 3600 + slot % 2 * 3600)
                meetings.append(
                    Appointment(
                        coach=coach,
                        coach_kind=CoachKind.CITY,
                        district_id=district,
                        begins_at=begins,
                        ends_at=begins + datetime.timedelta(minutes=30),
                        place=place,
                        name="A",
                        email="a@example.fi",
                        meeting_language="fi",
                        topic=topic,
                        state=AppointmentState.HELD,
                    )
                )
            Appointment.objects.bulk_create(meetings)
            events = []
            for _n in range(EVENTS):
                coach, district = rng.choice(coaches)
                begins = _aware(year, rng.randrange(365), 17 * 3600)
                events.append(
                    Event(
                        kind="workshop",
                        title="Työpaja",
                        district_id=district,
                        organiser=coach,
                        begins_at=begins,
                        ends_at=begins + datetime.timedelta(hours=2),
                        place=place,
                        participants=rng.randrange(5, 80),
                        published_at=begins - datetime.timedelta(days=30),
                    )
                )
            Event.objects.bulk_create(events)
        print(f"  coaches {year}: {CONTACT_REQUESTS} requests, {MEETINGS} meetings", flush=True)


def build_volunteering(rng, people, districts):
    """Opportunities in every district with a year's shifts and confirmed places."""
    from django.db import transaction

    from osallistu.volunteering.models import Opportunity, Organiser, Shift, SignUp, Theme

    themes = list(Theme.objects.all()) or [Theme.objects.create(slug="bench", name="Bench")]
    organiser = Organiser.objects.create(
        name="Bench ry",
        slug="bench",
        kind=Organiser.Kind.ASSOCIATION,
        district_id=districts[0],
        email="bench@example.fi",
        status=Organiser.Status.VERIFIED,
    )
    opportunities = []
    for number in range(50):
        opportunity = Opportunity.objects.create(
            organiser=organiser,
            title=f"Tehtävä {number}",
            description="Bench",
            district_id=districts[number % len(districts)] if number % 10 else None,
            place_text="Bench",
            kind=Opportunity.Kind.ONE_OFF,
            contact_name="Bench",
            contact_email="bench@example.fi",
            status=Opportunity.Status.PUBLISHED,
        )
        opportunity.themes.set(rng.sample(themes, min(2, len(themes))))
        opportunities.append(opportunity)
    for year in YEARS:
        with transaction.atomic():
            shifts = Shift.objects.bulk_create(
                Shift(
                    opportunity=rng.choice(opportunities),
                    starts_at=(begins := _aware(year, rng.randrange(365), 10 * 3600)),
                    ends_at=begins + datetime.timedelta(hours=3),
                    capacity=10,
                )
                for _n in range(SHIFTS)
            )
            places = []
            for number in range(PLACES_TAKEN):
                shift = shifts[number % SHIFTS]
                age = rng.randrange(13, 85)
                places.append(
                    SignUp(
                        shift=shift,
                        volunteer_id=people[number],
                        name="V",
                        age=age,
                        status=SignUp.Status.CONFIRMED,
                        created_at=shift.starts_at - datetime.timedelta(days=7),
                        guardian_email="huoltaja@example.fi" if age < 18 else "",
                        guardian_confirmed_at=shift.starts_at if age < 18 else None,
                        attendance=SignUp.Attendance.ATTENDED,
                        hours=3,
                    )
                )
            SignUp.objects.bulk_create(places)
            for index, shift in enumerate(shifts):
                shift.taken = PLACES_TAKEN // SHIFTS + (1 if index < PLACES_TAKEN % SHIFTS else 0)
            Shift.objects.bulk_update(shifts, ["taken"])
        print(f"  volunteering {year}: {SHIFTS} shifts, {PLACES_TAKEN} places", flush=True)


def time_dashboard(runs, *, cached, **filters):
    """``selectors.dashboard`` ``runs`` times; unless ``cached``, the shared cache is
    emptied before each run, so that the years not kept are counted each time."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from osallistu.monitoring import selectors

    timings, queries = [], set()
    for _run in range(runs):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            selectors.dashboard(public=True, **filters)
            timings.append(time.perf_counter() - started)
        queries.add(len(captured))
    return timings, queries


def time_page(runs, path, *, cached=True):
    """A public page as a browser gets it, middleware and template included, after one
    request untimed; unless ``cached``, the shared cache is emptied before each run."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)
    timings, queries = [], set()
    for _run in range(runs):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        queries.add(len(captured))
    return timings, queries


def time_report():
    from osallistu.accounts.models import Division
    from osallistu.monitoring import reports
    from osallistu.monitoring.models import CommitteeReport, Goal, ParticipationPlan

    plan, _created = ParticipationPlan.objects.get_or_create(
        division=Division.objects.get_or_create(
            slug="bench-kanslia", defaults={"name": "Kaupunginkanslia"}
        )[0],
        first_year=2025,
        defaults={"title": "Bench", "committee": "Kaupunginhallitus", "last_year": 2026},
    )
    Goal.objects.get_or_create(plan=plan, indicator="budgeting-voters", defaults={"target": 10})
    report = CommitteeReport(
        plan=plan,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        language="fi",
        commentary="Bench",
    )
    started = time.perf_counter()
    pdf, _figures = reports.make_report(report)
    return time.perf_counter() - started, len(pdf)


def _ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--live-runs", type=int, default=5, help="Runs of the dashboard without the store."
    )
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    url, own_database = benchdb.server_url(DATABASE)
    if own_database:
        benchdb.create_database(url, DATABASE)
    try:
        benchdb.setup_django(url, database_cache=True)
        from django.db import connection
        from django.utils import translation

        from osallistu.budgeting.models import Participation
        from osallistu.premises.models import Booking

        translation.activate("fi")
        print(
            f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}")
        started = time.perf_counter()
        build(random.Random(2018))
        from osallistu.feedback.models import Feedback
        from osallistu.volunteering.models import SignUp

        print(
            f"Data: {Participation.objects.count()} participations, "
            f"{Booking.objects.count()} bookings, {Feedback.objects.count()} feedback, "
            f"{SignUp.objects.count()} volunteering places "
            f"(built or found in {time.perf_counter() - started:.0f} s)"
        )
        from osallistu.areas.models import Area
        from osallistu.monitoring import services, settled
        from osallistu.monitoring.models import SettledFigures

        eastern = Area.objects.get(slug="eastern")
        scenarios = (
            ("whole city, latest year", {}),
            ("whole city, every year", {"year": None}),
            ("Eastern district, 2025", {"district": eastern, "year": 2025}),
        )
        SettledFigures.objects.all().delete()
        time_dashboard(2, cached=False)  # warm up connections and PostgreSQL's buffers
        live = {
            label: time_dashboard(options.live_runs, cached=False, **filters)
            for label, filters in scenarios
        }
        started = time.perf_counter()
        stored = services.store_settled_years()
        print(
            f"Kept the settled years up to {settled.last_settled_year()} of "
            f"{len(stored)} sources ({SettledFigures.objects.count()} rows of a year and "
            f"a scope) in {time.perf_counter() - started:.1f} s"
        )
        time_dashboard(2, cached=False)
        for label, filters in scenarios:
            for how, runs, (timings, queries) in (
                (
                    "kept years stored, the rest counted",
                    options.runs,
                    time_dashboard(options.runs, cached=False, **filters),
                ),
                (
                    "kept years stored, the rest from the cache",
                    options.runs,
                    time_dashboard(options.runs, cached=True, **filters),
                ),
                ("every year counted", options.live_runs, live[label]),
            ):
                print(
                    f"Dashboard figures, {label}, {how} ({runs} runs): "
                    f"median {_ms(statistics.median(timings))}, "
                    f"p95 {_ms(percentile(timings, 0.95))}, max {_ms(max(timings))}; "
                    f"queries {sorted(queries)}"
                )
        from django.test.utils import setup_test_environment

        setup_test_environment()  # lets the test client's host in
        for label, path, cached in (
            ("front page, the cache emptied", "/fi/monitoring/", False),
            ("front page", "/fi/monitoring/", True),
            ("indicator page (voters)", "/fi/monitoring/indicators/budgeting-voters/", True),
            ("indicator page (feedback)", "/fi/monitoring/indicators/feedback-sent/", True),
            ("CSV download", "/fi/monitoring/figures.csv", True),
        ):
            timings, queries = time_page(options.runs, path, cached=cached)
            print(
                f"Page {label} ({options.runs} runs): "
                f"median {_ms(statistics.median(timings))}, "
                f"p95 {_ms(percentile(timings, 0.95))}, max {_ms(max(timings))}; "
                f"queries {sorted(queries)}"
            )
        seconds, size = time_report()
        print(f"Committee report of a year (figures, goals, PDF): {seconds:.1f} s, {size} bytes")
        print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    finally:
        from django.db import connections

        connections.close_all()
        if own_database and not options.keep_db:
            benchdb.drop_database(url, DATABASE)


if __name__ == "__main__":
    main()
