"""On a phone (375 × 740) the pages fit the screen: nothing scrolls sideways. They also
reflow at 320 CSS pixels, the width WCAG 1.4.10 asks for (a 1280 px screen at 400 %)."""

import pytest

from tests.browser.helpers import MOBILE_VIEWPORT, log_in, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"viewport": MOBILE_VIEWPORT, "is_mobile": True, "has_touch": True}


NARROWEST = {"width": 320, "height": 640}


def assert_fits_a_phone(page):
    assert page.evaluate("() => window.innerWidth") == MOBILE_VIEWPORT["width"]
    assert_no_horizontal_scrolling(page)
    page.set_viewport_size(NARROWEST)
    try:
        assert_no_horizontal_scrolling(page)
    finally:
        page.set_viewport_size(MOBILE_VIEWPORT)


def assert_no_horizontal_scrolling(page):
    widths = page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
            widest: [...document.querySelectorAll("body *")]
                .filter(element => element.getBoundingClientRect().right > window.innerWidth)
                .slice(0, 5)
                .map(element => element.outerHTML.slice(0, 100)),
        })"""
    )
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways: {widths['scroll']} px wide in a {widths['inner']} px "
        f"window; too wide: {widths['widest']}"
    )


# Finnish and Swedish have the longest words; English fits where they do.
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_home_and_login_fit_a_phone(page, language):
    for path in (f"/{language}/", f"/{language}/accounts/login/"):
        visit(page, path)
        assert_fits_a_phone(page)


def test_profile_fits_a_phone(page, resident):
    log_in(page, resident.email, resident.plain_password, language="sv")
    assert_fits_a_phone(page)
