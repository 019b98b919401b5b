"""The header's links to the parts of the model: on every page, marked where the page
belongs, reachable with the keyboard, and fitting a phone without JavaScript tricks."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import MOBILE_VIEWPORT, assert_focus_visible, follow, tab_to, visit

pytestmark = pytest.mark.browser

PARTS = ["Osallistuva budjetointi", "Kyselyt", "Varaa kaupungin tiloja"]


def main_nav(page):
    return page.get_by_role("navigation", name="Päävalikko")


def test_an_inner_page_links_to_every_part_and_marks_its_own(page, transactional_db):
    visit(page, "/fi/surveys/hearings/")
    nav = main_nav(page)
    for title in PARTS:
        expect(nav.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Kyselyt", exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    budgeting = nav.get_by_role("link", name="Osallistuva budjetointi", exact=True)
    expect(budgeting).not_to_have_attribute("aria-current", "true")
    tab_to(page, budgeting)
    assert_focus_visible(page)
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page).to_have_url(f"{page.url.split('/fi/')[0]}/fi/budgeting/")
    expect(main_nav(page).get_by_role("link", name="Osallistuva budjetointi")).to_have_attribute(
        "aria-current", "page"
    )


@pytest.mark.parametrize("width", [MOBILE_VIEWPORT["width"], 320])
def test_the_header_fits_a_phone(page, transactional_db, width):
    page.set_viewport_size({"width": width, "height": MOBILE_VIEWPORT["height"]})
    visit(page, "/fi/premises/")
    nav = main_nav(page)
    for title in PARTS:
        box = nav.get_by_role("link", name=title, exact=True).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (title, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
