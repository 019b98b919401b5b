"""Issue 20, a ballot residents find their way in: a voter finds the sports plans of
their neighbourhood, ticks two from the map and one from the list, leaves, comes back
the next day on another device and votes, with the keyboard only, with and without
JavaScript, on a desktop screen and at 375 px. On a phone the filters fold away, the
money left stays in view and the map's marks are big enough to tap. axe-core checks
every page on the way."""

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Neighbourhood
from osallistu.budgeting.models import Participation, Shortlist, Theme
from tests.browser.helpers import (
    MOBILE_VIEWPORT,
    assert_all_checked,
    assert_focus_visible,
    follow,
    serve_media,
    tab_to,
    visit,
    watch,
)
from tests.browser.test_budgeting_voting import (  # noqa: F401 (sign_in is a fixture)
    chosen_codes,
    keyboard_log_in,
    press_on,
    sign_in,
)
from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory
from tests.factories import (
    TEST_PASSWORD,
    StaffRoleFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"viewport": MOBILE_VIEWPORT, "is_mobile": True, "has_touch": True}


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture
def ballot_round(transactional_db, helsinki):
    """The Eastern district's ballot: sports and other plans in Vuosaari and Mellunkylä,
    and city-wide plans."""
    round = RoundFactory(slug="omastadi", name_fi="OmaStadi 2026")
    RoundBudgetFactory(round=round, area=helsinki["eastern"], amount=300_000)
    RoundBudgetFactory(round=round, area=helsinki["city"], amount=400_000)
    vuosaari = Neighbourhood.objects.get(slug="vuosaari")
    mellunkyla = Neighbourhood.objects.get(slug="mellunkyla")

    def plan(code, title, theme, hood, cost, place, area="eastern"):
        return PlanFactory(
            round=round,
            area=helsinki[area],
            code=code,
            title_fi=title,
            theme=theme,
            neighbourhood=hood,
            cost_high=cost,
            cost_low=cost // 2,
            place=place,
        )

    round.plan = {
        "I-001": plan(
            "I-001", "Skeittiparkki Vuosaareen", Theme.SPORTS, vuosaari, 100_000,
            point(25.145, 60.21),
        ),
        "I-002": plan(
            "I-002", "Kuntoportaat Vuosaaren rantaan", Theme.SPORTS, vuosaari, 80_000,
            point(25.155, 60.205),
        ),
        "I-003": plan("I-003", "Liikuntakerho nuorille", Theme.SPORTS, vuosaari, 40_000, None),
        "I-004": plan(
            "I-004", "Kuntoportaat Kivikkoon", Theme.SPORTS, mellunkyla, 120_000,
            point(25.105, 60.238),
        ),
        "I-005": plan(
            "I-005", "Penkkejä rantapuistoon", Theme.PARKS, vuosaari, 50_000,
            point(25.14, 60.207),
        ),
        "H-001": plan(
            "H-001", "Kirjastoihin pelihuoneet", Theme.CULTURE, vuosaari, 150_000, None, "city"
        ),
    }  # fmt: skip
    return round


@pytest.fixture
def voter(ballot_round, helsinki):
    return VerifiedResidentFactory(
        email="ville.vuosaari@example.fi", district=helsinki["eastern"], postal_code="00980"
    )


def choose_option(page, label, option):
    """Pick an option of a select with the keyboard: focus it and type the start of it."""
    select = page.get_by_label(label, exact=True)
    tab_to(page, select)
    assert_focus_visible(page)
    page.keyboard.type(option)
    expect(select.locator("option:checked")).to_have_text(option)


def open_with_keyboard(page, details):
    """Open a disclosure with the keyboard unless it is open already."""
    if not details.evaluate("element => element.open"):
        summary = details.locator("summary")
        tab_to(page, summary)
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        expect(details).to_have_attribute("open", "")


