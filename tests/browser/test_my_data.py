"""My data without JavaScript and with the keyboard only: from the profile to the
download of everything kept about the resident, then deleting the account; the
privacy notice from the footer. Every page is checked with axe."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from osallistu.accounts.models import User
from tests.browser.helpers import follow, log_in, tab_to, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


def test_a_resident_downloads_their_data_and_deletes_their_account(page, resident):
    log_in(page, resident.email, resident.plain_password)
    visit(page, "/fi/accounts/profile/")

    tab_to(page, page.get_by_role("contentinfo").get_by_role("link", name="Tietosuojaseloste"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tietosuojaseloste")
    expect(
        page.get_by_role("heading", name="Äänestäminen osallistuvassa budjetoinnissa")
    ).to_be_visible()

    visit(page, "/fi/accounts/profile/")
    tab_to(page, page.locator("main").get_by_role("link", name="Lataa tietoni"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Omat tietoni")

    tab_to(page, page.get_by_role("button", name="Lataa tietoni"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    users = next(section for section in data["data"] if section["model"] == "accounts.User")
    assert users["rows"][0]["email"] == resident.email

    tab_to(page, page.locator("main").get_by_role("link", name="Poista tilini", exact=True))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Poista tilini")
    expect(page.get_by_test_id("actions")).to_contain_text("Tilisi")

    # A wrong password comes back with the error next to the field.
    tab_to(page, page.get_by_label("Salasanasi"))
    page.keyboard.type("väärä salasana")
    tab_to(page, page.get_by_label("Ymmärrän, että tilini ja henkilötietoni poistetaan pysyvästi"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Poista tilini pysyvästi"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("main")).to_contain_text("Salasana ei ole oikein.")
    assert User.objects.filter(pk=resident.pk).exists()

    tab_to(page, page.get_by_label("Salasanasi"))
    page.keyboard.type(resident.plain_password)
    checkbox = page.get_by_label("Ymmärrän, että tilini ja henkilötietoni poistetaan pysyvästi")
    tab_to(page, checkbox)
    if not checkbox.is_checked():
        page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Poista tilini pysyvästi"))
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_role("status")).to_contain_text("Tilisi ja henkilötietosi on poistettu.")
    assert not User.objects.filter(pk=resident.pk).exists()
    expect(page.get_by_role("link", name="Kirjaudu sisään").first).to_be_visible()
