"""Issue 4, the optional map location of a proposal: a resident marks the place of a new
proposal on the drawn map with the keyboard alone; without JavaScript the map stays
hidden and the typed coordinates do the same. The proposal's page and the list then
show the place on a map drawn by the server. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from osallistu.budgeting.models import Proposal
from osallistu.core import geo
from tests.browser.helpers import assert_focus_visible, follow, log_in, tab_to, visit
from tests.budgeting import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def proposing_round(transactional_db, helsinki):
    return factories.proposing_round(helsinki.values(), slug="ideat", name_fi="OmaStadi 2027")


def write_the_idea(page, helsinki):
    page.get_by_role("radio", name=helsinki["south-eastern"].name_fi, exact=True).check()
    page.locator("input[name=theme]").first.check()
    page.locator("input[name=title]").fill("Laituri Herttoniemen rantaan")
    page.locator("textarea[name=description]").fill("Laituri veneille ja uimareille.")


def test_resident_marks_the_place_with_the_keyboard(page, resident, proposing_round, helsinki):
    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/budgeting/{proposing_round.slug}/proposals/new/")
    write_the_idea(page, helsinki)
    latitude = page.get_by_role("textbox", name="Leveysaste (vapaaehtoinen)")
    longitude = page.get_by_role("textbox", name="Pituusaste (vapaaehtoinen)")

    # The map comes right after the coordinates it fills in.
    area = page.get_by_role("application", name="Helsingin kartta")
    expect(area).to_be_visible()
    tab_to(page, latitude)
    tab_to(page, area, max_presses=4)
    assert_focus_visible(page)
    status = page.locator(".map-input__status")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text("Risti: suurpiiri Kaakkoinen.")
    page.keyboard.press("Enter")  # the cross starts in the middle of the map
    expect(status).to_contain_text("Paikka merkitty")
    expect(status).to_contain_text("Suurpiiri: Kaakkoinen.")
    expect(page.locator(".map-input__point")).to_have_count(1)
    typed_lat, typed_lon = latitude.input_value(), longitude.input_value()
    assert re.fullmatch(r"60,\d{5}", typed_lat) and re.fullmatch(r"25,\d{5}", typed_lon)

    # Moved and marked again: the fields follow the mark.
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Enter")
    expect(latitude).not_to_have_value(typed_lat)
    expect(status).to_contain_text("Suurpiiri: Kaakkoinen.")

    tab_to(page, page.get_by_role("button", name="Lähetä ehdotus"))
    follow(page, lambda: page.keyboard.press("Enter"))
    proposal = Proposal.objects.get(author=resident)
    lon, lat = float(proposal.longitude), float(proposal.latitude)
    assert lat < float(typed_lat.replace(",", "."))  # Shift+ArrowDown went south
    assert geo.district_of(lon, lat) == "south-eastern"
    # The proposal's page shows the point on a map drawn by the server.
    expect(page.locator("figure.proposal-map .map-input__point")).to_have_count(1)
    expect(page.locator("figure.proposal-map figcaption")).to_contain_text("kartalla")

    # The list has a map whose mark links to the proposal, and the list itself.
    visit(page, f"/fi/budgeting/{proposing_round.slug}/proposals/")
    mark = page.locator("a.map__link")
    expect(mark).to_have_count(1)
    follow(page, lambda: mark.click())
    assert page.url.endswith(f"/proposals/{proposal.pk}/")


@pytest.fixture
def context_options(request):
    if request.node.name.endswith("without_javascript"):
        return {"java_script_enabled": False}
    return {}


def test_typed_coordinates_without_javascript(page, resident, proposing_round, helsinki):
    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/budgeting/{proposing_round.slug}/proposals/new/")
    expect(page.locator(".map-input")).to_be_hidden()
    write_the_idea(page, helsinki)
    page.get_by_role("textbox", name="Osoite tai paikka (vapaaehtoinen)").fill("Herttoniemen ranta")
    page.get_by_role("textbox", name="Leveysaste (vapaaehtoinen)").fill("60,1899")
    page.get_by_role("textbox", name="Pituusaste (vapaaehtoinen)").fill("25,0412")
    follow(page, lambda: page.get_by_role("button", name="Lähetä ehdotus").click())
    proposal = Proposal.objects.get(author=resident)
    assert (str(proposal.latitude), str(proposal.longitude)) == ("60.189900", "25.041200")
    expect(page.locator("figure.proposal-map .map-input__point")).to_have_count(1)
    visit(page, f"/fi/budgeting/{proposing_round.slug}/proposals/")
    expect(page.locator("a.map__link")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Herttoniemen ranta")
