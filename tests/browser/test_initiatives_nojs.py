"""Residents' initiatives without JavaScript: the map stays hidden, the place is typed
as an address and coordinates, and the draft is published and supported. Every page
passes axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.areas.models import Population
from osallistu.initiatives.models import Initiative, State
from tests.browser.helpers import follow, log_in, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


def test_an_initiative_without_javascript(page, resident, helsinki):
    Population.objects.create(
        area=helsinki["city"], year=timezone.localdate().year - 1, age_from=18, count=564_000
    )
    log_in(page, resident.email, resident.plain_password, language="en")
    visit(page, "/en/initiatives/new/")
    expect(page.locator(".map-input")).to_be_hidden()
    page.get_by_label("Title").fill("Benches in Karhupuisto")
    page.get_by_label("What do you ask the city to do?").fill("Ten more benches.")
    page.get_by_label("Why?").fill("Older people need places to rest.")
    page.get_by_label("English").check()
    page.get_by_label("Which area is it about?").select_option("central")
    page.get_by_label("Latitude (optional)").fill("60,1850")
    page.get_by_label("Longitude (optional)").fill("24,9500")
    follow(page, lambda: page.get_by_role("button", name="Save the draft").click())
    expect(page.get_by_text("Point on the map: 60.185000 N, 24.950000 E")).to_be_visible()
    follow(page, lambda: page.get_by_role("button", name="Publish to collect support").click())
    follow(page, lambda: page.get_by_role("button", name="Support this initiative").click())
    expect(page.get_by_text("Thank you! Your support is recorded.")).to_be_visible()
    initiative = Initiative.objects.get()
    assert initiative.state == State.COLLECTING and initiative.supports.count() == 1
