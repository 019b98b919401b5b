"""Errors are shown next to what caused them, in the page's language, and pass axe."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from playwright.sync_api import expect

from osallistu.accounts.forms import EmailAuthenticationForm, clean_postal_code
from tests.browser.helpers import follow, log_in, visit

pytestmark = pytest.mark.browser

CENTRAL = {"fi": "Keskinen", "sv": "Mellersta", "en": "Central"}


def translated(language, message):
    """The message as the page shows it; it must really be translated."""
    with translation.override(language):
        text = str(message)
    if language != "en":
        with translation.override("en"):
            assert text != str(message), f"{message!r} has no {language} translation"
    return text


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_wrong_password_is_explained_in_the_form_in_the_page_language(page, resident, language):
    visit(page, f"/{language}/accounts/login/")
    page.locator("input[name=username]").fill(resident.email)
    page.locator("input[name=password]").fill("not the password at all")
    follow(page, lambda: page.locator("main form button[type=submit]").click())

    expect(page).to_have_url(re.compile(rf"/{language}/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    error = page.locator("main form [role=alert]")
    message = EmailAuthenticationForm.error_messages["invalid_login"]
    # Only what went wrong: no field is marked, so no "correct the marked fields".
    expect(error).to_have_text(translated(language, message))
    expect(page.locator("main form [aria-invalid=true]")).to_have_count(0)
    # The error comes before the fields, so it is read before the person retries.
    first_field = page.locator("main form input[name=username]")
    assert error.evaluate(
        "(error, field) => Boolean(error.compareDocumentPosition(field)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)",
        first_field.element_handle(),
    )


def unknown_postal_code_message(language, code):
    with translation.override(language):
        try:
            clean_postal_code(code)
        except ValidationError as error:
            return error.messages[0]
    raise AssertionError(f"{code} was accepted as a postal code of the city")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_unknown_postal_code_is_explained_next_to_the_field(page, resident, language):
    log_in(page, resident.email, resident.plain_password, language=language)
    postal_code = page.locator("input[name=postal_code]")
    postal_code.fill("99999")
    follow(page, lambda: page.locator("main form button[type=submit]").click())

    error_id = postal_code.get_attribute("id") + "_error"
    error = page.locator(f"#{error_id}")
    expected = unknown_postal_code_message(language, "99999")
    assert expected != unknown_postal_code_message("en", "99999"), f"no {language} translation"
    expect(error).to_have_text(expected)
    expect(postal_code).to_have_attribute("aria-invalid", "true")
    described_by = (postal_code.get_attribute("aria-describedby") or "").split()
    assert error_id in described_by
    expect(postal_code).to_have_accessible_description(re.compile(re.escape(expected)))
    # Next to the field: in the same field group, just before the input.
    field_group = page.locator(".field", has=postal_code)
    expect(field_group.locator(f"#{error_id}")).to_have_count(1)
    # Nothing was saved: the district is still the one of the stored postal code.
    expect(page.get_by_test_id("district")).to_have_text(CENTRAL[language])


def test_a_field_error_is_read_once_with_the_help_text(page, transactional_db):
    visit(page, "/en/accounts/register/")
    page.locator("input[name=postal_code]").fill("99999")
    follow(page, lambda: page.locator("main form button[type=submit]").click())

    postal_code = page.locator("input[name=postal_code]")
    help_text = page.locator("#id_postal_code_helptext").inner_text()
    error = page.locator("#id_postal_code_error").inner_text()
    described_by = postal_code.get_attribute("aria-describedby").split()
    assert described_by == ["id_postal_code_helptext", "id_postal_code_error"]
    expect(postal_code).to_have_accessible_description(f"{help_text} {error}")


def test_too_many_wrong_passwords_lock_the_account_with_an_explanation(page, resident, settings):
    visit(page, "/sv/accounts/login/")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        page.locator("input[name=username]").fill(resident.email)
        page.locator("input[name=password]").fill(f"wrong password {attempt}")
        locked = attempt == settings.AXES_FAILURE_LIMIT
        submit = page.locator("main form button[type=submit]")
        follow(page, submit.click, status=429 if locked else 200)

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    with translation.override("sv"):
        heading = translation.gettext("Too many attempts")
    assert heading != "Too many attempts", "the locked-out page is not translated"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
