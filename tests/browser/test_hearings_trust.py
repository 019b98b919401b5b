"""Issue 12, items 3 and 8, in the browser: a district moderator past the second factor
sees and moderates only the hearings of their district, and text refused for its
length comes back next to its field, in its open disclosure, with nothing lost.
Every page passes axe-core (the 403 page too)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.surveys.models import Comment, CommentFlag
from tests.browser.helpers import follow, log_in, visit
from tests.factories import TEST_PASSWORD, StaffRoleFactory
from tests.surveys.factories import HearingFactory

pytestmark = pytest.mark.browser

KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def hearings(transactional_db, helsinki):
    eastern = HearingFactory(slug="itakeskus", title_fi="Itäkeskuksen puisto")
    eastern.districts.set([helsinki["eastern"]])
    city = HearingFactory(slug="koko-kaupunki", title_fi="Kaupungin pyörätiet")
    for hearing in (eastern, city):
        Comment.objects.create(hearing=hearing, text=f"Hyvä suunnitelma: {hearing.slug}")
    return eastern, city


def _without_maxlength(locator):
    """As a client that ignores maxlength would post: the server must refuse, not cut."""
    locator.evaluate("field => field.removeAttribute('maxlength')")


def test_a_district_moderator_moderates_only_their_district(page, hearings, helsinki):
    city = hearings[1]
    moderator = StaffRoleFactory(
        role=StaffRole.Role.DISTRICT_MODERATOR,
        area=helsinki["eastern"],
        user__email="timo@example.fi",
    ).user
    TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True, key=KEY)
    log_in(page, moderator.email, TEST_PASSWORD)
    follow(page, lambda: page.goto("/fi/surveys/staff/"))
    page.get_by_label("Kuusinumeroinen koodi", exact=False).fill(f"{totp(bytes.fromhex(KEY)):06d}")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    main = page.locator("main")
    expect(main.get_by_role("link", name="Itäkeskuksen puisto")).to_be_visible()
    expect(main).not_to_contain_text("Kaupungin pyörätiet")

    follow(page, lambda: main.get_by_role("link", name="Itäkeskuksen puisto").click())
    item = page.locator("li.hearing-moderation")
    item.get_by_text("Vastaa virallisesti").click()
    field = item.get_by_label("Kaupungin virallinen vastaus")
    _without_maxlength(field)
    answer = "Kiitos palautteesta. " * 240 + "Loppu."  # 5,046 characters
    field.fill(answer)
    follow(page, lambda: item.get_by_role("button", name="Julkaise vastaus").click())
    item = page.locator("li.hearing-moderation")
    expect(item.locator("details[open]")).to_have_count(1)
    expect(item.locator(".field__error")).to_contain_text("enintään 5000 merkkiä")
    expect(item.get_by_label("Kaupungin virallinen vastaus")).to_have_value(answer)
    assert not Comment.objects.filter(is_official=True).exists()

    visit(page, f"/fi/surveys/hearings/{city.slug}/staff/", status=403)


def test_a_long_report_reason_comes_back_to_its_field(page, resident, hearings):
    eastern, _city = hearings
    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/surveys/hearings/{eastern.slug}/")
    comment = page.locator("article.hearing-comment")
    comment.get_by_text("Ilmoita moderaattorille").click()
    field = comment.get_by_label("Mikä siinä on vialla?", exact=False)
    _without_maxlength(field)
    reason = "Kommentissa on toisen ihmisen nimi ja osoite. " * 8  # 376 characters
    field.fill(reason)
    follow(page, lambda: comment.get_by_role("button", name="Ilmoita", exact=True).click())
    comment = page.locator("article.hearing-comment")
    expect(comment.locator("details[open]")).to_have_count(1)
    expect(comment.locator(".field__error")).to_contain_text("enintään 300 merkkiä")
    expect(comment.get_by_label("Mikä siinä on vialla?", exact=False)).to_have_value(reason)
    expect(page.get_by_role("status")).to_have_count(0)  # no thanks
    assert not CommentFlag.objects.exists()
