"""Issue 5 on a phone: the hearing's pictures and the drawn map fit the screen without
sideways scrolling, and a tap on the map marks the comment's place."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import MOBILE_VIEWPORT, log_in, serve_media, visit
from tests.browser.test_hearings import demo_hearing  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"viewport": MOBILE_VIEWPORT, "is_mobile": True, "has_touch": True}


def test_hearing_map_on_a_phone(page, resident, demo_hearing):  # noqa: F811
    serve_media(page)
    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/surveys/hearings/{demo_hearing.slug}/")
    width = MOBILE_VIEWPORT["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    picture = page.get_by_role("img", name=re.compile("Puiston luonnos"))
    assert picture.bounding_box()["width"] <= width

    area = page.get_by_role("application", name="Helsingin kartta")
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    assert box["width"] <= width
    area.tap(position={"x": box["width"] * 0.4, "y": box["height"] * 0.5})
    expect(page.locator("#comment_map .map-input__status")).to_contain_text("Paikka merkitty")
    expect(page.get_by_role("textbox", name="Leveysaste (vapaaehtoinen)")).not_to_have_value("")
