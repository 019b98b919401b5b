"""Issue 5: the hearing without JavaScript: a poll vote is a plain form, and a comment's
place is an address with typed coordinates (the drawn map needs the script and stays
hidden). Every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from osallistu.surveys.models import Comment, PollChoice
from tests.browser.helpers import follow, log_in, serve_media, tab_to, visit
from tests.browser.test_hearings import demo_hearing  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


def test_vote_and_comment_on_a_place_without_javascript(page, resident, demo_hearing):  # noqa: F811
    serve_media(page)
    log_in(page, resident.email, resident.plain_password, "sv")
    visit(page, f"/sv/surveys/hearings/{demo_hearing.slug}/")
    expect(page.locator(".map-input")).to_be_hidden()

    # A vote with nothing chosen is refused with a message; then a real vote.
    poll = page.get_by_role("region", name="Vilket alternativ är bättre?")
    follow(page, lambda: poll.get_by_role("button", name="Rösta").click())
    expect(page.locator(".messages")).to_contain_text("Välj ett alternativ innan du röstar.")
    poll = page.get_by_role("region", name="Vilket alternativ är bättre?")
    tab_to(page, poll.get_by_role("radio", name="Alternativ A: skogspark"))
    page.keyboard.press("Space")
    follow(page, lambda: poll.get_by_role("button", name="Rösta").click())
    poll = page.get_by_role("region", name="Vilket alternativ är bättre?")
    expect(poll).to_contain_text("Du har röstat i den här omröstningen.")
    chosen = PollChoice.objects.get(vote__user=resident)
    assert chosen.option.text_sv == "Alternativ A: skogspark"

    # A place outside Helsinki is refused beside the field; then one in Kalasatama.
    page.get_by_role("textbox", name="Din kommentar").fill("Här behövs en bänk.")
    page.get_by_role("textbox", name="Latitud (frivilligt)").fill("60,45")
    page.get_by_role("textbox", name="Longitud (frivilligt)").fill("22,27")
    follow(page, lambda: page.get_by_role("button", name="Publicera kommentaren").click())
    expect(page.locator("main")).to_contain_text("Platsen måste vara i Helsingfors.")
    page.get_by_role("textbox", name="Latitud (frivilligt)").fill("60,1875")
    page.get_by_role("textbox", name="Longitud (frivilligt)").fill("24,9770")
    follow(page, lambda: page.get_by_role("button", name="Publicera kommentaren").click())
    comment = Comment.objects.get(text="Här behövs en bänk.")
    assert comment.geojson == {"type": "Point", "coordinates": [24.977, 60.1875]}
