"""The indicators of feedback, coaches and volunteering on hand-built data with known
answers. Population as in ``factories``: Central 900 and Eastern 1,500 residents."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone, translation

from osallistu.accounts.models import StaffRole
from osallistu.feedback import selectors as feedback_selectors
from osallistu.monitoring import exports, selectors
from osallistu.monitoring.indicators import BY_KEY
from tests.factories import (
    StaffRoleFactory,
    UserFactory,
    sign_in_past_second_factor,
)
from tests.feedback.factories import FeedbackFactory
from tests.monitoring.factories import (
    at,
    build_coaching,
    build_feedback,
    build_volunteering,
    populate,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def figures_of(key, *, public=True, district=None, year=2025):
    with translation.override("en"):
        figures_list, _years, _year = selectors.dashboard(
            year=year, district=district, public=public, indicators=[BY_KEY[key]]
        )
    return figures_list[0]


def by_key(cells, attribute="value"):
    return {cell.key: getattr(cell, attribute) for cell in cells}


def nonzero(cells, attribute="value"):
    return {key: value for key, value in by_key(cells, attribute).items() if value != 0}


# Feedback


@pytest.fixture
def feedback(helsinki):
    populate(helsinki, per_district={"central": 900, "western": 600})
    return build_feedback(helsinki)


def test_feedback_sent_by_district_division_and_channel(feedback):
    figures = figures_of("feedback-sent", public=False)
    assert figures.total.value == 9
    assert nonzero(figures.by_district) == {"central": 7, "western": 2}
    assert by_key(figures.by_channel) == {"web": 7, "application": 2}
    assert by_key(figures.by_group) == {"Parks": 2, "Streets": 7}
    assert figures.by_age == []
    # Feedback per thousand residents: 7 of 900.
    assert by_key(figures.by_district, "rate")["central"] == 7.78


def test_feedback_sent_suppresses_cells_under_five_in_public(feedback):
    figures = figures_of("feedback-sent")
    assert figures.total.value == 9
    districts = {cell.key: cell for cell in figures.by_district}
    # Western's 2 are hidden, and Central's 7 with them: the total would give it away.
    assert districts["western"].suppressed and districts["western"].value is None
    assert districts["central"].suppressed
    assert not districts["eastern"].suppressed and districts["eastern"].value == 0
    groups = {cell.key: cell for cell in figures.by_group}
    assert groups["Parks"].suppressed and groups["Streets"].suppressed
    with translation.override("en"):
        rows = exports.figure_rows(exports.snapshot([figures]))[1]
    division_rows = [row for row in rows if row[3] == "Division"]
    assert {row[4]: row[5] for row in division_rows} == {"Parks": "", "Streets": ""}


def test_feedback_answered_within_the_week(feedback):
    figures = figures_of("feedback-answered")
    # 5 of Central's 7 and both of Western's: 7 of 9; figures of work, never suppressed.
    assert (figures.total.value, figures.total.count) == (77.8, 9)
    assert by_key(figures.by_district)["central"] == 71.4
    assert by_key(figures.by_district)["western"] == 100.0
    assert by_key(figures.by_district)["eastern"] is None
    assert by_key(figures.by_group) == {"Parks": 100.0, "Streets": 71.4}
    assert by_key(figures.by_channel) == {"web": 71.4, "application": 100.0}
    assert not any(cell.suppressed for cell in figures.by_district)


def test_feedback_not_yet_due_is_not_counted_late(feedback):
    sent = timezone.now() - 2 * DAY
    FeedbackFactory(district=feedback["central"], requested_at=sent)
    rows = feedback_selectors.feedback_by_group(since=sent - DAY)
    assert [(row["feedback"], row["due"], row["on_time"]) for row in rows] == [(1, 0, 0)]
    later = feedback_selectors.feedback_by_group(since=sent - DAY, now=sent + 8 * DAY)
    assert [(row["feedback"], row["due"], row["on_time"]) for row in later] == [(1, 1, 0)]


# Coaches


@pytest.fixture
def coaching(helsinki):
    populate(helsinki, year=2031, per_district={"central": 900, "eastern": 1500})
    return build_coaching(helsinki)


def test_coach_contacts_by_district_kind_and_coach(coaching):
    figures = figures_of("coach-contacts", public=False, year=2031)
    assert figures.total.value == 7
    assert nonzero(figures.by_district) == {"central": 6, "eastern": 1}
    assert by_key(figures.by_channel) == {
        "requests": 5,
        "company_contacts": 0,
        "appointments": 2,
    }
    assert by_key(figures.by_group) == {"Anna Luotsi": 6, "Eero Luotsi": 1}
    assert by_key(figures.by_district, "rate")["central"] == 6.67


def test_coach_figures_per_coach_are_for_staff_only(coaching):
    figures = figures_of("coach-contacts", year=2031)
    assert figures.by_group == []
    assert by_key(figures.by_district, "suppressed")["eastern"] is True
    assert "Anna Luotsi" not in str(exports.snapshot([figures]))


def test_coach_events_and_participants(coaching):
    events = figures_of("coach-events", year=2031)
    # Events are not people: nothing suppressed, no rate.
    assert (events.total.value, events.total.rate) == (2, None)
    assert nonzero(events.by_district) == {"central": 2}
    participants = figures_of("coach-event-participants", year=2031)
    assert participants.total.value == 82
    assert by_key(participants.by_district, "rate")["central"] == 9.11
    assert figures_of("coach-contacts", public=False, year=2030).total.value == 0


# Volunteering


@pytest.fixture
def volunteering(helsinki):
    populate(helsinki, per_district={"central": 900, "eastern": 1500})
    return build_volunteering(helsinki)


def test_volunteers_by_district_age_group_and_theme(volunteering):
    figures = figures_of("volunteers", public=False)
    assert figures.total.value == 8
    assert nonzero(figures.by_district) == {"central": 7, "eastern": 1}
    assert nonzero(figures.by_age) == {"0-17": 2, "30-49": 5, "65-": 1}
    # An opportunity with two themes counts in each.
    assert by_key(figures.by_group) == {"Children": 7, "Environment": 8}
    assert by_key(figures.by_district, "rate")["central"] == 0.78


def test_volunteers_under_five_suppressed_in_public(volunteering):
    figures = figures_of("volunteers")
    ages = {cell.key: cell for cell in figures.by_age}
    # The under-18s (2) and the over-65s (1) are hidden; two hidden cells need no third.
    assert ages["0-17"].suppressed and ages["0-17"].value is None
    assert ages["65-"].suppressed
    assert (ages["30-49"].suppressed, ages["30-49"].value) == (False, 5)
    groups = {cell.key: cell for cell in figures.by_group}
    assert (groups["Environment"].value, groups["Children"].value) == (8, 7)
    with translation.override("en"):
        rows = exports.figure_rows(exports.snapshot([figures_of("volunteers")]))[1]
    under_18 = next(row for row in rows if row[3] == "Age group" and row[4] == "under 18")
    assert under_18[5] == "" and under_18[10] == "fewer than 5 people: not published"


def test_volunteer_hours(volunteering):
    figures = figures_of("volunteer-hours", public=False)
    assert figures.total.value == 20.0
    assert nonzero(figures.by_district) == {"central": 19.0, "eastern": 1.0}
    assert nonzero(figures.by_district, "people") == {"central": 7, "eastern": 1}
    # Hours per thousand residents: 19 of 900.
    assert by_key(figures.by_district, "rate")["central"] == 21.11
    public = figures_of("volunteer-hours")
    assert by_key(public.by_district, "suppressed")["eastern"] is True


def test_volunteer_places_filled(volunteering):
    figures = figures_of("volunteer-places")
    # 8 of the 15 places of the shifts held; the cancelled shift is left out.
    assert (figures.total.value, figures.total.count) == (53.3, 15)
    assert by_key(figures.by_district)["central"] == 70.0
    assert by_key(figures.by_district)["eastern"] == 20.0


def test_a_period_report_has_the_new_indicators(volunteering):
    figures = selectors.period_figures(
        since=at(2025, 1, 1), until=at(2026, 1, 1), year=2025, public=True
    )
    found = {item.indicator.key: item for item in figures}
    assert found["volunteers"].total.value == 8
    assert found["volunteer-places"].total.count == 15
    assert found["feedback-sent"].total.value == 0
    assert found["coach-contacts"].by_group == []
    outside = selectors.period_figures(
        since=at(2026, 1, 1), until=at(2027, 1, 1), year=2026, public=True
    )
    assert {item.indicator.key: item for item in outside}["volunteers"].total.value == 0


# Pages and downloads


def cells_of(page, caption):
    table = re.search(rf"<caption>{caption}</caption>.*?</table>", page, re.S)
    return dict(
        re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="number">([^<]+)</td>', table[0])
    )


def test_per_coach_figures_on_the_staff_page_only(coaching, client):
    public = client.get("/en/monitoring/indicators/coach-contacts/?year=2031").content.decode()
    assert "By coach" not in public and "Anna Luotsi" not in public
    assert cells_of(public, "By channel")["Meetings"] == "fewer than 5"
    download = client.get("/en/monitoring/figures.csv?year=2031").content.decode("utf-8-sig")
    assert "Anna Luotsi" not in download
    reporter = UserFactory(is_staff=True)
    StaffRoleFactory(user=reporter, role=StaffRole.Role.REPORTER)
    sign_in_past_second_factor(client, reporter)
    staff = client.get("/en/monitoring/staff/?year=2031").content.decode()
    assert cells_of(staff, "By coach") == {"Anna Luotsi": "6", "Eero Luotsi": "1"}


def test_feedback_by_division_on_its_page_and_in_the_download(feedback, client):
    page = client.get("/en/monitoring/indicators/feedback-answered/?year=2025").content.decode()
    assert cells_of(page, "By division") == {"Parks": "100.0", "Streets": "71.4"}
    assert "7 of 9 pieces" not in page and "77.8 % of 9 pieces of feedback" in page
    download = client.get("/en/monitoring/figures.csv?year=2025").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download)))
    sent = [row for row in rows if row[0] == "Feedback sent to the city" and row[3] == "Division"]
    assert {row[4]: (row[5], row[10]) for row in sent} == {
        "Parks": ("", "fewer than 5 people: not published"),
        "Streets": ("", "fewer than 5 people: not published"),
    }
