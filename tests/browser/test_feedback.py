"""Issue 15, feedback in the browser: a resident gives feedback with a photo and a point
on the map with the keyboard alone, and without JavaScript; staff moderate it and handle
it to done with an answer; the resident sees the answer and could reopen it. Every page
on the way passes axe-core (WCAG 2.1 A and AA)."""

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.core import geo
from osallistu.feedback import photos, services
from osallistu.feedback.models import Feedback, Moderation, Status
from tests.browser.helpers import (
    assert_focus_visible,
    follow,
    log_in,
    serve_media,
    tab_to,
    visit,
)
from tests.factories import (
    DivisionFactory,
    StaffRoleFactory,
    UserFactory,
    sign_in_past_second_factor,
)
from tests.feedback.factories import (
    PublicFeedbackFactory,
    ServiceCategoryFactory,
    division_staff,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options(request):
    if request.node.name.endswith("without_javascript"):
        return {"java_script_enabled": False}
    return {}


@pytest.fixture
def streets(transactional_db, helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    division = DivisionFactory()
    ServiceCategoryFactory(division=division)  # 171, Kuoppa kadulla
    ServiceCategoryFactory(
        code="172",
        division=division,
        name_fi="Katuvalaistus",
        name_sv="Gatubelysning",
        name_en="Street lighting",
        description_fi="Ilmoita pimeästä tai vilkkuvasta katuvalosta.",
    )
    return division


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "lyhtypylvas.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_in_staff(page, user, live_server):
    """A staff session past the second factor, without the forms (they have their own
    browser tests)."""
    client = Client()
    sign_in_past_second_factor(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def type_into(page, locator, text):
    tab_to(page, locator)
    assert_focus_visible(page)
    page.keyboard.type(text)


def test_feedback_with_a_photo_and_a_map_point_by_keyboard(page, resident, streets, photo):
    log_in(page, resident.email, resident.plain_password)
    visit(page, "/fi/feedback/")
    give = page.get_by_role("link", name="Anna palautetta").last
    tab_to(page, give)
    follow(page, lambda: page.keyboard.press("Enter"))
    category = page.get_by_role("link", name="Katuvalaistus")
    tab_to(page, category)
    follow(page, lambda: page.keyboard.press("Enter"))

    type_into(page, page.get_by_role("textbox", name="Otsikko (vapaaehtoinen)"), "Pimeä valo")
    type_into(
        page,
        page.get_by_role("textbox", name="Palautteesi"),
        "Katuvalo on ollut pimeänä kaksi viikkoa koulumatkan varrella.",
    )
    type_into(page, page.get_by_role("textbox", name="Osoite tai paikka"), "Fleminginkatu 20")
    latitude = page.get_by_role("textbox", name="Leveysaste (vapaaehtoinen)")
    tab_to(page, latitude)
    # The map comes right after the coordinates it fills in.
    area = page.get_by_role("application", name="Helsingin kartta")
    expect(area).to_be_visible()
    tab_to(page, area, max_presses=4)
    assert_focus_visible(page)
    status = page.locator(".map-input__status")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Paikka merkitty")
    typed = latitude.input_value()
    assert re.fullmatch(r"60,\d{5}", typed)

    # The photo: the file input is reached with Tab; the file chooser stands in for the
    # system's dialog.
    file_input = page.locator("input[name=photo1]")
    tab_to(page, file_input)
    assert_focus_visible(page)
    file_input.set_input_files(str(photo))
    type_into(
        page,
        page.get_by_role("textbox", name="Mitä kuvassa 1 näkyy?"),
        "Pimeä lyhtypylväs iltahämärässä",
    )
    tab_to(page, page.get_by_role("button", name="Lähetä palaute"))
    follow(page, lambda: page.keyboard.press("Enter"))

    feedback = Feedback.objects.get()
    assert page.url.endswith(f"/fi/feedback/{feedback.pk}/")
    assert feedback.author == resident and feedback.moderation == Moderation.UNMODERATED
    assert geo.district_of(float(feedback.longitude), float(feedback.latitude)) is not None
    assert feedback.photos.get().description == "Pimeä lyhtypylväs iltahämärässä"
    serve_media(page)
    expect(page.locator(".message--warning")).to_contain_text("Vain sinä näet")
    expect(page.get_by_role("img", name="Pimeä lyhtypylväs iltahämärässä")).to_be_visible()


def test_feedback_with_a_photo_and_a_point_without_javascript(page, streets, photo):
    visit(page, "/fi/feedback/new/172/")
    expect(page.locator(".map-input")).to_be_hidden()
    # Sending nothing shows what is missing, next to each field.
    follow(page, lambda: page.get_by_role("button", name="Lähetä palaute").click(), status=400)
    expect(page.locator("#id_description_error")).to_be_visible()
    page.get_by_role("textbox", name="Palautteesi").fill("Katuvalo vilkkuu koko yön Sturenkadulla.")
    page.get_by_role("textbox", name="Leveysaste (vapaaehtoinen)").fill("60,1905")
    page.get_by_role("textbox", name="Pituusaste (vapaaehtoinen)").fill("24,9510")
    page.locator("input[name=photo1]").set_input_files(str(photo))
    page.get_by_role("textbox", name="Mitä kuvassa 1 näkyy?").fill("Vilkkuva valaisin")
    page.get_by_role("textbox", name="Sähköpostiosoite (vapaaehtoinen)").fill("nimeton@example.fi")
    follow(page, lambda: page.get_by_role("button", name="Lähetä palaute").click())
    feedback = Feedback.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos palautteestasi")
    expect(page.locator("main")).to_contain_text(str(feedback.pk))
    assert (str(feedback.latitude), str(feedback.longitude)) == ("60.190500", "24.951000")
    assert feedback.author is None and feedback.contact_email == "nimeton@example.fi"
    assert feedback.photos.count() == 1
    # Not public before moderation: the list does not show it, its page is not found.
    visit(page, "/fi/feedback/")
    expect(page.locator("main")).not_to_contain_text("Sturenkadulla")
    visit(page, f"/fi/feedback/{feedback.pk}/", status=404)


def test_staff_handle_feedback_to_done_and_the_resident_sees_the_answer(
    page, resident, streets, photo, live_server
):
    handler = division_staff("kalle.kasittelija@example.fi", streets, full_name="Kalle Käsittelijä")
    feedback = services.submit_feedback(
        service=streets.feedback_categories.get(code="172"),
        description="Katuvalo on pimeänä. Soita minulle 040 1234567.",
        title="Pimeä katuvalo",
        place=services.Place(address="Fleminginkatu 20, 00510 Helsinki"),
        author=resident,
        photos=[photos.from_bytes(photo.read_bytes(), "Lyhtypylväs")],
    )
    sign_in_staff(page, handler, live_server)
    serve_media(page)
    visit(page, "/fi/feedback/staff/")
    follow(page, lambda: page.get_by_role("link", name=re.compile(str(feedback.pk))).click())
    expect(page.locator("main")).to_contain_text("040 1234567")  # staff see the text as sent

    # Moderation: the phone number is left out of the public text; the photo is shown.
    public_text = page.get_by_role("textbox", name="Julkinen teksti")
    public_text.fill("Katuvalo on pimeänä.")
    page.get_by_role("checkbox", name="Lyhtypylväs").check()
    follow(page, lambda: page.get_by_role("button", name="Julkaise", exact=True).click())
    expect(page.locator(".message--success")).to_contain_text("Palaute on julkinen")

    page.get_by_role("combobox", name="Käsittelijä").select_option(label="Kalle Käsittelijä")
    follow(page, lambda: page.get_by_role("button", name="Nimeä").click())
    page.get_by_role("combobox", name="Uusi tila").select_option("in_handling")
    page.get_by_role("textbox", name="Huomautus", exact=True).fill(
        "Vika on ilmoitettu urakoitsijalle."
    )
    follow(page, lambda: page.get_by_role("button", name="Muuta tilaa").click())
    page.get_by_role("textbox", name="Kaupungin vastaus").fill(
        "Kiitos palautteesta. Lamppu on vaihdettu."
    )
    follow(page, lambda: page.get_by_role("button", name="Julkaise vastaus").click())
    page.get_by_role("combobox", name="Uusi tila").select_option("done")
    follow(page, lambda: page.get_by_role("button", name="Muuta tilaa").click())
    feedback.refresh_from_db()
    assert feedback.status == Status.DONE and feedback.handler == handler

    # The resident sees the answer, the history and the reopening form; the public does
    # not see the phone number.
    page.context.clear_cookies()
    log_in(page, resident.email, resident.plain_password)
    visit(page, "/fi/feedback/my/")
    expect(page.locator("main")).to_contain_text("Kaupunki on vastannut.")
    follow(page, lambda: page.get_by_role("link", name="Pimeä katuvalo").click())
    expect(page.locator(".answer")).to_have_text("Kiitos palautteesta. Lamppu on vaihdettu.")
    expect(page.locator(".history")).to_contain_text("Vika on ilmoitettu urakoitsijalle.")
    expect(page.get_by_role("button", name="Avaa palaute uudelleen")).to_be_visible()
    page.context.clear_cookies()
    visit(page, f"/fi/feedback/{feedback.pk}/")
    expect(page.locator("main")).not_to_contain_text("1234567")
    expect(page.get_by_role("img", name="Lyhtypylväs")).to_be_visible()
    visit(page, "/fi/feedback/")
    expect(page.locator("a.map__link")).to_have_count(0)  # an address only: no mark
    expect(page.locator(".feedback-cards")).to_contain_text("Katuvalo on pimeänä.")


def test_admin_issues_a_key_and_the_public_pages_of_figures(page, streets, live_server):
    PublicFeedbackFactory(
        service=streets.feedback_categories.get(code="171"), public_title="Kuoppa"
    )
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    sign_in_staff(page, admin, live_server)
    visit(page, "/fi/feedback/staff/")
    follow(page, lambda: page.get_by_role("link", name="Sovellusten API-avaimet").click())
    page.get_by_role("textbox", name="Sovellus").fill("Palauteappi")
    follow(page, lambda: page.get_by_role("button", name="Myönnä avain").click())
    expect(page.locator(".secret-key")).to_be_visible()
    follow(page, lambda: page.get_by_role("button", name="Peru Palauteappi").click())
    expect(page.locator("main")).to_contain_text("Peruttu")
    visit(page, "/fi/feedback/staff/")
    follow(page, lambda: page.get_by_role("link", name="Toimialat ja niiden henkilöstö").click())
    UserFactory(email="uusi.kasittelija@example.fi", full_name="Uusi Käsittelijä")
    page.get_by_role("textbox", name="Työntekijän sähköpostiosoite").fill(
        "uusi.kasittelija@example.fi"
    )
    page.get_by_role("combobox", name="Toimiala").select_option(label=streets.name_fi)
    page.get_by_role("combobox", name="Käsittelee palautteita alueelta").select_option(
        label="Itäinen"
    )
    follow(page, lambda: page.get_by_role("button", name="Lisää", exact=True).click())
    expect(page.locator("main table")).to_contain_text("Uusi Käsittelijä")
    expect(page.locator("main table")).to_contain_text("Itäinen")
    visit(page, "/fi/feedback/statistics/")
    expect(page.locator("main table")).to_contain_text("Kuoppa kadulla")
    visit(page, "/fi/feedback/")
    follow(page, lambda: page.get_by_role("link", name="Lähennä").click())
    expect(page.locator("a.map__link")).to_have_count(1)
    follow(page, lambda: page.get_by_role("link", name="Siirry itään").click())
    expect(page.locator("a.map__link")).to_have_count(0)
    follow(page, lambda: page.get_by_role("link", name="Näytä koko kaupunki").click())
    expect(page.locator("a.map__link")).to_have_count(1)
