"""Issue 5, staff side: results with their filters, breakdowns, free-text search and
hearing moderation, reached past the second factor; every page passes axe-core."""

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from osallistu.demo import surveys as demo
from tests.browser.helpers import follow, log_in, serve_media, visit
from tests.factories import TEST_PASSWORD, StaffRoleFactory

pytestmark = pytest.mark.browser

KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def staff(transactional_db, helsinki, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo hearing's pictures, not into var/media/
    member = StaffRoleFactory(user__email="helena@example.fi").user
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True, key=KEY)
    monkeypatch.setattr(demo, "CLOSED_SURVEY_RESPONSES", 40)
    return member, [item for item, _note in demo.build_surveys(timezone.localdate())]


def test_staff_results_and_moderation(page, staff):
    member, (_open, closed, hearing) = staff
    serve_media(page)
    log_in(page, member.email, TEST_PASSWORD)
    # The staff pages ask for the second factor first, then go on.
    follow(page, lambda: page.goto(f"/fi/surveys/{closed.slug}/staff/results/"))
    page.get_by_label("Kuusinumeroinen koodi", exact=False).fill(f"{totp(bytes.fromhex(KEY)):06d}")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tulokset")

    page.get_by_label("Suurpiiri").select_option(label="Eteläinen")
    follow(page, lambda: page.get_by_role("button", name="Näytä").click())
    follow(page, lambda: page.get_by_role("link", name="Valinnat suurpiireittäin").click())
    expect(page.locator("main")).to_contain_text("Lähetettyjä vastauksia")
    visit(page, f"/fi/surveys/{closed.slug}/staff/breakdown/?by=age_group")
    visit(page, f"/fi/surveys/{closed.slug}/staff/texts/")
    page.get_by_label("Haettavat sanat").fill("puisto")
    follow(page, lambda: page.get_by_role("button", name="Hae").click())
    visit(page, "/fi/surveys/staff/")

    visit(page, f"/fi/surveys/hearings/{hearing.slug}/staff/")
    first = page.locator("li.hearing-moderation").filter(has_text="Lisää penkkejä")
    first.get_by_text("Vastaa virallisesti").click()
    first.get_by_label("Kaupungin virallinen vastaus").fill("Kiitos, asia on korjattu.")
    follow(page, lambda: first.get_by_role("button", name="Julkaise vastaus").click())
    expect(page.get_by_role("status")).to_contain_text("Valmis.")
    visit(page, f"/fi/surveys/hearings/{hearing.slug}/")
    expect(page.locator("main")).to_contain_text("Kiitos, asia on korjattu.")
