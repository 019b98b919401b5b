"""Issue 5: a place answer given with JavaScript ("use my current location"). The
fallback without JavaScript (address and typed coordinates) is in
test_surveys_answering.py."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.demo import surveys as demo
from osallistu.surveys.models import Answer
from tests.browser.helpers import follow, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {
        "geolocation": {"latitude": 60.17121, "longitude": 24.94346},
        "permissions": ["geolocation"],
    }


@pytest.fixture
def open_survey(transactional_db, helsinki, monkeypatch):
    monkeypatch.setattr(demo, "CLOSED_SURVEY_RESPONSES", 10)
    return demo.build_surveys(timezone.localdate())[0][0]


def next_page(page):
    follow(page, lambda: page.get_by_role("button", name="Seuraava").click())


def test_place_from_the_current_location(page, open_survey):
    visit(page, f"/fi/surveys/{open_survey.slug}/")
    follow(page, lambda: page.get_by_role("button", name="Aloita vastaaminen").click())
    page.get_by_role("radio", name="Viikoittain").check()
    next_page(page)
    next_page(page)

    page.get_by_role("button", name="Käytä nykyistä sijaintiani").click()
    expect(page.get_by_role("status")).to_contain_text("Sijaintisi on täytetty")
    expect(page.get_by_role("textbox", name="Leveysaste")).to_have_value("60,17121")
    expect(page.get_by_role("textbox", name="Pituusaste")).to_have_value("24,94346")
    next_page(page)
    page.get_by_role("radio", name="7", exact=True).check()
    next_page(page)
    expect(page.locator("main")).to_contain_text("paikka merkitty kartalle")
    follow(page, lambda: page.get_by_role("button", name="Lähetä").click())

    place = Answer.objects.get(question__kind="map").value
    assert place["geojson"] == {"type": "Point", "coordinates": [24.94346, 60.17121]}
