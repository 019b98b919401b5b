"""The accessibility check itself must be able to fail."""

import pytest

from tests.browser.helpers import (
    AccessibilityError,
    assert_accessible,
    assert_all_checked,
    visit,
    watch,
)

pytestmark = pytest.mark.browser

PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
INACCESSIBLE = f"""<!doctype html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="{PIXEL}"></main></body></html>"""


def test_assert_accessible_reports_an_image_without_alt(page):
    page.set_content(INACCESSIBLE)

    with pytest.raises(AccessibilityError) as failure:
        assert_accessible(page)

    report = str(failure.value)
    assert "image-alt" in report
    assert "img" in report  # the target selector, so the reader can find it


def test_assert_accessible_passes_a_clean_page(page):
    page.set_content(INACCESSIBLE.replace("<img ", '<img alt="" '))

    assert_accessible(page)


def test_a_page_loaded_without_an_axe_check_fails_the_test(context):
    page = watch(context.new_page())
    visit(page, "/fi/")
    page.goto("/fi/accessibility/")  # and no assert_accessible

    with pytest.raises(AssertionError, match="without an axe check"):
        assert_all_checked(page)


def test_a_script_refused_by_the_sites_policy_fails_the_test(context):
    """The site's Content-Security-Policy stays on in these tests, so a template with
    inline script is caught."""
    page = watch(context.new_page())
    visit(page, "/fi/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.title = 'inline script ran'";
            document.body.append(script);
        }"""
    )

    assert page.title() != "inline script ran"
    with pytest.raises(AssertionError, match="Content Security Policy"):
        assert_all_checked(page)


def test_a_page_shown_without_javascript_is_checked_too(browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = watch(context.new_page(), javascript=False)
        page.route(
            "http://osallistu.test/broken/",
            lambda route: route.fulfill(body=INACCESSIBLE, content_type="text/html"),
        )
        page.goto("http://osallistu.test/broken/")

        with pytest.raises(AccessibilityError, match="image-alt"):
            assert_accessible(page)
        assert_all_checked(page)
    finally:
        context.close()
