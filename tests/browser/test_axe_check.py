"""The accessibility check itself must be able to fail."""

import pytest

from tests.browser.helpers import AccessibilityError, assert_accessible

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
