"""Keyboard only: skip link first, focus always visible, the login form works."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_focus_visible,
    follow,
    is_focused,
    tab_stops,
    tab_to,
    visit,
)

pytestmark = pytest.mark.browser


# A page with links in the content, and one with none (Tab goes on to the footer).
@pytest.mark.parametrize("path", ["/fi/", "/en/accessibility/"])
def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, path):
    visit(page, path)
    skip_link = page.locator("a.skip-link")
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    assert is_focused(skip_link), "the skip link is not the first Tab stop"
    expect(skip_link).to_be_in_viewport(ratio=1)
    assert_focus_visible(page)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert is_focused(page.locator("main#main"))
    # From there Tab goes on in the content (or the footer), not back to the header.
    page.keyboard.press("Tab")
    in_header = page.evaluate(
        "() => document.querySelector('header').contains(document.activeElement)"
    )
    assert not in_header, "Tab after the skip link went back to the header"


@pytest.mark.parametrize("path", ["/fi/", "/sv/accounts/login/", "/en/accounts/register/"])
def test_focus_is_visible_on_every_tab_stop(page, path):
    visit(page, path)
    stops = tab_stops(page)
    assert len(stops) >= 5, stops
    assert page.locator("a.skip-link").inner_text() in " ".join(stops)


def test_log_in_with_the_keyboard_only(page, resident):
    visit(page, "/fi/accounts/login/")
    username = page.locator("input[name=username]")
    password = page.locator("input[name=password]")
    submit = page.locator("main form button[type=submit]")

    tab_to(page, username)
    assert_focus_visible(page)
    page.keyboard.type(resident.email)
    page.keyboard.press("Tab")
    assert is_focused(password)
    assert_focus_visible(page)
    page.keyboard.type(resident.plain_password)
    page.keyboard.press("Tab")
    assert is_focused(submit)
    assert_focus_visible(page)
    follow(page, lambda: page.keyboard.press("Enter"))

    expect(page).to_have_url(re.compile(r"/fi/accounts/profile/$"))
    expect(page.get_by_test_id("district")).to_have_text("Keskinen")
    # Signed in, the header has a Log out button and the page a form: all show focus.
    stops = tab_stops(page)
    assert any(stop.startswith("button") for stop in stops), stops
    assert any(stop.startswith("select") for stop in stops), stops
