"""Issue 2: a resident switches language and logs in; every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import follow, log_in, tab_to, visit

pytestmark = pytest.mark.browser


def language_link(page, code):
    return page.locator(f"header a[hreflang='{code}']")


def test_switch_language_then_log_in_and_see_own_district(page, resident, live_server):
    visit(page, "/fi/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")

    # To Swedish with the keyboard only.
    tab_to(page, language_link(page, "sv"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert page.url == f"{live_server.url}/sv/"

    # To English with the mouse.
    follow(page, lambda: language_link(page, "en").click())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{live_server.url}/en/"
    # The switcher is a named navigation landmark; each language's name is marked up
    # in that language, and the current one is marked as current.
    switcher = page.get_by_role("navigation", name="Language")
    for code, name in (("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")):
        link = switcher.get_by_role("link", name=name, exact=True)
        expect(link).to_have_attribute("lang", code)
        expect(link).to_have_attribute("hreflang", code)
    expect(switcher.locator("[aria-current]")).to_have_attribute("hreflang", "en")

    log_in(page, resident.email, resident.plain_password, language="en")
    expect(page).to_have_url(re.compile(r"/en/accounts/profile/$"))
    expect(page.get_by_test_id("district")).to_have_text("Central")

    # The same profile page in the other languages names the district in each.
    for code, district in (("sv", "Mellersta"), ("fi", "Keskinen")):
        follow(page, lambda code=code: language_link(page, code).click())
        expect(page).to_have_url(re.compile(rf"/{code}/accounts/profile/$"))
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.get_by_test_id("district")).to_have_text(district)
