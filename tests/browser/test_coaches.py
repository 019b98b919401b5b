"""Districts and coaches in the browser, every page checked with axe: finding one's
district by postal code from the front page; a company asking the business coach (a
wrong business ID refused next to its field); a coach answering from the desk behind
the second factor; staff publishing an event with sign-up and a resident signing up."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from osallistu.coaches.models import CoachKind, ContactRequest, Event, EventSignup, RequestStatus
from osallistu.coaches.services import requests
from osallistu.core import jobs
from tests.browser.helpers import follow, log_in, visit
from tests.coaches.factories import PlaceFactory, TopicFactory, hours, make_coach
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser
KEY = "3132333435363738393031323334353637383930"


def every_day(place):
    return [hours(day, (9, 0), (17, 0), place) for day in range(7)]


@pytest.fixture
def coaches(transactional_db, helsinki):
    place = PlaceFactory(name_fi="Kallion kirjasto")
    city = make_coach(helsinki["central"], email="luotsi@example.fi", hours=every_day(place))
    city.full_name = "Leena Luotsi"
    city.save()
    business = make_coach(
        [helsinki["central"], helsinki["western"]],
        kind=CoachKind.BUSINESS,
        email="yritysluotsi@example.fi",
        hours=every_day(place),
    )
    business.full_name = "Oskar Lind"
    business.save()
    TopicFactory()
    TopicFactory(
        slug="permits",
        audience=CoachKind.BUSINESS,
        name_fi="Luvat",
        name_sv="Tillstånd",
        name_en="Permits",
    )
    for user in (city, business):
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True, key=KEY)
    return {"city": city, "business": business, "place": place}


def past_second_factor(page, email, path):
    log_in(page, email, TEST_PASSWORD)
    follow(page, lambda: page.goto(path))
    page.get_by_label("Kuusinumeroinen koodi", exact=False).fill(f"{totp(bytes.fromhex(KEY)):06d}")
    follow(page, lambda: page.locator("main form button[type=submit]").click())


def test_find_your_district_by_postal_code(page, coaches):
    visit(page, "/fi/")
    # The front page's card (the header menu has the same link).
    follow(
        page,
        lambda: page.locator("main").get_by_role("link", name="Oma alueesi ja sen luotsit").click(),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Oma alueesi ja sen luotsit")
    header = page.get_by_role("navigation", name="Päävalikko")
    expect(header.get_by_role("link", name="Oma alueesi ja sen luotsit")).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_label("Postinumerosi").fill("99999")
    follow(page, lambda: page.get_by_role("button", name="Etsi suurpiirini").click())
    expect(page.locator(".field__error")).to_contain_text("99999 ei ole Helsingin postinumero")
    expect(page.get_by_label("Postinumerosi")).to_have_value("99999")
    page.get_by_label("Postinumerosi").fill("00530")
    follow(page, lambda: page.get_by_role("button", name="Etsi suurpiirini").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Keskinen")
    expect(page.get_by_role("status")).to_contain_text(
        "Postinumero 00530 (Kallio) kuuluu suurpiiriin Keskinen."
    )
    expect(page.get_by_role("heading", name="Leena Luotsi", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Oskar Lind", exact=True)).to_be_visible()
    # The same page in Swedish.
    follow(page, lambda: page.get_by_role("link", name="Svenska").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Mellersta")


def test_a_company_asks_the_business_coach(page, coaches, resident):
    log_in(page, resident.email, resident.plain_password)
    visit(page, "/fi/districts/western/")
    follow(page, lambda: page.get_by_role("link", name="Kysy: Oskar Lind").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Kysy yritysluotsilta")
    page.get_by_label("Yrityksen nimi").fill("Kahvila Kulma Oy")
    page.get_by_label("Y-tunnus").fill("0112038-8")
    page.get_by_label("Toimiala").select_option(label="Ravintolat ja kahvilat")
    page.get_by_label("Aihe").select_option(label="Luvat")
    page.get_by_label("Tapaamista").check()
    page.get_by_label("Kysymyksesi").fill("Mitä lupia kahvila tarvitsee?")
    follow(page, lambda: page.get_by_role("button", name="Lähetä kysymys").click())
    expect(page.locator("#id_business_id_error")).to_contain_text("Y-tunnus on seitsemän numeroa")
    expect(page.get_by_label("Kysymyksesi")).to_have_value("Mitä lupia kahvila tarvitsee?")
    page.get_by_label("Y-tunnus").fill("0112038-9")
    follow(page, lambda: page.get_by_role("button", name="Lähetä kysymys").click())
    expect(page.get_by_role("status")).to_contain_text("Kysymyksesi on lähetetty.")
    expect(page.locator("main")).to_contain_text("Kahvila Kulma Oy (0112038-9)")
    request = ContactRequest.objects.get()
    assert request.assigned_to == coaches["business"] and request.wants_meeting
    follow(page, lambda: page.get_by_role("link", name="Kaikki yhteydenottoni").click())
    expect(page.locator("main table")).to_contain_text("Mitä lupia kahvila tarvitsee?")


def test_a_coach_answers_from_the_desk(page, coaches, resident, helsinki):
    from osallistu.coaches.models import Topic

    request = requests.ask_coach(
        asker=resident,
        district=helsinki["central"],
        kind=CoachKind.CITY,
        topic=Topic.objects.get(slug="budgeting"),
        question="Miten ehdotan uutta leikkipuistoa?",
    )
    past_second_factor(page, "luotsi@example.fi", "/fi/coaches/desk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Luotsin työpöytä")
    follow(
        page,
        lambda: page.get_by_role("link", name=re.compile(r"^#\d+ Osallistuva budjetointi")).click(),
    )
    expect(page.locator("main")).to_contain_text("Miten ehdotan uutta leikkipuistoa?")
    page.get_by_label("Muistiinpano luotseille").fill("Soitan huomenna.")
    follow(page, lambda: page.get_by_role("button", name="Tallenna muistiinpano").click())
    expect(page.get_by_role("status")).to_contain_text("Muistiinpano on tallennettu.")
    page.get_by_label("Vastaus kysyjälle").fill(
        "Tee ehdotus kierroksen ehdotusvaiheessa; autan mielelläni."
    )
    follow(page, lambda: page.get_by_role("button", name="Lähetä vastaus").click())
    expect(page.get_by_role("status")).to_contain_text("Vastauksesi on lähetetty kysyjälle.")
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.first_response_at is not None
    jobs.run_pending()
    assert any(m.to == [resident.email] for m in mail.outbox)


def test_staff_publish_an_event_with_sign_up(page, browser, live_server, coaches, resident):
    past_second_factor(page, "luotsi@example.fi", "/fi/coaches/desk/events/")
    follow(page, lambda: page.get_by_role("link", name="Uusi tapahtuma").click())
    day = timezone.localdate() + datetime.timedelta(days=12)
    page.get_by_label("Tapahtuman tyyppi").select_option(label="Asukasilta")
    page.get_by_label("Suurpiiri").select_option(label="Keskinen")
    page.get_by_label("Otsikko suomeksi").fill("Kallion asukasilta")
    page.get_by_label("Otsikko ruotsiksi").fill("Invånarkväll i Berghäll")
    page.get_by_label("Otsikko englanniksi").fill("Kallio resident evening")
    page.get_by_label("Päivämäärä").fill(day.isoformat())
    page.get_by_label("Alkaa").fill("17:00")
    page.get_by_label("Päättyy").fill("19:00")
    page.get_by_label("Paikka").select_option(label="Kallion kirjasto")
    page.get_by_label("Tapahtumaan ilmoittaudutaan").check()
    follow(page, lambda: page.get_by_role("button", name="Tallenna tapahtuma").click())
    expect(page.locator("#id_capacity_error")).to_contain_text("Kerro, montako voi ilmoittautua.")
    page.get_by_label("Paikat", exact=True).fill("2")
    follow(page, lambda: page.get_by_role("button", name="Tallenna tapahtuma").click())
    expect(page.get_by_role("status")).to_contain_text("Tapahtuma on julkaistu.")
    event = Event.objects.get()
    assert event.published_at and event.capacity == 2

    resident_page = browser.new_context(base_url=live_server.url, locale="fi-FI").new_page()
    from tests.browser.helpers import assert_all_checked, watch

    watch(resident_page)
    log_in(resident_page, resident.email, resident.plain_password)
    visit(resident_page, "/fi/districts/central/")
    follow(
        resident_page, lambda: resident_page.get_by_role("link", name="Kallion asukasilta").click()
    )
    expect(resident_page.locator("main")).to_contain_text("2 / 2 vapaana")
    resident_page.get_by_label("Saavutettavuustarpeet (vapaaehtoinen)").fill("Induktiosilmukka")
    follow(resident_page, lambda: resident_page.get_by_role("button", name="Ilmoittaudu").click())
    expect(resident_page.get_by_role("status")).to_contain_text("Olet ilmoittautunut.")
    expect(resident_page.locator("main")).to_contain_text("1 / 2 vapaana")
    assert EventSignup.objects.get().accessibility_needs == "Induktiosilmukka"
    assert_all_checked(resident_page)
    resident_page.context.close()

    visit(page, f"/fi/coaches/desk/events/{event.pk}/")
    expect(page.locator("main table")).to_contain_text("Induktiosilmukka")
