"""Fixtures for the browser tests: one Chromium per session, a fresh context per test,
pytest-django's live server (which serves static files through the staticfiles finders).

Chromium is Debian's (/usr/bin/chromium, or the path in CHROMIUM): Playwright cannot
download its own here. Outside CI a missing Chromium skips these tests; with CI=true
it fails them.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.helpers import assert_all_checked, watch

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; each test gets its own context."""
    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM}: run sh scripts/chromium.sh"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop running in the main thread, where the
    # tests also use the ORM (creating users), and Django refuses that unless told it
    # is safe. Only while the browser runs: this conftest is also imported when the
    # rest of the suite runs, which keeps Django's check.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def context_options():
    """Extra options for the browser context; a test module overrides this fixture
    (a phone-sized viewport, JavaScript off)."""
    return {}


@pytest.fixture
def context(browser, live_server, context_options):
    context = browser.new_context(
        **{"base_url": live_server.url, "locale": "fi-FI", **context_options}
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, context_options):
    """A page whose every document must pass axe (see helpers.assert_accessible)."""
    page = watch(context.new_page(), context_options.get("java_script_enabled", True))
    yield page
    assert_all_checked(page)


@pytest.fixture
def resident(transactional_db, helsinki):
    """Aino Virtanen of the demo: a verified resident of the Central district (Keskinen),
    with the demo password."""
    from osallistu.demo.people import DEMO_PASSWORD
    from tests.factories import VerifiedResidentFactory

    user = VerifiedResidentFactory(
        email="aino.virtanen@example.fi",
        full_name="Aino Virtanen",
        postal_code="00530",
        district=helsinki["central"],
        password=DEMO_PASSWORD,
    )
    user.plain_password = DEMO_PASSWORD
    return user
