"""The public dashboard and its pages, downloads, the staff figures and the report
pages: what each shows, to whom, and what bad input does."""

import csv
import io
import re

import pytest
from django.utils import translation

from osallistu.accounts.models import Division, StaffRole
from osallistu.core import jobs
from osallistu.monitoring import tasks
from osallistu.monitoring.models import CommitteeReport, ParticipationPlan
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def staff(client, role, area=None):
    user = UserFactory(is_staff=True)
    StaffRoleFactory(user=user, role=role, area=area)
    return sign_in_past_second_factor(client, user)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_public_pages_in_every_language(known, client, language):
    for path in ("", "definitions/", "equality/", "indicators/budgeting-voters/"):
        response = client.get(f"/{language}/monitoring/{path}")
        assert response.status_code == 200, path
        assert f'lang="{language}"' in response.content.decode()


@pytest.mark.parametrize(
    "key, heading",
    [
        ("budgeting-voters", "Henkilöt"),
        ("premises-hours", "Tunnit"),
        ("coach-events", "Tapahtumat"),
        ("initiative-answers", "Vastattu ajallaan, %"),
    ],
)
def test_a_column_is_headed_by_a_name_not_by_the_unit_after_a_number(known, client, key, heading):
    page = client.get(f"/fi/monitoring/indicators/{key}/").content.decode()
    headings = re.findall(r'<th scope="col" class="number">([^<]+)</th>', page)
    assert heading in headings
    assert not {"Henkilöä", "Tuntia", "Tapahtumaa"} & set(headings)


def test_the_dashboard_suppresses_small_cells_on_the_page_and_in_its_charts(known, client):
    page = client.get("/en/monitoring/?year=2025").content.decode()
    table = re.search(
        r"<caption>Voters in participatory budgeting by district</caption>.*?</table>", page, re.S
    )
    rows = dict(
        re.findall(
            r'<th scope="row">([^<]+)</th>\s*<td class="number">([^<]+)</td>', table.group(0)
        )
    )
    assert rows["Eastern"] == "15"
    assert rows["not known"] == "fewer than 5"
    assert rows["Western"] == "fewer than 5"
    assert rows["Central"] == "0"
    description = re.search(r'<desc id="chart-0-district-desc">([^<]+)</desc>', page).group(1)
    assert "not known: fewer than 5" in description and "Western: fewer than 5" in description
    assert "Approximate population figures." in page


def test_a_district_and_a_wrong_year(known, client):
    page = client.get("/en/monitoring/?district=eastern&year=2025")
    assert "District: Eastern." in text(page)
    wrong = client.get("/en/monitoring/?district=nowhere&year=twenty")
    assert wrong.status_code == 200
    body = text(wrong)
    assert "Choose a year from the list." in body
    assert "Select a valid choice." in body
    assert 'aria-invalid="true"' in wrong.content.decode()
    superscript = client.get("/en/monitoring/?year=²०२५")
    assert "Choose a year from the list." in text(superscript)


def test_the_download_is_suppressed(known, client):
    with translation.override("en"):
        response = client.get("/en/monitoring/figures.csv?year=2025")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    voters = [row for row in rows if row["Indicator"] == "Voters in participatory budgeting"]
    by_district = {row["Group"]: row for row in voters if row["Breakdown"] == "District"}
    assert by_district["Eastern"]["Value"] == "15"
    assert by_district["not known"]["Value"] == ""
    assert by_district["not known"]["Note"]
    for row in voters:
        assert row["Value"] == "" or not 0 < float(row["Value"]) < 5, row
    xlsx = client.get("/en/monitoring/figures.xlsx?year=2025")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_figures_need_a_role_that_covers_the_area(known, client, helsinki):
    assert client.get("/en/monitoring/staff/").status_code == 302
    staff(client, StaffRole.Role.PREMISES_MANAGER)
    assert client.get("/en/monitoring/staff/").status_code == 403
    client.logout()
    staff(client, StaffRole.Role.CITY_COACH, helsinki["eastern"])
    assert client.get("/en/monitoring/staff/").status_code == 403
    assert client.get("/en/monitoring/staff/?district=western").status_code == 403
    assert client.get("/en/monitoring/staff/?district=eastern").status_code == 200
    assert client.get("/en/monitoring/staff/plans/").status_code == 403


