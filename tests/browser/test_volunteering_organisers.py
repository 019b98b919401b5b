"""Volunteering's organisers and talkoot in the browser, without JavaScript and with it:
a resident registers an association, a city coach of its district verifies it, the
resident writes an opportunity with its place, adds a shift and publishes it, and
anyone finds it in the search with its place on the map; a resident proposes a
talkoot, placed on the map (typed without JavaScript), and the district's moderator
approves it. Every page is checked with axe."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.volunteering.models import Opportunity, Organiser, Talkoot
from tests.browser.helpers import follow, tab_to, visit
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.browser


@pytest.fixture(params=[False, True], ids=["without-javascript", "with-javascript"])
def context_options(request):
    return {"java_script_enabled": request.param}


@pytest.fixture
def sign_in(live_server):
    """Start a session for ``user`` in ``page`` (staff past the second factor)."""

    def sign_in(page, user):
        client = Client()
        if user.is_staff:
            sign_in_past_second_factor(client, user)
        else:
            client.force_login(user)
        page.context.clear_cookies()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in


def submit(page, name):
    """Reach the button with Tab and press Enter, then check the page that loads."""
    button = page.get_by_role("button", name=name, exact=True)
    follow(page, lambda: (tab_to(page, button), page.keyboard.press("Enter")))


def place(page, context_options, latitude, longitude):
    """Give the place: typed without JavaScript; marked on the map with the keyboard
    with it (the cross starts in the middle of the map)."""
    if not context_options["java_script_enabled"]:
        page.locator("input[name=latitude]").fill(latitude)
        page.locator("input[name=longitude]").fill(longitude)
        return
    tab_to(page, page.get_by_role("application", name="Helsingin kartta"), max_presses=120)
    page.keyboard.press("Enter")
    expect(page.locator(".map-input__status")).to_contain_text("Paikka merkitty")


def test_an_association_is_verified_and_publishes_a_task(
    page, transactional_db, helsinki, sign_in, context_options
):
    eastern = helsinki["eastern"]
    resident = UserFactory(full_name="Into Innokas", email="into@example.fi")
    coach = StaffRoleFactory(role=StaffRole.Role.CITY_COACH, area=eastern).user

    sign_in(page, resident)
    visit(page, "/fi/volunteering/manage/")
    follow(page, lambda: page.get_by_role("link", name="Rekisteröi järjestäjä").click())
    page.locator("input[name=name]").fill("Vuosaaren Vapaaehtoiset ry")
    page.locator("input[name=kind][value=association]").check()
    page.locator("select[name=district]").select_option(label=eastern.name_fi)
    page.locator("input[name=email]").fill("vvry@example.fi")
    submit(page, "Tallenna")
    expect(page.get_by_role("status")).to_contain_text("Järjestäjä on rekisteröity")
    organiser = Organiser.objects.get(name="Vuosaaren Vapaaehtoiset ry")
    assert organiser.status == Organiser.Status.PENDING

    # The coach of the district verifies it.
    sign_in(page, coach)
    visit(page, "/fi/volunteering/staff/")
    follow(page, lambda: page.get_by_role("link", name=organiser.name).click())
    submit(page, "Vahvista")
    organiser.refresh_from_db()
    assert organiser.status == Organiser.Status.VERIFIED and organiser.decided_by == coach

    # The member writes the task, adds a shift and publishes it.
    sign_in(page, resident)
    visit(page, f"/fi/volunteering/manage/{organiser.slug}/")
    follow(page, lambda: page.get_by_role("link", name="Uusi tehtävä").click())
    page.locator("input[name=title_fi]").fill("Lukukaveri Vuosaaren kirjastoon")
    page.locator("textarea[name=description_fi]").fill("Luetaan lasten kanssa.")
    page.locator("input[name=kind][value=one_off]").check()
    page.locator("input[name=place_text]").fill("Vuosaaren kirjasto")
    place(page, context_options, "60,2094", "25,1443")
    submit(page, "Tallenna")
    opportunity = Opportunity.objects.get(organiser=organiser)
    assert opportunity.has_point and opportunity.district == eastern
    day = datetime.date.today() + datetime.timedelta(days=12)
    page.locator("input[name=date]").fill(day.isoformat())
    page.locator("input[name=begins]").fill("17:00")
    page.locator("input[name=ends]").fill("19:00")
    page.locator("input[name=capacity]").fill("4")
    submit(page, "Lisää vuoro")
    submit(page, "Julkaise")
    expect(page.get_by_role("status")).to_contain_text("Tehtävä on julkaistu")

    # Anyone finds it in the district, with its places and its place on the map.
    page.context.clear_cookies()
    visit(page, f"/fi/volunteering/?district={eastern.pk}")
    result = page.locator(".result").filter(has_text="Lukukaveri Vuosaaren kirjastoon")
    expect(result).to_contain_text("4 paikkaa jäljellä")
    follow(page, lambda: result.get_by_role("link", name="Lukukaveri").click())
    expect(page.locator("figure.place-map .map-input__point")).to_have_count(1)


def test_a_resident_proposes_a_talkoot_and_the_moderator_approves_it(
    page, transactional_db, helsinki, sign_in, context_options
):
    eastern = helsinki["eastern"]
    resident = UserFactory(full_name="Tiina Talkoo", district=eastern)
    moderator = StaffRoleFactory(role=StaffRole.Role.DISTRICT_MODERATOR, area=eastern).user
    day = datetime.date.today() + datetime.timedelta(days=10)

    sign_in(page, resident)
    visit(page, "/fi/volunteering/talkoot/")
    follow(page, lambda: page.get_by_role("link", name="Ehdota talkoita").click())
    page.locator("input[name=title]").fill("Uutelan rantasiivous")
    page.locator("textarea[name=description]").fill("Kerätään roskat rannalta.")
    page.locator("input[name=place_text]").fill("Uutelan ranta")
    place(page, context_options, "60,1980", "25,1750")
    page.locator("input[name=starts_on]").fill(day.isoformat())
    page.locator("input[name=ends_on]").fill(day.isoformat())
    page.locator("input[name=expected_participants]").fill("15")
    page.get_by_label("Työkäsineet").check()
    submit(page, "Lähetä ehdotus")
    expect(page.get_by_role("status")).to_contain_text("Talkoosi odottavat")
    talkoot = Talkoot.objects.get(proposer=resident)
    assert talkoot.district == eastern and talkoot.has_point
    assert talkoot.equipment == ["gloves"]

    # The moderator of the district approves it, seeing its place on the map.
    sign_in(page, moderator)
    visit(page, "/fi/volunteering/staff/")
    follow(page, lambda: page.get_by_role("link", name="Uutelan rantasiivous").click())
    expect(page.locator("figure.place-map .map-input__point")).to_have_count(1)
    submit(page, "Hyväksy")
    expect(page.get_by_role("status")).to_contain_text("Päätös on tallennettu")
    talkoot.refresh_from_db()
    assert talkoot.status == Talkoot.Status.APPROVED and talkoot.decided_by == moderator

    # Now anyone sees it.
    page.context.clear_cookies()
    visit(page, "/fi/volunteering/talkoot/")
    follow(page, lambda: page.get_by_role("link", name="Uutelan rantasiivous").click())
    expect(page.locator("figure.place-map .map-input__point")).to_have_count(1)
