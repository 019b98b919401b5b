"""The figures of settled years, kept by the nightly job (``settled``,
``services.store_settled_years``): the same figures as counted live, only later years
counted live, live again when the store lacks a year, and unchanged when records
change afterwards (a deleted account)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from osallistu.budgeting.models import Participation
from osallistu.core import jobs, privacy
from osallistu.monitoring import selectors, services, settled, tasks
from osallistu.monitoring.indicators import BY_KEY, INDICATORS
from osallistu.monitoring.models import SettledFigures
from osallistu.premises.models import Booking, BookingState
from tests.budgeting.factories import RoundFactory
from tests.factories import UserFactory
from tests.monitoring.factories import (
    at,
    build_coaching,
    build_feedback,
    build_known,
    build_volunteering,
    populate,
    vote,
)
from tests.premises.factories import SpaceFactory

# Kept rows in JSON, a deleted account and the unique constraints: run on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.integrity]

# Every hand-built year (2024, 2025 and the coaches' 2031) is settled on this day.
ALL_SETTLED = datetime.date(2032, 6, 1)
VOTERS = BY_KEY["budgeting-voters"]
HOURS = BY_KEY["premises-hours"]


def book(helsinki, *, booker, day, hours, district="eastern", association=""):
    begins = timezone.make_aware(datetime.datetime(2025, 5, day, 10))
    ends = begins + datetime.timedelta(hours=hours)
    return Booking.objects.create(
        space=SpaceFactory(),
        booker=booker,
        begins_at=begins,
        ends_at=ends,
        occupied_from=begins,
        occupied_until=ends,
        state=BookingState.CONFIRMED,
        association=association,
        booker_district=helsinki[district],
        booker_age_group="30-49",
    )


@pytest.fixture
def everything(helsinki):
    """Every part's hand-built figures (``factories``), bookings of 2025 by five people
    (one for an association, one with a quarter-hour) and votes of 2024 as well."""
    build_known(helsinki)
    populate(helsinki, year=2024)
    build_feedback(helsinki)
    build_coaching(helsinki)
    build_volunteering(helsinki)
    earlier = RoundFactory(slug="omastadi-2024")
    for _n in range(6):
        vote(earlier, district=helsinki["central"], age_group="50-64", when=at(2024))
    for day in range(1, 6):
        book(helsinki, booker=UserFactory(), day=day, hours=1.25 * day)
    book(helsinki, booker=UserFactory(), day=7, hours=3, district="western", association="Seura")
    return helsinki


def dashboards(helsinki, today):
    """The dashboard in every way a page asks for it."""
    found = {}
    for district in (None, helsinki["eastern"], helsinki["central"]):
        for year in (selectors.LATEST, None, 2024, 2025, 2031):
            for public in (True, False):
                key = (district and district.slug, year, public)
                found[key] = selectors.dashboard(
                    year=year, district=district, public=public, today=today
                )
    return found


def sorted_rows(rows):
    # PostgreSQL keeps a JSON object's keys in its own order.
    return sorted(rows, key=lambda row: repr(sorted(row.items())))


def test_stored_figures_are_the_live_figures(everything):
    with translation.override("en"):
        live = dashboards(everything, ALL_SETTLED)
        stored = services.store_settled_years(today=ALL_SETTLED)
        assert set(stored) == {settled.source_name(source) for source in settled.sources()}
        assert stored[settled.source_name(VOTERS.source)] == list(range(2024, 2032))
        assert dashboards(everything, ALL_SETTLED) == live
    # Row by row, durations and decimals included, for the city and each district.
    for district in (None, everything["eastern"], everything["western"]):
        read = settled.reader(district=district, today=ALL_SETTLED)
        for source in settled.sources():
            assert sorted_rows(read(source)) == sorted_rows(source(district=district))
    hours = settled.reader(today=ALL_SETTLED)(HOURS.source)
    booked = sum((row["duration"] for row in hours), datetime.timedelta())
    assert booked == datetime.timedelta(hours=21.75)


def test_the_dashboard_reads_the_stored_years(everything):
    services.store_settled_years(today=ALL_SETTLED)
    Participation.objects.all().delete()
    figures = selectors.dashboard(year=None, indicators=[VOTERS], today=ALL_SETTLED)[0][0]
    assert {cell.key: cell.value for cell in figures.trend} == {"2024": 6, "2025": 22}
    # Counted live, the votes are gone.
    live = selectors.period_figures(
        since=at(2024, 1, 1), until=at(2026, 1, 1), year=2025, indicators=[VOTERS]
    )
    assert live[0].total.value == 0


def test_a_district_reads_its_own_stored_rows(everything):
    services.store_settled_years(today=ALL_SETTLED)
    eastern = SettledFigures.objects.get(
        source=settled.source_name(VOTERS.source), year=2025, district=everything["eastern"]
    )
    assert sorted((row["age_group"], row["people"]) for row in eastern.rows) == [
        ("18-29", 3),
        ("30-49", 12),
    ]
    Participation.objects.all().delete()
    figures = selectors.dashboard(
        year=2025,
        district=everything["eastern"],
        public=False,
        indicators=[VOTERS],
        today=ALL_SETTLED,
    )[0][0]
    assert figures.total.value == 15
    assert {cell.key: cell.value for cell in figures.by_age if cell.value} == {
        "18-29": 3,
        "30-49": 12,
    }


def test_group_names_follow_the_language_of_the_page(everything):
    services.store_settled_years(today=ALL_SETTLED)
    sent = BY_KEY["feedback-sent"]
    for language, names in (("fi", {"Katu", "Puisto"}), ("en", {"Streets", "Parks"})):
        with translation.override(language):
            figures = selectors.dashboard(
                year=2025, public=False, indicators=[sent], today=ALL_SETTLED
            )[0][0]
        assert {cell.key for cell in figures.by_group} == names
    kept = SettledFigures.objects.filter(source=settled.source_name(sent.source))
    assert "Katu" not in str(list(kept.values_list("rows", flat=True)))


def test_deleting_an_account_does_not_change_a_stored_year(everything):
    today = datetime.date(2026, 6, 1)
    services.store_settled_years(today=today)

    def hours(**kwargs):
        return selectors.dashboard(year=2025, public=False, indicators=[HOURS], **kwargs)[0][0]

    before = hours(today=today)
    assert (before.total.people, before.total.value) == (6, 21.8)
    assert {cell.key: cell.value for cell in before.by_channel} == {
        "resident": 18.8,
        "association": 3,
    }
    booker = Booking.objects.get(association="Seura").booker
    privacy.delete_account(user=booker)
    assert hours(today=today) == before
    # The records did change: counted live, the booker and the association are gone.
    SettledFigures.objects.all().delete()
    live = hours(today=today)
    assert live.total.people == 5
    assert {cell.key: cell.value for cell in live.by_channel} == {
        "resident": 21.8,
        "association": 0,
    }


def test_an_unsettled_year_is_counted_live(everything):
    january = datetime.date(2026, 1, 20)
    assert settled.last_settled_year(january) == 2024
    assert settled.last_settled_year(datetime.date(2026, 4, 1)) == 2025
    stored = services.store_settled_years(today=january)
    assert stored[settled.source_name(VOTERS.source)] == [2024]
    assert not SettledFigures.objects.filter(year__gt=2024).exists()
    vote(RoundFactory(slug="late"), district=everything["eastern"], age_group="65-")
    # A store that is wrong for an unsettled year (a clock set ahead) is not read.
    SettledFigures.objects.create(
        source=settled.source_name(VOTERS.source),
        year=2025,
        rows=[{"year": 2025, "district": None, "age_group": "", "channel": "online", "people": 99}],
    )
    figures = selectors.dashboard(year=None, indicators=[VOTERS], today=january)[0][0]
    assert {cell.key: cell.value for cell in figures.trend} == {"2024": 6, "2025": 23}


def test_a_missing_store_is_counted_live(everything):
    live = selectors.dashboard(year=None, public=False, today=ALL_SETTLED)
    assert not SettledFigures.objects.exists()
    # The store ends before the last settled year (the job has not run since), or it
    # lacks a year in the middle: the years from there are counted live.
    services.store_settled_years(today=datetime.date(2026, 6, 1))
    assert selectors.dashboard(year=None, public=False, today=ALL_SETTLED) == live
    services.store_settled_years(today=ALL_SETTLED)
    SettledFigures.objects.filter(year=2025).delete()
    Participation.objects.filter(voted_at__year=2024).delete()
    figures = selectors.dashboard(year=None, indicators=[VOTERS], today=ALL_SETTLED)[0][0]
    trend = {cell.key: cell.value for cell in figures.trend}
    assert (trend["2024"], trend["2025"]) == (6, 22)


@pytest.fixture
def december_2026(monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 6, 4))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_the_job_keeps_settled_years_once(helsinki, december_2026):
    build_known(helsinki)
    later = RoundFactory(slug="omastadi-2026")
    vote(later, district=helsinki["eastern"], age_group="65-", when=at(2026))
    tasks.store_settled_years.enqueue()
    assert jobs.run_pending() == 1
    job = tasks.store_settled_years.jobs().get()
    assert job.state == "done", job.error
    voters = settled.source_name(VOTERS.source)
    assert job.result["stored"][voters] == [2025]
    kept = SettledFigures.objects.filter(source=voters)
    # The city and each of the seven districts, 2025 only: 2026 has not settled.
    assert sorted(set(kept.values_list("year", flat=True))) == [2025]
    assert kept.count() == 8
    count = SettledFigures.objects.count()
    assert count == 8 * len(settled.sources())
    assert tasks.store_settled_years.call() == {"stored": {}}
    out = io.StringIO()
    call_command("store_settled_years", stdout=out)
    assert "nothing to store" in out.getvalue()
    assert SettledFigures.objects.count() == count


def test_the_job_runs_every_night(db, december_2026):
    jobs.schedule_daily()
    queued = tasks.store_settled_years.jobs().get(state="queued")
    assert timezone.localtime(queued.run_after).time() == datetime.time(4)
    assert queued.run_after > december_2026


def test_every_indicator_reads_a_stored_source():
    names = {settled.source_name(source) for source in settled.sources()}
    assert {settled.source_name(indicator.source) for indicator in INDICATORS} <= names
    assert len(names) == len(settled.sources())
