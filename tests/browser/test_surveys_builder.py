"""Issue 5, the survey builder: a city administrator builds a small branching survey
with the keyboard only, is refused a move that would break its condition, previews it
as a resident (the condition applied by the server), and opens it. Every page on the
way passes axe-core."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from osallistu.surveys.models import Condition, Survey
from tests.browser.helpers import follow, log_in, tab_to, visit
from tests.factories import TEST_PASSWORD, StaffRoleFactory

pytestmark = pytest.mark.browser

KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def staff(transactional_db, helsinki):
    member = StaffRoleFactory(user__email="helena@example.fi").user
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True, key=KEY)
    return member


def press(page, locator):
    """Tab to a button or link and press Enter, as a keyboard user does."""
    tab_to(page, locator)
    follow(page, lambda: page.keyboard.press("Enter"))


def type_into(page, label, text):
    field = page.get_by_label(label, exact=True)
    tab_to(page, field)
    page.keyboard.type(text)


def choose(page, label, typed):
    """Choose in a select list by typing the start of the option, as the keyboard does."""
    field = page.get_by_label(label, exact=True)
    tab_to(page, field)
    page.keyboard.type(typed)


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def test_build_a_branching_survey_with_the_keyboard(page, staff):
    log_in(page, staff.email, TEST_PASSWORD)
    follow(page, lambda: page.goto("/fi/surveys/staff/build/"))
    page.get_by_label("Kuusinumeroinen koodi", exact=False).fill(f"{totp(bytes.fromhex(KEY)):06d}")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Kyselyjen rakentaminen")

    # Settings: the titles in three languages; the times and audience are filled in.
    press(page, page.get_by_role("link", name="Uusi kysely"))
    type_into(page, "Otsikko suomeksi *", "Pyöräily kotikadulla")
    type_into(page, "Otsikko ruotsiksi *", "Cykling på hemgatan")
    type_into(page, "Otsikko englanniksi *", "Cycling on your street")
    press(page, button(page, "Luo kysely"))
    expect(page.get_by_role("status")).to_contain_text("Kysely on luotu luonnoksena")
    expect(page.locator("main dl")).to_contain_text("Luonnos, ei julkaistu")
    survey = Survey.objects.get()

    # Page 1: a single choice question with two options.
    choose(page, "Uuden kysymyksen tyyppi *", "Yksi")
    press(page, page.get_by_role("button", name=re.compile("^Lisää kysymys")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uusi kysymys: Yksi valinta")
    type_into(page, "Kysymys suomeksi *", "Pyöräiletkö?")
    type_into(page, "Kysymys ruotsiksi *", "Cyklar du?")
    type_into(page, "Kysymys englanniksi *", "Do you cycle?")
    tab_to(page, page.get_by_label("Vastaus on pakollinen"))
    page.keyboard.press("Space")
    press(page, button(page, "Lisää kysymys"))
    expect(page.get_by_role("status")).to_contain_text("Lisää seuraavaksi sen vaihtoehdot")
    for fi, sv, en in (("Kyllä", "Ja", "Yes"), ("En", "Nej", "No")):
        type_into(page, "Teksti suomeksi *", fi)
        type_into(page, "Teksti ruotsiksi *", sv)
        type_into(page, "Teksti englanniksi *", en)
        press(page, button(page, "Lisää vaihtoehto"))
    expect(page.get_by_role("table", name="Vaihtoehdot näyttöjärjestyksessä")).to_contain_text(
        "Nej"
    )
    # The first page's question has no earlier page to depend on: the builder says so.
    expect(page.locator("section[aria-labelledby=conditions]")).to_contain_text(
        "Aiemmilla sivuilla ei ole kysymyksiä"
    )

    # Page 2: a long text shown only to those who cycle.
    press(page, page.get_by_role("link", name="Takaisin kyselyyn"))
    press(page, button(page, "Lisää sivu"))
    expect(page.get_by_role("status")).to_contain_text("Sivu 2 on lisätty")
    second = page.locator("section.builder-page").nth(1)
    field = second.get_by_label("Uuden kysymyksen tyyppi *", exact=True)
    tab_to(page, field)
    page.keyboard.type("Pitk")
    press(page, second.get_by_role("button", name=re.compile("^Lisää kysymys")))
    type_into(page, "Kysymys suomeksi *", "Mikä kotikadullasi pitäisi korjata?")
    type_into(page, "Kysymys ruotsiksi *", "Vad borde förbättras på din hemgata?")
    type_into(page, "Kysymys englanniksi *", "What should be fixed on your street?")
    press(page, button(page, "Lisää kysymys"))
    expect(page.get_by_role("status")).to_contain_text("Kysymys on lisätty")
    press(page, page.get_by_role("link", name="Mikä kotikadullasi pitäisi korjata?", exact=True))
    choose(page, "Aiempi kysymys *", "Sivu 1")
    choose(page, "Ehto *", "on yh")
    choose(page, "Vaihtoehto", "K")
    press(page, button(page, "Lisää ehto"))
    expect(page.get_by_role("status")).to_contain_text("Ehto on lisätty")
    expect(page.locator("section[aria-labelledby=conditions]")).to_contain_text(
        "kun ”Pyöräiletkö?” on yhtä kuin ”Kyllä”"
    )
    condition = Condition.objects.get()
    assert condition.option.text_fi == "Kyllä"

    # Moving page 2 above page 1 would break the condition: refused with the reason.
    press(page, page.get_by_role("link", name="Takaisin kyselyyn"))
    press(page, page.get_by_role("button", name=re.compile("^Siirrä ylös.*Sivu 2$")))
    expect(page.get_by_role("status")).to_contain_text("Siirto ei onnistu")
    expect(page.locator("section.builder-page").first).to_contain_text("Pyöräiletkö?")

    # Preview as a resident: "No" skips the second page, "Yes" shows it.
    press(page, page.get_by_role("link", name="Esikatselu"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pyöräily kotikadulla")
    tab_to(page, page.get_by_role("radio", name="Kyllä"))
    page.keyboard.press("ArrowDown")  # the arrow keys move within a group of radios
    expect(page.get_by_role("radio", name="En", exact=True)).to_be_checked()
    press(page, button(page, "Seuraava"))
    expect(page.get_by_role("heading", name="Tarkista ja lähetä")).to_be_visible()
    press(page, button(page, "Aloita esikatselu alusta"))
    tab_to(page, page.get_by_role("radio", name="Kyllä"))
    page.keyboard.press("Space")
    press(page, button(page, "Seuraava"))
    expect(page.get_by_text("Mikä kotikadullasi pitäisi korjata?")).to_be_visible()
    assert not survey.responses.exists()

    # Open it: residents find it on the list.
    press(page, page.get_by_role("link", name="Takaisin kyselyn rakentamiseen"))
    press(page, button(page, "Julkaise ja avaa nyt"))
    expect(page.get_by_role("status")).to_contain_text("Kysely on avoinna")
    expect(page.locator("main dl")).to_contain_text("Avoinna")
    visit(page, "/fi/surveys/")
    expect(page.locator("main")).to_contain_text("Pyöräily kotikadulla")
    visit(page, "/fi/surveys/staff/build/")
    expect(page.locator("tbody")).to_contain_text("Avoinna")
