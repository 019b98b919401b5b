"""Issue 18 in the browser: the public dashboard filtered to a district, its indicator
and equality pages, and those of feedback, coaches and volunteering; a reporter writes
the commentary of a committee report and downloads it, and the PDF opens with its text,
headings and language; anyone finds it on the public list of reports. Every page passes
axe-core (WCAG 2.1 A and AA)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.monitoring import services
from osallistu.monitoring.models import Goal, ParticipationPlan
from tests.browser.helpers import follow, visit
from tests.factories import (
    DivisionFactory,
    StaffRoleFactory,
    UserFactory,
    sign_in_past_second_factor,
)
from tests.monitoring.factories import (
    build_coaching,
    build_feedback,
    build_known,
    build_volunteering,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def known(transactional_db, helsinki):
    return build_known(helsinki)


def test_the_public_dashboard_filtered_to_a_district(page, known):
    visit(page, "/fi/monitoring/?year=2025")
    page.get_by_label("Suurpiiri", exact=True).select_option(label="Itäinen")
    follow(page, lambda: page.get_by_role("button", name="Näytä").click())
    assert "district=eastern" in page.url
    # The year the form sends is written without a thousands separator.
    assert "year=2025" in page.url
    main = page.locator("main")
    assert "Suurpiiri: Itäinen." in main.inner_text()
    # Within a district the chart is by age group; the small 18–29 cell is hidden.
    chart = page.get_by_role("img", name="Osallistuvan budjetoinnin äänestäjät ikäryhmittäin")
    assert chart.count() == 1
    assert "18–29: alle 5" in chart.locator("desc").text_content()
    follow(
        page, lambda: page.get_by_role("link", name="Osallistuvan budjetoinnin äänestäjät").click()
    )
    assert "Määritelmä" in page.locator("main").inner_text()
    visit(page, "/fi/monitoring/")
    follow(page, lambda: page.get_by_role("link", name="Läntinen", exact=True).click())
    assert "Suurpiiri: Läntinen." in page.locator("main").inner_text()
    visit(page, "/fi/monitoring/equality/?year=2025")
    assert "Keskinen" in page.locator("main").inner_text()
    visit(page, "/sv/monitoring/definitions/")


def sign_in(page, live_server, user):
    client = Client()
    sign_in_past_second_factor(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "sameSite": "Lax"}]
    )


def run_jobs():
    while jobs.run_one() is not None:
        pass


def test_a_reporter_writes_commentary_and_downloads_the_report(page, known, live_server):
    plan = ParticipationPlan.objects.create(
        division=DivisionFactory(
            slug="city-executive-office",
            name_fi="Kaupunginkanslia",
            name_sv="Stadskansliet",
            name_en="City Executive Office",
        ),
        title="Osallisuussuunnitelma",
        committee="Kaupunginhallitus",
        first_year=2025,
        last_year=2026,
        approved_on=datetime.date(2025, 2, 1),
    )
    Goal.objects.create(plan=plan, indicator="budgeting-voters", target=20)
    report = services.request_report(
        plan=plan,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        language="fi",
    )
    run_jobs()
    reporter = UserFactory(is_staff=True)
    StaffRoleFactory(user=reporter, role=StaffRole.Role.REPORTER)
    sign_in(page, live_server, reporter)
    visit(page, "/fi/monitoring/staff/?year=2025")
    follow(
        page,
        lambda: page.get_by_role(
            "link", name="Osallisuussuunnitelmat ja lautakuntaraportit"
        ).click(),
    )
    visit(page, f"/fi/monitoring/staff/reports/{report.pk}/")
    page.get_by_label("Henkilöstön kommentti").fill("Itäisen nuoret tavoitettiin kouluissa.")
    follow(
        page, lambda: page.get_by_role("button", name="Tallenna ja tee raportti uudelleen").click()
    )
    assert "tehdään uudelleen" in page.locator("main").inner_text()
    run_jobs()
    visit(page, f"/fi/monitoring/staff/reports/{report.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa raportti (PDF)").click()
    pdf = PdfReader(download.value.path())
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "fi"
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Osallisuusraportti: Kaupunginkanslia" in text
    assert "Itäisen nuoret tavoitettiin kouluissa." in text
    assert "Tavoitteet ja toteutuminen" in text
    headings = []

    def walk(node):
        node = node.get_object()
        if str(node.get("/S", "")).startswith("/H"):
            headings.append(node["/S"])
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert headings[0] == "/H1" and "/H2" in headings
    # Anyone finds the report of the approved plan from the dashboard, as the committee
    # was given it.
    visit(page, "/sv/monitoring/")
    follow(page, lambda: page.get_by_role("link", name="Nämndrapporter").click())
    link = page.locator("main").get_by_role("link", name="PDF", exact=False)
    assert link.get_attribute("hreflang") == "fi"
    public = page.request.get(live_server.url + link.get_attribute("href"))
    assert public.status == 200 and public.body().startswith(b"%PDF")


def test_feedback_coaches_and_volunteering_on_their_pages(page, known, helsinki, live_server):
    build_feedback(helsinki)
    build_volunteering(helsinki)
    build_coaching(helsinki)
    visit(page, "/fi/monitoring/indicators/feedback-answered/?year=2025")
    main = page.locator("main")
    assert "77,8 % palautteesta (9 kpl) vastattiin viikossa." in main.inner_text()
    table = page.get_by_role("table", name="Toimialoittain")
    assert "Puisto" in table.inner_text() and "Katu" in table.inner_text()
    visit(page, "/fi/monitoring/indicators/volunteers/?year=2025")
    assert page.get_by_role("table", name="Teemoittain").count() == 1
    visit(page, "/fi/monitoring/indicators/coach-contacts/?year=2031")
    assert "Luotseittain" not in page.locator("main").inner_text()
    reporter = UserFactory(is_staff=True)
    StaffRoleFactory(user=reporter, role=StaffRole.Role.REPORTER)
    sign_in(page, live_server, reporter)
    visit(page, "/fi/monitoring/staff/?year=2031")
    coaches = page.get_by_role("table", name="Luotseittain").first
    assert "Anna Luotsi" in coaches.inner_text()
