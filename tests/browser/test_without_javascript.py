"""Without JavaScript the language switcher and logging in still work."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import follow, log_in, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


def test_switch_language_and_log_in_without_javascript(page, resident, live_server):
    visit(page, "/fi/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")

    follow(page, lambda: page.locator("header a[hreflang='sv']").click())
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert page.url == f"{live_server.url}/sv/"

    log_in(page, resident.email, resident.plain_password, language="sv")
    expect(page).to_have_url(re.compile(r"/sv/accounts/profile/$"))
    expect(page.get_by_test_id("district")).to_have_text("Mellersta")

    follow(page, lambda: page.locator("header a[hreflang='en']").click())
    expect(page).to_have_url(re.compile(r"/en/accounts/profile/$"))
    expect(page.get_by_test_id("district")).to_have_text("Central")