def to_the_ballot(page, round):
    """From the round's page to the ballot of the home district, by keyboard."""
    visit(page, f"/fi/budgeting/{round.slug}/")
    press_on(page, page.get_by_role("link", name="Äänestä nyt"))
    district = page.get_by_role("group", name="Minkä suurpiirin suunnitelmia haluat äänestää?")
    expect(district.get_by_role("radio", name="Itäinen")).to_be_checked()
    press_on(page, page.get_by_role("button", name="Jatka suunnitelmiin"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Valitse suunnitelmat: Itäinen")


def tick_from_the_map(page, plan):
    """Open the map, follow the plan's mark to its page, choose it, and come back."""
    open_with_keyboard(page, page.locator("details.ballot-map-box"))
    mark = page.locator("a.ballot-map__link", has=page.locator("title", has_text=plan.code))
    press_on(page, mark)
    expect(page.get_by_role("heading", level=1)).to_contain_text(plan.title_fi)
    expect(page.locator("main")).to_contain_text("Tämä suunnitelma ei ole valinnoissasi.")
    press_on(page, page.get_by_role("button", name="Valitse tämä suunnitelma"))
    expect(page.locator("main .messages")).to_contain_text("on valinnoissasi")
    press_on(page, page.get_by_role("link", name="Takaisin suunnitelmiin").first)
    expect(page.locator(f"input.ballot-plan__tick[value='{plan.pk}']")).to_be_checked()


@pytest.mark.parametrize(
    "context_options",
    [
        pytest.param({"viewport": DESKTOP}, id="desktop"),
        pytest.param({"viewport": DESKTOP, "java_script_enabled": False}, id="desktop-nojs"),
        pytest.param(PHONE, id="phone"),
        pytest.param({**PHONE, "java_script_enabled": False}, id="phone-nojs"),
    ],
)
def test_a_voter_finds_ticks_leaves_comes_back_and_votes(
    page, browser, live_server, context_options, ballot_round, voter
):
    javascript = context_options.get("java_script_enabled", True)
    plan = ballot_round.plan
    keyboard_log_in(page, voter.email, TEST_PASSWORD)
    to_the_ballot(page, ballot_round)

    # The sports plans of Vuosaari: the filters are a disclosure (folded on a phone).
    filters = page.locator("details.ballot-filters")
    if context_options["viewport"] == MOBILE_VIEWPORT or not javascript:
        expect(filters).not_to_have_attribute("open", "")
    open_with_keyboard(page, filters)
    choose_option(page, "Teema", "Liikunta ja ulkoilu")
    choose_option(page, "Peruspiiri", "Vuosaari")
    press_on(page, page.get_by_role("button", name="Näytä suunnitelmat"))
    assert "theme=sports" in page.url and "neighbourhood=vuosaari" in page.url
    expect(page.locator("main")).to_contain_text("Näytetään 3/6 suunnitelmaa.")
    codes = page.locator("li.ballot-plan .plan-choice__code")
    expect(codes).to_have_text(["I-001", "I-002", "I-003"])

    # Two from the map, one from the list.
    tick_from_the_map(page, plan["I-001"])
    tick_from_the_map(page, plan["I-002"])
    box = page.locator(f"input.ballot-plan__tick[value='{plan['I-003'].pk}']")
    tab_to(page, box)
    assert_focus_visible(page)
    if javascript:
        with page.expect_response(lambda response: "/choose/" in response.url) as saved:
            page.keyboard.press("Space")
        assert saved.value.ok
        expect(page.locator(".budget-left").first).to_have_text("Itäinen: rahaa jäljellä 80 000 €")
    else:
        page.keyboard.press("Space")
        press_on(page, page.get_by_role("button", name="Tallenna valintani"))
        expect(page.locator("main .messages")).to_contain_text("Valintasi on tallennettu.")
        expect(page.locator(".budget-left").first).to_have_text("Itäinen: rahaa jäljellä 80 000 €")
    # The money left stays in view while the list scrolls.
    total = page.locator(".ballot-total")
    page.locator("li.ballot-plan").first.scroll_into_view_if_needed()
    expect(total).to_be_in_viewport()
    assert Participation.objects.count() == 0
    assert Shortlist.objects.count() == 1
    page.context.close()

    # The next day, on another device.
    options = {"base_url": live_server.url, "locale": "fi-FI", **context_options}
    other = browser.new_context(**options)
    other.set_default_timeout(10_000)
    again = watch(other.new_page(), javascript)
    try:
        keyboard_log_in(again, voter.email, TEST_PASSWORD)
        to_the_ballot(again, ballot_round)
        ticked = again.locator("input.ballot-plan__tick:checked")
        expect(ticked).to_have_count(3)
        expect(again.locator(".budget-left").first).to_have_text("Itäinen: rahaa jäljellä 80 000 €")
        expect(again.locator("main")).to_contain_text("Olet valinnut 3 suunnitelmaa.")
        press_on(again, again.get_by_role("button", name="Tarkista valintani"))
        expect(again.get_by_role("heading", level=1)).to_have_text("Tarkista valintasi")
        for code in ("I-001", "I-002", "I-003"):
            expect(again.locator("main")).to_contain_text(plan[code].title_fi)
        press_on(again, again.get_by_role("button", name="Äänestä", exact=True))
        expect(again.get_by_role("heading", level=1)).to_have_text("Kiitos, että äänestit!")
    finally:
        assert_all_checked(again)
        other.close()
    assert chosen_codes(ballot_round) == {"I-001", "I-002", "I-003"}
    assert not Shortlist.objects.exists()


@pytest.mark.parametrize("context_options", [PHONE])
def test_the_map_marks_are_big_enough_to_tap_on_a_phone(page, ballot_round, voter, sign_in):  # noqa: F811
    sign_in(page, voter)
    visit(page, f"/fi/budgeting/{ballot_round.slug}/vote/eastern/?theme=sports")
    details = page.locator("details.ballot-map-box")
    expect(details).not_to_have_attribute("open", "")
    details.locator("summary").tap()
    target = page.locator(
        "a.ballot-map__link", has=page.locator("title", has_text="I-001")
    ).locator(".ballot-map__target")
    box = target.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box
    follow(page, lambda: target.tap())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skeittiparkki Vuosaareen")


@pytest.mark.parametrize("context_options", [PHONE])
def test_ballot_plan_and_comparison_fit_a_phone(page, ballot_round, voter, sign_in):  # noqa: F811
    from tests.browser.test_mobile import assert_fits_a_phone

    plan = ballot_round.plan
    sign_in(page, voter)
    visit(page, f"/fi/budgeting/{ballot_round.slug}/vote/eastern/")
    page.locator("details.ballot-map-box summary").tap()
    page.locator("details.ballot-filters summary").tap()
    assert_fits_a_phone(page)
    visit(page, f"/fi/budgeting/{ballot_round.slug}/vote/eastern/plans/I-001/")
    assert_fits_a_phone(page)
    # Three plans side by side scroll inside their table, not the page.
    compared = "&".join(f"plans={plan[code].pk}" for code in ("I-001", "I-002", "I-004"))
    visit(page, f"/fi/budgeting/{ballot_round.slug}/vote/eastern/compare/?{compared}")
    expect(page.get_by_role("columnheader")).to_have_count(3)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    region = page.get_by_role(
        "region", name="3 suunnitelmaa: kustannus, paikka ja mitä kukin tekee."
    )
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")


def test_a_coach_gives_a_plan_its_place_and_a_picture_and_voters_see_them(
    page, live_server, transactional_db, helsinki, settings, tmp_path
):
    """The coach's plan form and pictures page, then the ballot: the neighbourhood, the
    place on the map and the described picture reach the voter."""
    settings.MEDIA_ROOT = tmp_path
    serve_media(page)
    round = RoundFactory(
        slug="seuraava",
        name_fi="OmaStadi 2027",
        voting_starts_at=timezone.now() + timedelta(days=30),
        voting_ends_at=timezone.now() + timedelta(days=50),
    )
    RoundBudgetFactory(round=round, area=helsinki["eastern"], amount=300_000)
    PlanFactory(
        round=round,
        area=helsinki["eastern"],
        code="I-001",
        title_fi="Laituri",
        description_fi="Laituri ja penkit rantaan.",
    )
    coach = StaffRoleFactory(role=StaffRole.Role.CITY_COACH, area=helsinki["eastern"]).user

    def use_session_of(user, staff=False):
        client = Client()
        if staff:
            sign_in_past_second_factor(client, user)
        else:
            client.force_login(user)
        page.context.clear_cookies()
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    use_session_of(coach, staff=True)
    visit(page, "/fi/budgeting/seuraava/staff/plans/I-001/")
    form = page.locator("main form.stacked")
    form.get_by_label("Peruspiiri").select_option(label="Vuosaari")
    form.get_by_label("Paikka suomeksi").fill("Vuosaaren laituri")
    form.get_by_label("Paikka kartalla").fill("60,2101 25,1432")
    follow(page, lambda: page.get_by_role("button", name="Tallenna suunnitelma").click())
    expect(page.locator("main .messages")).to_contain_text("Suunnitelma on tallennettu.")

    follow(page, lambda: page.get_by_role("link", name="Lisää, kuvaile tai poista kuvia").click())
    drawing = io.BytesIO()
    Image.new("RGB", (64, 48), (60, 120, 200)).save(drawing, "PNG")
    page.get_by_label("Kuva", exact=True).set_input_files(
        {"name": "laituri.png", "mimeType": "image/png", "buffer": drawing.getvalue()}
    )
    for label, text in {
        "Kuvaus suomeksi": "Laituri meren rannassa",
        "Kuvaus ruotsiksi": "Brygga vid havet",
        "Kuvaus englanniksi": "A pier by the sea",
    }.items():
        page.get_by_label(label).last.fill(text)
    follow(page, lambda: page.get_by_role("button", name="Lisää kuva").click())
    expect(page.locator("main .messages")).to_contain_text("Kuva on lisätty.")
    expect(page.get_by_role("img", name="Laituri meren rannassa")).to_be_visible()

    # Voting starts; a voter of Vuosaari finds the plan there, with its picture and mark.
    round.voting_starts_at = timezone.now() - timedelta(hours=1)
    round.save()
    voter = VerifiedResidentFactory(district=helsinki["eastern"], postal_code="00980")
    use_session_of(voter)
    visit(page, "/fi/budgeting/seuraava/vote/eastern/?neighbourhood=vuosaari")
    listed = page.locator("li.ballot-plan")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Vuosaari")
    expect(listed).to_contain_text("Vuosaaren laituri")
    picture = listed.get_by_role("img", name="Laituri meren rannassa")
    expect(picture).to_be_visible()
    assert picture.evaluate("image => image.naturalWidth") > 0
    mark = page.locator("a.ballot-map__link", has=page.locator("title", has_text="I-001"))
    expect(mark).to_have_count(1)
