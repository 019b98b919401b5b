"""Each indicator on hand-built data with known answers (see factories)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from osallistu.accounts.models import Division
from osallistu.areas.models import AgeGroup
from osallistu.budgeting.models import Channel
from osallistu.budgeting.selectors import voters_by_group
from osallistu.initiatives.models import Initiative, PaperSupportBatch, State, Support
from osallistu.monitoring import selectors, settled
from osallistu.monitoring.indicators import BY_KEY
from osallistu.premises.models import Booking, BookingState
from osallistu.surveys.models import Response, ResponseStatus
from tests.factories import UserFactory
from tests.monitoring.factories import at, populate, vote
from tests.premises.factories import SpaceFactory
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def figures_of(key, *, public=True, district=None, year=2025):
    figures_list, _years, _year = selectors.dashboard(
        year=year, district=district, public=public, indicators=[BY_KEY[key]]
    )
    return figures_list[0]


def by_key(cells, attribute="value"):
    return {cell.key: getattr(cell, attribute) for cell in cells}


def test_voters_by_district_age_and_channel_for_staff(known):
    figures = figures_of("budgeting-voters", public=False)
    assert figures.total.value == 22
    assert by_key(figures.by_district) == {
        "southern": 0,
        "western": 6,
        "central": 0,
        "northern": 0,
        "north-eastern": 0,
        "south-eastern": 0,
        "eastern": 15,
        "": 1,
    }
    assert by_key(figures.by_age) == {
        "0-17": 0,
        "18-29": 3,
        "30-49": 12,
        "50-64": 0,
        "65-": 6,
        "": 1,
    }
    assert by_key(figures.by_channel) == {"online": 20, "assisted": 2, "paper": 0}
    # Rates against residents aged 12 and over: 15 of 1,500 and 6 of 600.
    assert by_key(figures.by_district, "rate")["eastern"] == 1.0
    assert by_key(figures.by_district, "rate")["western"] == 1.0
    assert by_key(figures.by_district, "rate")["central"] == 0.0
    # Districts without population figures have no rate or index.
    assert by_key(figures.by_district, "rate")["northern"] is None
    # Index: 21 voters of 3,000 residents overall, 1 % in Eastern and Western.
    assert by_key(figures.by_district, "index") == {
        "southern": None,
        "western": 1.43,
        "central": 0.0,
        "northern": None,
        "north-eastern": None,
        "south-eastern": None,
        "eastern": 1.43,
        "": None,
    }
    # 18–29: 3 of 300 residents (Eastern, Western, Central: 600 in the band in the city).
    assert by_key(figures.by_age, "population")["18-29"] == 600
    assert figures.under_represented()[0][1].key == "central"


def test_small_cells_are_suppressed_and_one_more_with_a_lone_one(known):
    figures = figures_of("budgeting-voters")
    districts = {cell.key: cell for cell in figures.by_district}
    # "not known" (1) is small; as the only small cell, the next smallest (Western, 6)
    # goes with it; zero is about nobody and stays.
    assert districts[""].suppressed and districts[""].value is None
    assert districts["western"].suppressed and districts["western"].rate is None
    assert districts["western"].index is None
    assert districts["central"].value == 0 and not districts["central"].suppressed
    assert districts["eastern"].value == 15
    ages = {cell.key: cell for cell in figures.by_age}
    # Two small cells (3 and 1) hide each other.
    assert ages["18-29"].suppressed and ages[""].suppressed
    assert not ages["65-"].suppressed
    assert figures.total.value == 22


def test_a_district_filter_and_an_empty_district(known, helsinki):
    eastern = figures_of("budgeting-voters", district=helsinki["eastern"], public=False)
    assert eastern.total.value == 15
    assert eastern.by_district == []
    assert by_key(eastern.by_age) == {
        "0-17": 0,
        "18-29": 3,
        "30-49": 12,
        "50-64": 0,
        "65-": 0,
        "": 0,
    }
    # 3 of the Eastern 300 aged 18–29.
    assert by_key(eastern.by_age, "rate")["18-29"] == 1.0
    central = figures_of("budgeting-voters", district=helsinki["central"])
    assert central.total.value == 0
    assert not central.total.suppressed
    assert central.total.rate == 0.0


def test_trend_by_year_and_population_of_the_latest_year_before(known, helsinki):
    populate(helsinki, year=2023, per_district={"eastern": 1000})
    for _n in range(7):
        vote(known, district=helsinki["eastern"], age_group="50-64", when=at(2023))
    figures = figures_of("budgeting-voters", year=2023, district=helsinki["eastern"])
    assert figures.total.value == 7
    assert figures.total.rate == 0.7
    assert [(cell.label, cell.value) for cell in figures.trend] == [("2023", 7), ("2025", 15)]
    # 2024 has no figures of its own: the population of 2023 is used.
    assert figures_of("budgeting-voters", year=2024).population_year == 2023


def test_survey_respondents(helsinki):
    populate(helsinki)
    survey = SurveyFactory()
    for district, group, status in (
        [("eastern", "30-49", ResponseStatus.SUBMITTED)] * 6
        + [("western", "0-17", ResponseStatus.SUBMITTED)] * 5
        + [("western", "0-17", ResponseStatus.DRAFT)] * 4
    ):
        Response.objects.create(
            survey=survey,
            user=UserFactory(),
            status=status,
            submitted_at=at(2025) if status == ResponseStatus.SUBMITTED else None,
            district=helsinki[district],
            age_group=group,
        )
    figures = figures_of("survey-respondents")
    assert figures.total.value == 11
    assert by_key(figures.by_district)["western"] == 5
    assert by_key(figures.by_channel) == {"online": 11}
    # Everyone from 0: the city has no residents aged 0–11 here and 600 aged 12–17.
    assert by_key(figures.by_age, "population")["0-17"] == 600


def test_initiative_supporters_online_and_on_paper(helsinki):
    populate(helsinki)
    initiative = Initiative.objects.create(
        title="Puisto",
        proposal="x",
        rationale="y",
        language="fi",
        area=helsinki["eastern"],
        state=State.COLLECTING,
        published_at=at(2025, 1, 1),
    )
    for _n in range(8):
        Support.objects.create(
            initiative=initiative,
            user=UserFactory(),
            supported_at=at(2025),
            counts=True,
            home_district=helsinki["eastern"],
            age_group=AgeGroup.ADULT,
        )
    staff = UserFactory(is_staff=True)
    PaperSupportBatch.objects.create(
        initiative=initiative,
        label="A",
        signatures=30,
        valid=25,
        entered_by=staff,
        confirmed_by=UserFactory(is_staff=True),
        confirmed_at=at(2025),
    )
    PaperSupportBatch.objects.create(
        initiative=initiative, label="B", signatures=9, valid=9, entered_by=staff
    )
    figures = figures_of("initiative-supporters")
    assert figures.total.value == 33
    assert by_key(figures.by_channel) == {"online": 8, "paper": 25}
    assert by_key(figures.by_district)[""] == 25
    eastern = figures_of("initiative-supporters", district=helsinki["eastern"])
    assert eastern.total.value == 8


def test_initiatives_answered_on_time(helsinki):
    division = Division.objects.create(slug="kymp", name="Kaupunkiympäristön toimiala")

    def decided(area, closed, deadline):
        return Initiative.objects.create(
            title="Aloite",
            proposal="x",
            rationale="y",
            language="fi",
            area=helsinki[area],
            state=State.DECIDED,
            sent_at=closed - datetime.timedelta(days=60),
            diary_number=f"HEL {closed:%Y-%m%d}",
            registered_at=closed - datetime.timedelta(days=59),
            division=division,
            preparer_name="Valmistelija",
            decision_maker="Lautakunta",
            decision_date=closed.date(),
            answer="Vastaus",
            answer_language="fi",
            closed_at=closed,
            deadline=deadline,
            deadline_by_law=deadline is not None,
        )

    decided("eastern", at(2025, 3, 1), datetime.date(2025, 3, 1))
    decided("eastern", at(2025, 3, 2), datetime.date(2025, 3, 1))
    decided("western", at(2025, 4, 1), None)
    decided("western", at(2024, 4, 1), datetime.date(2024, 1, 1))
    figures = figures_of("initiative-answers")
    assert (figures.total.count, figures.total.value) == (3, 66.7)
    assert by_key(figures.by_district)["eastern"] == 50.0
    assert by_key(figures.by_district)["western"] == 100.0
    assert by_key(figures.by_district)["central"] is None
    # About initiatives, not people: nothing is suppressed.
    assert not any(cell.suppressed for cell in figures.by_district)
    assert [(cell.label, cell.value) for cell in figures.trend] == [("2024", 0.0), ("2025", 66.7)]


def test_premises_hours_suppressed_by_the_number_of_bookers(helsinki):
    populate(helsinki)
    space = SpaceFactory()
    bookers = [UserFactory() for _n in range(7)]

    def book(booker, day, hours, district, association="", state=BookingState.CONFIRMED):
        begins = timezone.make_aware(datetime.datetime(2025, 5, day, 10))
        ends = begins + datetime.timedelta(hours=hours)
        Booking.objects.create(
            space=space,
            booker=booker,
            begins_at=begins,
            ends_at=ends,
            occupied_from=begins,
            occupied_until=ends,
            state=state,
            association=association,
            booker_district=helsinki[district],
            booker_age_group="30-49",
        )

    for number, booker in enumerate(bookers[:5]):
        book(booker, number + 1, 2, "eastern")
    book(bookers[0], 10, 3, "eastern", association="Kylätoimikunta")
    book(bookers[5], 11, 4, "western")
    book(bookers[6], 12, 1.5, "western", association="Seura")
    book(bookers[6], 13, 8, "western", state=BookingState.CANCELLED)
    staff = figures_of("premises-hours", public=False)
    assert staff.total.value == 18.5
    assert by_key(staff.by_district) == {
        "southern": 0,
        "western": 5.5,
        "central": 0,
        "northern": 0,
        "north-eastern": 0,
        "south-eastern": 0,
        "eastern": 13,
        "": 0,
    }
    assert by_key(staff.by_channel) == {"resident": 14, "association": 4.5}
    # 13 hours by Eastern residents per 1,500 residents: 8.67 per thousand.
    assert by_key(staff.by_district, "rate")["eastern"] == 8.67
    public = figures_of("premises-hours")
    districts = {cell.key: cell for cell in public.by_district}
    # Two bookers in Western: suppressed, though 5.5 hours is more than 5.
    assert districts["western"].suppressed
    # Western is the only small cell: the next smallest (Eastern) is hidden with it,
    # or the total would give Western away; the total stays.
    assert districts["eastern"].suppressed
    assert public.total.value == 18.5


def test_the_dashboard_asks_a_constant_number_of_queries(
    known, helsinki, client, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as first:
        client.get("/en/monitoring/")
    for _n in range(30):
        vote(known, district=helsinki["central"], age_group="50-64", channel=Channel.ONLINE)
    cache.clear()  # the live rows kept from the first request
    with CaptureQueriesContext(connection) as second:
        page = client.get("/en/monitoring/")
    assert page.status_code == 200
    assert len(first) == len(second)
    # The sources (budgeting, surveys, initiatives 2, premises, feedback 2, coaches 7,
    # volunteering 3; per coach figures are not read for the public), the districts,
    # the population per age limit, and the page's own.
    assert len(second) <= 23


def test_live_figures_are_shared_for_a_few_minutes_then_counted_again(known, helsinki):
    """The live rows of a source are kept in the shared cache for LIVE_SECONDS: the
    next figures ask no query of the source and are the same; once the rows are gone,
    a new count shows the votes cast since."""
    assert figures_of("budgeting-voters", public=False).total.value == 22
    vote(known, district=helsinki["central"], age_group="50-64")
    with CaptureQueriesContext(connection) as again:
        assert figures_of("budgeting-voters", public=False).total.value == 22
    assert not any("budgeting_participation" in query["sql"] for query in again)
    cache.delete(settled.live_key(voters_by_group, None, None))
    assert figures_of("budgeting-voters", public=False).total.value == 23
