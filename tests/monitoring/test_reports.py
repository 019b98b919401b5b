"""Committee reports: made by the background job, kept in the archive, PDF tagged and
in its language, figures behind it suppressed; the quarterly schedule."""

import csv
import datetime
import io

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from osallistu.accounts.models import Division
from osallistu.core import jobs
from osallistu.monitoring import services, tasks
from osallistu.monitoring.models import CommitteeReport, Goal, Measure, ParticipationPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(helsinki):
    plan = ParticipationPlan.objects.create(
        division=Division.objects.create(slug="kuva", name="Kulttuurin ja vapaa-ajan toimiala"),
        title="Osallisuussuunnitelma",
        committee="Kulttuuri- ja liikuntalautakunta",
        first_year=2025,
        last_year=2027,
        approved_on=datetime.date(2025, 2, 1),
    )
    Goal.objects.create(plan=plan, indicator="budgeting-voters", target=20)
    Goal.objects.create(
        plan=plan,
        indicator="budgeting-voters",
        district=helsinki["eastern"],
        measure=Measure.RATE,
        target=2,
    )
    return plan


def make(plan, language, commentary=""):
    report = services.request_report(
        plan=plan,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        language=language,
        commentary=commentary,
        actor=None,
    )
    while jobs.run_one() is not None:
        pass
    report.refresh_from_db()
    return report


def structure(pdf):
    """The structure types of the PDF's tagged content, in order."""
    found = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            found.append(node["/S"])
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_pdf_is_tagged_in_its_language_with_headings_text_and_suppression(known, plan):
    report = make(
        plan, "en", commentary="Young adults in the East were reached.\n\nMore next year."
    )
    assert report.state == CommitteeReport.State.READY
    pdf = PdfReader(io.BytesIO(bytes(report.pdf)))
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]
    assert pdf.metadata.title == "Participation report: Kulttuurin ja vapaa-ajan toimiala"
    tags = structure(pdf)
    assert "/H1" in tags and tags.count("/H2") >= 4 and "/Table" in tags and "/Figure" in tags
    text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "Participation report",
        "Goals and realisation",
        "Young adults in the East were reached.",
        "Voters in participatory budgeting",
        "Total: 22 people",
        "fewer than 5",
        "Under-represented groups",
    ):
        assert expected in " ".join(text.split()), expected
    # The goals: 22 voters against a target of 20; Eastern 1 % against 2 %.
    assert "reached" in text and "not yet" in text


def test_a_finnish_report_is_finnish(known, plan):
    report = make(plan, "fi")
    pdf = PdfReader(io.BytesIO(bytes(report.pdf)))
    assert pdf.trailer["/Root"]["/Lang"] == "fi"


def test_the_figures_behind_a_report_are_suppressed(known, plan, client):
    report = make(plan, "en")
    indicators = report.figures["indicators"]
    voters = next(item for item in indicators if item["key"] == "budgeting-voters")
    not_known = next(cell for cell in voters["by_district"] if cell["key"] == "")
    assert not_known["suppressed"] and not_known["value"] is None
    from osallistu.monitoring.exports import as_csv, as_xlsx

    with translation.override("en"):
        rows = list(csv.reader(io.StringIO(as_csv(indicators).decode("utf-8-sig"))))
        book = load_workbook(io.BytesIO(as_xlsx(indicators, title="x")))
    assert_no_small_people_cells(rows)
    assert_no_small_people_cells([[cell.value for cell in row] for row in book.active.iter_rows()])


def assert_no_small_people_cells(rows):
    header, *body = rows
    value, unit, note = header.index("Value"), header.index("Unit"), header.index("Note")
    people = [row for row in body if row[unit] == "people"]
    assert people
    for row in people:
        if row[value] not in ("", None):
            assert not 0 < float(row[value]) < 5, row
    assert any(row[note] for row in people)


def test_quarterly_schedule_asks_once_for_each_approved_plan(plan, monkeypatch):
    draft = ParticipationPlan.objects.create(
        division=plan.division, title="Luonnos", committee="x", first_year=2026, last_year=2026
    )
    moment = timezone.make_aware(datetime.datetime(2025, 7, 1, 6, 30))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert tasks.quarterly_reports.call() == {
        "reports": 1,
        "period": ["2025-04-01", "2025-06-30"],
    }
    assert tasks.quarterly_reports.call()["reports"] == 0
    report = CommitteeReport.objects.get()
    assert (report.plan, report.scheduled, report.language) == (plan, True, "fi")
    assert not draft.reports.exists()
    waiting = tasks.quarterly_reports.jobs().filter(state="queued")
    assert [job.run_after for job in waiting] == [
        timezone.make_aware(datetime.datetime(2025, 10, 1, 6))
    ]
    assert tasks.make_committee_report.jobs().count() == 1


def test_quarters():
    assert tasks.quarter_of(datetime.date(2025, 2, 14)) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 3, 31),
    )
    assert tasks.next_quarter_start(datetime.date(2025, 11, 30)) == datetime.date(2026, 1, 1)


def test_changing_the_commentary_makes_the_report_again(known, plan):
    report = make(plan, "en", commentary="First")
    services.update_commentary(report=report, commentary="Second thoughts", actor=None)
    report.refresh_from_db()
    assert report.state == CommitteeReport.State.QUEUED
    while jobs.run_one() is not None:
        pass
    report.refresh_from_db()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "Second thoughts" in text and "First" not in text.split()


def test_a_past_figure_does_not_change_with_the_profile(helsinki):
    """Snapshotting: moving house or getting older later leaves the figures alone."""
    from osallistu.budgeting.services import cast_ballot
    from osallistu.monitoring import selectors
    from osallistu.monitoring.indicators import BY_KEY
    from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory
    from tests.factories import VerifiedResidentFactory

    round = RoundFactory(slug="snapshot")
    RoundBudgetFactory(round=round, area=helsinki["eastern"], amount=300_000)
    choice = PlanFactory(round=round, area=helsinki["eastern"], code="I-1", cost_high=100_000)
    day = round.last_voting_day
    voters = [
        VerifiedResidentFactory(
            birth_date=day.replace(year=day.year - 40), district=helsinki["eastern"]
        )
        for _n in range(5)
    ]
    for voter in voters:
        cast_ballot(round=round, voter=voter, district=helsinki["eastern"], plan_ids=[choice.pk])

    def eastern_adults():
        figures = selectors.dashboard(
            year=timezone.localdate().year,
            public=False,
            indicators=[BY_KEY["budgeting-voters"]],
        )[0][0]
        districts = {cell.key: cell.value for cell in figures.by_district}
        ages = {cell.key: cell.value for cell in figures.by_age}
        return districts["eastern"], districts["western"], ages["30-49"], ages["65-"]

    before = eastern_adults()
    assert before == (5, 0, 5, 0)
    for voter in voters:
        voter.district = helsinki["western"]
        voter.birth_date = day.replace(year=day.year - 70)
        voter.save()
    assert eastern_adults() == before
