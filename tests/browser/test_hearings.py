"""Issue 5: a resident reads the demo hearing (pictures with descriptions, the plan as
an attachment), votes in its poll and comments on a place chosen on the drawn map,
with the keyboard where a keyboard user would use it. Every page passes axe-core."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.demo import surveys as demo
from osallistu.surveys.models import Comment, PollVote
from tests.browser.helpers import follow, log_in, serve_media, tab_to, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_hearing(transactional_db, helsinki, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo, "CLOSED_SURVEY_RESPONSES", 10)
    return demo.build_surveys(timezone.localdate())[2][0]


def test_read_vote_and_comment_on_a_place(page, resident, demo_hearing):
    serve_media(page)
    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/surveys/hearings/{demo_hearing.slug}/")

    # Pictures carry their descriptions; the plan description is an attachment.
    overview = page.get_by_role("region", name="Yleiskuvaus")
    picture = overview.get_by_role("img", name=re.compile("Puiston luonnos ylhäältä"))
    expect(picture).to_be_visible()
    assert picture.evaluate("image => image.naturalWidth") == 480
    expect(overview.locator("figcaption")).to_have_text("Luonnos, ei mittakaavassa")
    expect(overview.get_by_role("link", name="Puistosuunnitelman selostus")).to_be_visible()

    # The poll, with the keyboard: results are shown after voting.
    poll = page.get_by_role("region", name="Kumpi vaihtoehto on parempi?")
    tab_to(page, poll.get_by_role("radio", name="Vaihtoehto A: metsäinen"))
    page.keyboard.press("ArrowDown")  # moves to and chooses option B
    expect(poll.get_by_role("radio", name="Vaihtoehto B: avoin")).to_be_checked()
    tab_to(page, poll.get_by_role("button", name="Äänestä"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator(".messages")).to_contain_text("Kiitos! Äänesi on laskettu.")
    poll = page.get_by_role("region", name="Kumpi vaihtoehto on parempi?")
    expect(poll).to_contain_text("Olet äänestänyt tässä pikakyselyssä.")
    expect(poll.get_by_role("table")).to_contain_text("Vaihtoehto B: avoin")
    assert PollVote.objects.filter(user=resident).count() == 1
    # The other poll shows its results only when the hearing closes.
    needs = page.get_by_role("region", name="Mitä puistoon tarvitaan lisäksi?")
    expect(needs).to_contain_text("Tulokset näytetään, kun kuuleminen päättyy.")
    expect(needs.get_by_role("table")).to_have_count(0)

    # A comment on a place: move the map's cross with the keyboard and press Enter.
    page.get_by_role("textbox", name="Kommenttisi").fill("Tähän tarvitaan penkki.")
    tab_to(page, page.get_by_role("application", name="Helsingin kartta"))
    page.keyboard.press("Shift+ArrowLeft")
    status = page.locator("#comment_map .map-input__status")
    expect(status).to_have_text("Risti: suurpiiri Keskinen.")  # said as the cross moves
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Paikka merkitty")
    expect(status).to_contain_text("Suurpiiri: Keskinen.")
    expect(page.get_by_role("textbox", name="Leveysaste (vapaaehtoinen)")).not_to_have_value("")
    latitude = page.get_by_role("textbox", name="Leveysaste (vapaaehtoinen)").input_value()
    follow(page, lambda: page.get_by_role("button", name="Julkaise kommentti").click())
    comment = Comment.objects.get(text="Tähän tarvitaan penkki.")
    lon, lat = comment.geojson["coordinates"]
    assert f"{lat:.5f}".replace(".", ",") == latitude
    assert 24.78 < lon < 25.26
    # The comment's place is a link on the map of comment places.
    expect(page.locator(f'a.map__link[href="#comment-{comment.pk}"]')).to_have_count(1)


def test_poll_needs_a_login_and_a_closed_hearing_shows_results(page, demo_hearing):
    serve_media(page)
    visit(page, f"/en/surveys/hearings/{demo_hearing.slug}/")
    poll = page.get_by_role("region", name="Which option is better?")
    expect(poll.get_by_role("link", name="Log in to vote")).to_be_visible()
    expect(poll.get_by_role("radio")).to_have_count(0)
    demo_hearing.opens_at = timezone.now() - timezone.timedelta(days=30)
    demo_hearing.closes_at = timezone.now() - timezone.timedelta(days=1)
    demo_hearing.save()
    visit(page, f"/en/surveys/hearings/{demo_hearing.slug}/")
    poll = page.get_by_role("region", name="What else does the park need?")
    expect(poll.get_by_role("table")).to_contain_text("Benches")
    expect(page.get_by_role("application", name="Map of Helsinki")).to_have_count(0)
