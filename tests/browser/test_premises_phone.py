"""The space page's week calendar on a phone: the free times are on screen without
scrolling, and what does not fit scrolls in a labelled region that the keyboard can
reach and scroll (axe-core's scrollable-region-focusable), also in a week with
nothing free, where the region holds no link of its own."""

import datetime
import re

import pytest
from django.utils import timezone

from osallistu.premises.selectors import week_start
from tests.browser.helpers import MOBILE_VIEWPORT, assert_focus_visible, tab_to, visit
from tests.premises.factories import SpaceFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"viewport": MOBILE_VIEWPORT, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("width", [375, 320])
def test_free_times_are_on_screen_and_the_calendar_scrolls_by_keyboard(
    page, transactional_db, helsinki, width
):
    space = SpaceFactory(name_fi="Kokoushuone Kaarlo")
    page.set_viewport_size({"width": width, "height": 740})
    # Next week: late on a Sunday this week has no free time left.
    week = week_start(timezone.localdate()) + datetime.timedelta(days=7)
    visit(page, f"/fi/premises/spaces/{space.slug}/?week={week.isoformat()}")
    region = page.get_by_role("region", name=re.compile(r"^Viikko"))
    header = page.get_by_role("columnheader", name="Vapaat ajat")
    box = header.bounding_box()
    assert box["x"] + box["width"] <= width, f"the free times start off-screen: {box}"
    first_slot = region.locator(".slots a").first
    slot = first_slot.bounding_box()
    assert slot["x"] + slot["width"] <= width
    tab_to(page, region, max_presses=80)
    assert_focus_visible(page)
    if region.evaluate("element => element.scrollWidth > element.clientWidth"):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('.table-scroll[role=region]').scrollLeft > 0"
        )
    # No horizontal scrolling of the page itself.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_week_with_nothing_free_passes_axe_at_phone_width(page, transactional_db, helsinki):
    closed = SpaceFactory(name_fi="Suljettu sali", hours=[])
    page.set_viewport_size(MOBILE_VIEWPORT)
    visit(page, f"/fi/premises/spaces/{closed.slug}/")
    region = page.get_by_role("region", name=re.compile(r"^Viikko"))
    assert region.locator("a").count() == 0
    assert region.get_attribute("tabindex") == "0"
