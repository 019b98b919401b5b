"""Volunteering in the browser, keyboard only, without JavaScript and with it: a 15-year-old
finds a task for under-18s in their district, signs up, the guardian consents by the
e-mailed link, the organiser confirms the hours after the shift and the certificate
downloads. Every page is checked with axe."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.core import jobs
from osallistu.volunteering.models import Shift, SignUp
from tests.browser.helpers import follow, log_in, tab_to, visit
from tests.factories import TEST_PASSWORD, UserFactory
from tests.volunteering.factories import MemberFactory, OpportunityFactory, ShiftFactory

pytestmark = pytest.mark.browser


@pytest.fixture(params=[False, True], ids=["without-javascript", "keyboard-with-javascript"])
def context_options(request):
    return {"java_script_enabled": request.param}


def press(page, locator, key="Enter"):
    """Reach ``locator`` with Tab and press ``key``, as a keyboard user does."""
    tab_to(page, locator)
    page.keyboard.press(key)


def test_teen_signs_up_guardian_consents_hours_and_certificate(page, transactional_db, helsinki):
    eastern = helsinki["eastern"]
    today = datetime.date.today()
    teen = UserFactory(
        email="nuori@example.fi",
        full_name="Nelli Nuori",
        district=eastern,
        birth_date=today - datetime.timedelta(days=round(15 * 365.25) + 40),
    )
    youth = OpportunityFactory(
        title_fi="Rantasiivous Vuosaaressa",
        district=eastern,
        under_18_allowed=True,
        youth_min_age=13,
    )
    shift = ShiftFactory(opportunity=youth, capacity=5)
    ShiftFactory(opportunity=OpportunityFactory(title_fi="Aikuisten tehtävä", district=eastern))
    ShiftFactory(
        opportunity=OpportunityFactory(
            title_fi="Toisen piirin tehtävä", under_18_allowed=True, youth_min_age=13
        )
    )
    organiser_member = MemberFactory(
        organiser=youth.organiser, user__email="kaisa@example.fi", user__full_name="Kaisa"
    ).user

    # The teen searches: their district, suitable for under-18s.
    log_in(page, teen.email, TEST_PASSWORD)
    visit(page, "/fi/volunteering/")
    page.get_by_label("Suurpiiri", exact=True).select_option(label=eastern.name_fi)
    press(page, page.get_by_label("Sopii alle 18-vuotiaille"), " ")
    expect(page.get_by_label("Sopii alle 18-vuotiaille")).to_be_checked()
    follow(page, lambda: press(page, page.get_by_role("button", name="Hae")))
    expect(page).to_have_url(re.compile(r"district=\d+.*under_18=on"))
    results = page.locator(".result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Rantasiivous Vuosaaressa")
    expect(results.first).to_contain_text("5 paikkaa jäljellä")
    follow(
        page,
        lambda: press(page, results.first.get_by_role("link", name="Rantasiivous Vuosaaressa")),
    )

    # Signs up, naming the guardian.
    follow(page, lambda: press(page, page.get_by_role("link", name=re.compile("^Ilmoittaudu"))))
    page.get_by_label("Huoltajan nimi").fill("Maija Nuori")
    page.get_by_label("Huoltajan sähköpostiosoite").fill("maija@example.fi")
    follow(page, lambda: press(page, page.get_by_role("button", name="Ilmoittaudu")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ilmoittautumisesi")
    expect(page.locator("main")).to_contain_text("Odottaa huoltajan suostumusta")
    signup = SignUp.objects.get(volunteer=teen)
    assert signup.status == SignUp.Status.AWAITING_GUARDIAN

    # The guardian follows the e-mailed link and consents.
    jobs.run_pending()
    guardian_mail = next(m for m in mail.outbox if m.to == ["maija@example.fi"])
    link = re.search(r"https?://[^/]+(/fi/volunteering/guardian/[^/\s]+/)", guardian_mail.body)[1]
    visit(page, link)
    expect(page.locator("main")).to_contain_text("Nelli Nuori (15)")
    follow(page, lambda: press(page, page.get_by_role("button", name="Annan suostumukseni")))
    expect(page.get_by_role("status")).to_contain_text("Suostumuksesi on kirjattu")
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CONFIRMED

    # The shift takes place; the organiser confirms the hours.
    begun = timezone.now() - datetime.timedelta(hours=4)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=begun, ends_at=begun + datetime.timedelta(hours=3)
    )
    follow(page, lambda: press(page, page.get_by_role("button", name="Kirjaudu ulos")))
    log_in(page, organiser_member.email, TEST_PASSWORD)
    visit(page, f"/fi/volunteering/manage/shifts/{shift.pk}/")
    expect(page.locator("main")).to_contain_text("Nelli Nuori")
    attendance = page.get_by_role("group", name="Nelli Nuori")
    # Tab reaches the checked radio of a group ("Not recorded"); arrows choose.
    press(page, attendance.get_by_label("Ei kirjattu"), "ArrowDown")
    expect(attendance.get_by_label("Osallistui")).to_be_checked()
    hours = attendance.get_by_label("Tunnit: Nelli Nuori")
    hours.fill("2,5")
    follow(page, lambda: press(page, page.get_by_role("button", name="Tallenna osallistuminen")))
    expect(page.get_by_role("status")).to_contain_text("Osallistumiset tallennettu: 1 muuttui.")
    signup.refresh_from_db()
    assert signup.hours == 2.5

    # The teen downloads the certificate.
    follow(page, lambda: press(page, page.get_by_role("button", name="Kirjaudu ulos")))
    log_in(page, teen.email, TEST_PASSWORD)
    visit(page, "/fi/volunteering/my/")
    expect(page.locator("main")).to_contain_text("Vahvistetut tunnit: 2,5 (1 vuoro).")
    with page.expect_download() as download:
        press(page, page.get_by_role("link", name="suomeksi"))
    path = download.value.path()
    assert download.value.suggested_filename == "vapaaehtoistodistus.pdf"
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