def test_a_reporter_sees_small_cells_and_the_plans(known, client):
    staff(client, StaffRole.Role.REPORTER)
    page = client.get("/en/monitoring/staff/?year=2025").content.decode()
    table = re.search(
        r"<caption>Voters in participatory budgeting by district</caption>.*?</table>", page, re.S
    )
    rows = dict(
        re.findall(
            r'<th scope="row">([^<]+)</th>\s*<td class="number">([^<]+)</td>', table.group(0)
        )
    )
    assert rows["not known"] == "1" and rows["Western"] == "6"
    assert "Participation plans and committee reports" in page


def test_a_reporter_makes_a_plan_and_a_report(known, client):
    staff(client, StaffRole.Role.REPORTER)
    division = Division.objects.create(slug="kasko", name="Kasvatuksen ja koulutuksen toimiala")
    wrong = client.post(
        "/en/monitoring/staff/plans/new/",
        {
            "division": division.pk,
            "title": "Plan",
            "committee": "Board",
            "first_year": 2026,
            "last_year": 2025,
        },
    )
    assert "The last year cannot be before the first year." in text(wrong)
    turned = client.post(
        "/en/monitoring/staff/plans/new/",
        {
            "division": division.pk,
            "title": "nalP\u202e",
            "committee": "Board",
            "first_year": 2025,
            "last_year": 2026,
        },
    )
    assert "Remove the invisible control characters" in text(turned)
    assert not ParticipationPlan.objects.exists()
    response = client.post(
        "/en/monitoring/staff/plans/new/",
        {
            "division": division.pk,
            "title": "Plan",
            "committee": "Board",
            "first_year": 2025,
            "last_year": 2026,
        },
    )
    plan = ParticipationPlan.objects.get()
    assert response.url == f"/en/monitoring/staff/plans/{plan.pk}/"
    # A draft does not start the quarterly reports; approving it does, once.
    assert not tasks.quarterly_reports.jobs().exists()
    for _twice in range(2):
        client.post(
            f"/en/monitoring/staff/plans/{plan.pk}/edit/",
            {
                "division": division.pk,
                "title": "Plan",
                "committee": "Board",
                "first_year": 2025,
                "last_year": 2026,
                "approved_on": "2025-02-01",
            },
        )
    assert tasks.quarterly_reports.jobs().filter(state="queued").count() == 1
    client.post(
        f"/en/monitoring/staff/plans/{plan.pk}/",
        {"goal-indicator": "budgeting-voters", "goal-measure": "value", "goal-target": "30"},
    )
    assert plan.goals.get().target == 30
    bad = client.post(
        f"/en/monitoring/staff/plans/{plan.pk}/reports/new/",
        {"period_start": "2025-12-31", "period_end": "2025-01-01", "language": "en"},
    )
    assert "The last day cannot be before the first day." in text(bad)
    client.post(
        f"/en/monitoring/staff/plans/{plan.pk}/reports/new/",
        {
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "language": "en",
            "commentary": "Good year",
        },
    )
    report = CommitteeReport.objects.get()
    assert "being made" in text(client.get(f"/en/monitoring/staff/reports/{report.pk}/"))
    assert client.get(f"/en/monitoring/staff/reports/{report.pk}/report.pdf").status_code == 404
    while jobs.run_one() is not None:
        pass
    pdf = client.get(f"/en/monitoring/staff/reports/{report.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    figures = client.get(f"/en/monitoring/staff/reports/{report.pk}/figures.csv").content.decode(
        "utf-8-sig"
    )
    assert "Voters in participatory budgeting" in figures
    assert "Kasvatuksen ja koulutuksen toimiala" in text(client.get("/en/monitoring/staff/plans/"))


def test_the_front_page_and_the_staff_desk_show_monitoring(client, helsinki):
    assert "/fi/monitoring/" in client.get("/fi/").content.decode()
    staff(client, StaffRole.Role.REPORTER)
    assert "/fi/monitoring/staff/" in client.get("/fi/staff/").content.decode()
