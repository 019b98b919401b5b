"""Issue 5: a resident answers the demo's branching survey with the keyboard only and
JavaScript off (the server applies the conditions), saves, comes back and sends.
Every page on the way passes axe-core."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.demo import surveys as demo
from tests.browser.helpers import follow, log_in, serve_media, tab_to, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


@pytest.fixture
def demo_surveys(transactional_db, helsinki, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo, "CLOSED_SURVEY_RESPONSES", 40)
    return [item for item, _note in demo.build_surveys(timezone.localdate())]


def press_button(page, name):
    """Tab to a button and press Enter, as a keyboard user does; wait for the page."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    follow(page, lambda: page.keyboard.press("Enter"))


def test_branching_survey_keyboard_only_without_javascript(page, resident, demo_surveys):
    survey = demo_surveys[0]
    log_in(page, resident.email, resident.plain_password)
    visit(page, "/fi/surveys/")
    follow(page, lambda: page.get_by_role("link", name="Pyöräily Helsingissä").click())
    press_button(page, "Aloita vastaaminen")
    expect(page.get_by_text("Sivu 1, sivuja enintään 4")).to_be_visible()

    # The required question left empty: the page comes back with the error beside it.
    press_button(page, "Seuraava")
    expect(page.get_by_role("alert")).to_contain_text("Tarkista alla merkityt vastaukset")
    cycles = page.get_by_role("group", name=re.compile("Pyöräiletkö Helsingissä"))
    expect(cycles).to_contain_text("Tähän kysymykseen on vastattava.")

    # "Every day", and walking; then on.
    tab_to(page, cycles.get_by_role("radio", name="Päivittäin"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("checkbox", name="Kävellen"))
    page.keyboard.press("Space")
    press_button(page, "Seuraava")

    # A cyclist gets the cycling page: rank two items, rate summer, give kilometres.
    expect(page.get_by_role("heading", name="Pyöräily", exact=True)).to_be_visible()
    tab_to(page, page.get_by_role("combobox", name="Talvikunnossapito"))
    page.keyboard.press("1")
    tab_to(page, page.get_by_role("combobox", name="Turvallisuus"))
    page.keyboard.press("2")
    tab_to(page, page.get_by_role("radio", name="Kesällä: Hyvä"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("textbox", name=re.compile("Montako kilometriä")))
    page.keyboard.type("12,5")
    press_button(page, "Tallenna ja jatka myöhemmin")
    expect(page.get_by_role("status")).to_contain_text("Vastauksesi on tallennettu")

    # Later: continue where the answers were saved; they are filled in.
    visit(page, "/fi/")
    visit(page, f"/fi/surveys/{survey.slug}/")
    press_button(page, "Jatka vastaamista")
    expect(page.get_by_role("combobox", name="Talvikunnossapito")).to_have_value("1")
    expect(page.get_by_role("textbox", name=re.compile("Montako kilometriä"))).to_have_value("12,5")
    press_button(page, "Seuraava")

    # The map question without JavaScript: the drawn map stays hidden (it needs the
    # script); an address and coordinates are the answer.
    expect(page.locator(".map-input")).to_be_hidden()
    tab_to(page, page.get_by_role("textbox", name="Osoite tai paikka"))
    page.keyboard.type("Hakaniemen tori")
    tab_to(page, page.get_by_role("textbox", name="Leveysaste"))
    page.keyboard.type("60,179")
    tab_to(page, page.get_by_role("textbox", name="Pituusaste"))
    page.keyboard.type("24,951")
    press_button(page, "Seuraava")

    # Satisfaction 8 on the scale 0–10 with the arrow keys.
    tab_to(page, page.get_by_role("radio", name="0", exact=True))
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    press_button(page, "Seuraava")

    review = page.locator("main")
    expect(review).to_contain_text("Tarkista ja lähetä")
    for text in ("Päivittäin", "Kävellen", "Talvikunnossapito", "12,5", "Hakaniemen tori", "8"):
        expect(review).to_contain_text(text)
    press_button(page, "Lähetä")
    expect(page.get_by_role("heading", name="Kiitos vastauksistasi!")).to_be_visible()

    visit(page, f"/fi/surveys/{survey.slug}/")
    expect(page.locator("main")).to_contain_text("Olet vastannut tähän kyselyyn")


def test_non_cyclist_skips_the_cycling_pages(page, demo_surveys):
    survey = demo_surveys[0]
    visit(page, f"/fi/surveys/{survey.slug}/")
    press_button(page, "Aloita vastaaminen")
    tab_to(page, page.get_by_role("radio", name="Päivittäin"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    press_button(page, "Seuraava")
    expect(page.get_by_text("Sivu 2/2")).to_be_visible()
    expect(page.get_by_role("heading", name="Lopuksi")).to_be_visible()


def test_results_and_hearing_pages(page, demo_surveys):
    _open, closed, hearing = demo_surveys
    visit(page, f"/fi/surveys/{closed.slug}/results/")
    expect(page.locator("main")).to_contain_text("40 henkilöä vastasi.")
    # Map answers: drawn on the server, with the same places in a table by district.
    place = page.get_by_role("region", name="Missä puistoreitti on talvella huonossa kunnossa?")
    expect(place.get_by_role("img", name=re.compile("merkitty kartalle"))).to_be_visible()
    expect(place.get_by_role("table", name="Paikat ja alueet suurpiireittäin")).to_be_visible()
    serve_media(page)
    visit(page, f"/sv/surveys/hearings/{hearing.slug}/")
    expect(page.locator("main")).to_contain_text("Planen för Fiskehamnens park")
    visit(page, "/en/surveys/hearings/")
