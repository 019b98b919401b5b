"""Every public page, and the error states people meet, in each language: the page is
in that language and axe-core finds nothing."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.helpers import follow, visit

pytestmark = pytest.mark.browser

# path under the language prefix, the page's title (before " – Osallistu")
PUBLIC_PAGES = [
    ("", None),
    ("accessibility/", "Accessibility statement"),
    ("accounts/login/", "Log in"),
    ("accounts/register/", "Create an account"),
]


def title_in(language, title):
    """The page title as the site writes it in that language; it must be translated."""
    message = title or "Osallistu – Helsinki takes part"
    with translation.override(language):
        shown = translation.gettext(message)
    if language != "en":
        assert shown != message, f"{message!r} is not translated to {language}"
    return shown if title is None else f"{shown} – Osallistu"


# English is the source language; its pages are met in the other tests.
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_public_pages_are_in_the_language_and_accessible(page, language):
    for path, title in PUBLIC_PAGES:
        visit(page, f"/{language}/{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page).to_have_title(title_in(language, title))
        # Where the main navigation links to this page, it says it is the current one.
        here = page.locator(f"nav.main-nav a[href='/{language}/{path}']")
        if here.count():
            expect(here).to_have_attribute("aria-current", "page")

    visit(page, f"/{language}/no-such-page/", status=404)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page).to_have_title(title_in(language, "Page not found"))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_registration_errors_are_marked_on_the_fields(page, language, transactional_db):
    visit(page, f"/{language}/accounts/register/")
    follow(page, lambda: page.locator("main form button[type=submit]").click())

    expect(page).to_have_url(re.compile(rf"/{language}/accounts/register/$"))
    expect(page.locator("main form [role=alert]")).to_be_visible()
    for name in ("email", "password"):
        field = page.locator(f"main form [name={name}]")
        expect(field).to_have_attribute("aria-invalid", "true")
        error_id = field.get_attribute("id") + "_error"
        expect(page.locator(f"#{error_id}")).to_be_visible()
        assert error_id in (field.get_attribute("aria-describedby") or "").split()
