"""Issue 5: map answers given with JavaScript: a point by clicking the drawn map, an
area by keyboard alone (arrow keys and Enter), a point from "use my current
location". The fallback without JavaScript (address and typed coordinates) is in
test_surveys_answering.py."""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.core import geo
from osallistu.demo import surveys as demo
from osallistu.surveys.models import Answer
from tests.browser.helpers import follow, tab_to, visit
from tests.surveys.factories import PageFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {
        "geolocation": {"latitude": 60.17121, "longitude": 24.94346},
        "permissions": ["geolocation"],
    }


@pytest.fixture
def open_survey(transactional_db, helsinki, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo, "CLOSED_SURVEY_RESPONSES", 10)
    return demo.build_surveys(timezone.localdate())[0][0]


def next_page(page):
    follow(page, lambda: page.get_by_role("button", name="Seuraava").click())


def to_the_map_question(page, survey):
    visit(page, f"/fi/surveys/{survey.slug}/")
    follow(page, lambda: page.get_by_role("button", name="Aloita vastaaminen").click())
    page.get_by_role("radio", name="Viikoittain").check()
    next_page(page)
    next_page(page)


def finish(page, survey):
    next_page(page)
    page.get_by_role("radio", name="7", exact=True).check()
    next_page(page)
    expect(page.locator("main")).to_contain_text("paikka merkitty kartalle")
    follow(page, lambda: page.get_by_role("button", name="Lähetä").click())
    return Answer.objects.get(question__kind="map", response__survey=survey).value


def test_place_from_the_current_location(page, open_survey):
    to_the_map_question(page, open_survey)
    page.get_by_role("button", name="Käytä nykyistä sijaintiani").click()
    expect(page.locator(".survey-locate-status")).to_contain_text("Sijaintisi on täytetty")
    expect(page.get_by_role("textbox", name="Leveysaste")).to_have_value("60,17121")
    expect(page.get_by_role("textbox", name="Pituusaste")).to_have_value("24,94346")
    # The map shows the place too.
    expect(page.locator(".map-input__point")).to_have_count(1)
    place = finish(page, open_survey)
    assert place["geojson"] == {"type": "Point", "coordinates": [24.94346, 60.17121]}


def test_place_by_clicking_the_map(page, open_survey):
    to_the_map_question(page, open_survey)
    area = page.get_by_role("application", name="Helsingin kartta")
    expect(area).to_be_visible()
    # Click where Kallio is (in the Central district on the drawn map).
    frame = geo.Frame(tuple(demo.HELSINKI_BBOX))
    x, y = frame.xy(24.950, 60.186)
    box = area.bounding_box()
    area.click(position={"x": box["width"] * x / 600, "y": box["height"] * y / frame.height})
    status = page.locator(".map-input__status")
    expect(status).to_contain_text("Paikka merkitty")
    expect(status).to_contain_text("Suurpiiri: Keskinen.")
    latitude = page.get_by_role("textbox", name="Leveysaste").input_value()
    longitude = page.get_by_role("textbox", name="Pituusaste").input_value()
    assert re.fullmatch(r"60,18\d{3}", latitude) and re.fullmatch(r"24,9[45]\d{3}", longitude)

    # "Remove the mark" empties the coordinates; a second click marks again.
    page.get_by_role("button", name="Poista merkintä").click()
    expect(page.get_by_role("textbox", name="Leveysaste")).to_have_value("")
    area.click(position={"x": box["width"] * x / 600, "y": box["height"] * y / frame.height})
    place = finish(page, open_survey)
    lon, lat = place["geojson"]["coordinates"]
    assert abs(lon - 24.950) < 0.005 and abs(lat - 60.186) < 0.003
    assert geo.district_of(lon, lat) == "central"


@pytest.fixture
def area_survey(transactional_db, helsinki):
    survey = SurveyFactory(slug="alue", title_fi="Aluekysely")
    page = PageFactory(survey=survey, position=1)
    QuestionFactory(
        page=page,
        position=1,
        kind="map",
        text_fi="Rajaa alue kartalle",
        settings={"geometry": "area"},
    )
    return survey


def test_area_with_the_keyboard_only(page, area_survey):
    visit(page, f"/fi/surveys/{area_survey.slug}/")
    tab_to(page, page.get_by_role("button", name="Aloita vastaaminen"))
    follow(page, lambda: page.keyboard.press("Enter"))
    status = page.locator(".map-input__status")
    geojson = page.locator("input[type=hidden][name$=_geojson]")

    tab_to(page, page.get_by_role("application", name="Helsingin kartta"))
    page.keyboard.press("Enter")  # the first corner, where the cross starts
    expect(status).to_contain_text("Kulma 1")
    expect(status).to_contain_text("Lisää vähintään kolme kulmaa.")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Alueella on 3 kulmaa.")
    ring = json.loads(geojson.input_value())["coordinates"][0]
    assert len(ring) == 4 and ring[0] == ring[-1]

    # Undo the last corner with the button, then add it again elsewhere.
    tab_to(page, page.get_by_role("button", name="Poista viimeinen kulma"))
    page.keyboard.press("Enter")
    expect(geojson).to_have_value("")
    tab_to(page, page.get_by_role("application", name="Helsingin kartta"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Alueella on 3 kulmaa.")

    tab_to(page, page.get_by_role("button", name="Seuraava"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("main")).to_contain_text("paikka merkitty kartalle")
    follow(page, lambda: page.get_by_role("button", name="Lähetä").click())
    drawn = Answer.objects.get().value["geojson"]
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4
