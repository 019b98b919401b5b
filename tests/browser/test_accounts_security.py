"""Issue 12's account pages in the browser, each checked with axe: registration by an
e-mailed link, a staff member's first authenticator app and the admin's way to the
second step, and a city administrator's reset of a lost app."""

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole, User
from osallistu.core import jobs
from osallistu.demo.people import DEMO_PASSWORD
from tests.browser.helpers import follow, log_in, visit
from tests.factories import StaffRoleFactory, UserFactory

pytestmark = pytest.mark.browser


def submit(page):
    follow(page, lambda: page.locator("main form button[type=submit]").first.click())


def test_registration_finishes_from_the_link_in_the_e_mail(page, transactional_db, live_server):
    visit(page, "/fi/accounts/register/")
    page.locator("input[name=email]").fill("Uusi.Asukas@Example.fi")
    page.locator("input[name=full_name]").fill("Uusi Asukas")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(r"/fi/accounts/register/sent/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista sähköpostisi")

    jobs.run_pending()
    (message,) = mail.outbox
    link = re.search(r"http://\S+/register/confirm/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    visit(page, link.removeprefix(live_server.url))
    expect(page.locator("main")).to_contain_text("uusi.asukas@example.fi")
    submit(page)
    expect(page).to_have_url(re.compile(r"/fi/accounts/profile/$"))
    assert User.objects.filter(email="uusi.asukas@example.fi", full_name="Uusi Asukas").exists()

    # An old or wrong link says so, in the language of the page.
    visit(page, "/sv/accounts/register/confirm/no-such-link/", status=404)
    expect(page.get_by_role("alert")).to_contain_text("Länken gäller inte längre")


def test_staff_set_up_their_first_app_from_the_admin_and_get_in(page, transactional_db):
    staff = UserFactory(is_staff=True, is_superuser=True, email="uusi.yllapitaja@example.fi")
    log_in(page, staff.email, "correct horse battery staple")
    # The admin sends a signed-in member of staff to the second step, not to its login.
    follow(page, lambda: page.goto("/fi/admin/"))
    expect(page).to_have_url(re.compile(r"/fi/accounts/two-step/setup/\?next="))
    expect(page.locator("main")).not_to_contain_text("OTP")
    key = page.locator("code.secret").inner_text()
    page.locator("input[name=token]").fill(f"{totp(_bytes_of(key)):06d}")
    submit(page)
    expect(page).to_have_url(re.compile(r"/fi/admin/$"))
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1


def _bytes_of(base32_key):
    import base64

    return base64.b32decode(base32_key)


def test_a_second_app_needs_the_first_and_the_admin_asks_for_its_code(page, transactional_db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    log_in(page, staff.email, "correct horse battery staple")
    follow(page, lambda: page.goto("/fi/accounts/two-step/setup/"))
    expect(page).to_have_url(re.compile(r"/fi/accounts/two-step/\?next="))
    page.locator("input[name=token]").fill(f"{totp(device.bin_key):06d}")
    submit(page)
    expect(page).to_have_url(re.compile(r"/fi/accounts/two-step/setup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lisää todennussovellus")
    expect(page.get_by_label("Poista muut todennussovellukseni")).to_be_visible()


def test_a_city_administrator_resets_a_lost_app(page, transactional_db, helsinki):
    moderator = StaffRoleFactory(
        role=StaffRole.Role.DISTRICT_MODERATOR,
        area=helsinki["eastern"],
        user__full_name="Timo Tarkka",
    ).user
    TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True)
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    log_in(page, admin.email, "correct horse battery staple")
    follow(page, lambda: page.goto("/fi/staff/"))
    page.locator("input[name=token]").fill(f"{totp(device.bin_key):06d}")
    submit(page)
    follow(page, lambda: page.get_by_role("link", name="Henkilöstön tilit").click())
    follow(
        page,
        lambda: page.get_by_role(
            "link", name="Nollaa käyttäjän Timo Tarkka kaksivaiheinen tunnistautuminen"
        ).click(),
    )
    submit(page)
    expect(page).to_have_url(re.compile(r"/fi/accounts/staff/$"))
    expect(page.locator("main")).to_contain_text("Timo Tarkka")
    assert not TOTPDevice.objects.filter(user=moderator).exists()
