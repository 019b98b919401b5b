"""The open data page and the API documentation page: reached from the front page and
the footer, in each language, accessible (axe-core), and usable from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from osallistu.opendata import export
from tests.browser.helpers import follow, visit
from tests.opendata import world

pytestmark = pytest.mark.browser


@pytest.fixture
def exported(helsinki, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    world.build(helsinki)
    return export.export_all()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_open_data_page_and_api_documentation(page, exported, language):
    visit(page, f"/{language}/")
    follow(
        page, lambda: page.locator("main").get_by_role("link", name=_open_data(language)).click()
    )
    expect(page.locator("h1")).to_have_text(_open_data(language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#budgeting-plans")).to_be_visible()
    download = page.locator("a[href$='/open-data/files/budgeting-plans.zip']")
    expect(download).to_be_visible()
    # The columns open from the keyboard.
    summary = page.locator("section[aria-labelledby='areas'] summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(
        page.locator("section[aria-labelledby='areas'] code", has_text="name_sv")
    ).to_be_visible()

    follow(page, lambda: page.locator("main a[href$='/open-data/api/']").click())
    expect(page.locator("h1")).to_have_text(
        {"fi": "Avoimen datan rajapinta", "sv": "Gränssnitt för öppna data", "en": "Open data API"}[
            language
        ]
    )
    expect(page.locator("#budgeting-proposals")).to_be_visible()
    expect(
        page.locator("section[aria-labelledby='budgeting-proposals'] code", has_text="bbox")
    ).to_be_visible()


def test_open_data_is_linked_from_every_footer(page, helsinki):
    visit(page, "/sv/surveys/")
    follow(page, lambda: page.locator("footer").get_by_role("link", name="Öppna data").click())
    expect(page).to_have_url(re.compile(r"/sv/open-data/$"))


def _open_data(language):
    return {"fi": "Avoin data", "sv": "Öppna data", "en": "Open data"}[language]
