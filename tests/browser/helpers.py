"""What the browser tests share: open a page and check it with axe-core, log in.

Every document a test loads must pass axe-core's WCAG 2.1 A and AA rules. `visit` and
`follow` check each page they load; `watch` (used by the `page` fixture) records every
document the page loads, so a test that reaches a page some other way and forgets
`assert_accessible` fails at teardown instead of passing unchecked.
"""

import weakref
from pathlib import Path

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
    .then(result => result.violations.map(violation => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map(node => node.target.join(" ")),
    })))"""

MOBILE_VIEWPORT = {"width": 375, "height": 740}


class AccessibilityError(AssertionError):
    """axe-core found WCAG violations on a page."""


def format_violations(url, violations):
    lines = [f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    at {target}" for target in violation["targets"])
    return "\n".join(lines)


def assert_accessible(page):
    """Run axe-core on the current document; fail listing every violation.

    The script goes in with `page.evaluate`, which the DevTools protocol runs outside
    the page's Content-Security-Policy: the site keeps its real policy in these tests.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    tracker = _trackers.get(page)
    if tracker:
        tracker.checked(page.url)
    if violations:
        raise AccessibilityError(format_violations(page.url, violations))


def visit(page, path):
    """Open a path of the live server, check that it answered and that it is accessible."""
    response = page.goto(path)
    assert response is not None, f"GET {path} got no response"
    assert response.ok, f"GET {path} answered {response.status}"
    assert_accessible(page)
    return response


def follow(page, action):
    """Do something that loads a new document (click a link, press Enter, submit a
    form), wait for the new document and check it with axe."""
    with page.expect_navigation():
        action()
    assert_accessible(page)


def log_in(page, email, password, language="fi"):
    """Log in through the form as a person would; the site then shows the profile."""
    visit(page, f"/{language}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    follow(page, lambda: page.locator("main form button[type=submit]").click())


class _Tracker:
    """The documents a page loaded, whether axe checked each, and browser errors."""

    def __init__(self):
        self.documents = []  # [url without fragment, checked]
        self.errors = []

    def loaded(self, url):
        document = url.split("#")[0]
        if document == "about:blank":
            return
        # A skip link or other in-page link changes only the fragment: same document.
        if self.documents and self.documents[-1][0] == document and "#" in url:
            return
        self.documents.append([document, False])

    def checked(self, url):
        if self.documents and self.documents[-1][0] == url.split("#")[0]:
            self.documents[-1][1] = True

    def unchecked(self):
        return [url for url, checked in self.documents if not checked]


_trackers = weakref.WeakKeyDictionary()


def watch(page):
    """Record what the page loads and every error the browser reports for it: a script
    or style refused by the CSP, a missing static file, an uncaught exception."""
    tracker = _trackers[page] = _Tracker()

    def on_navigated(frame):
        if frame == page.main_frame:
            tracker.loaded(frame.url)

    def on_console(message):
        if message.type == "error":
            tracker.errors.append(message.text)

    page.on("framenavigated", on_navigated)
    page.on("console", on_console)
    page.on("pageerror", lambda error: tracker.errors.append(str(error)))
    return page


def assert_all_checked(page):
    """At the end of a test: every document was checked by axe, the browser saw no errors."""
    tracker = _trackers.get(page)
    if tracker is None:
        return
    unchecked = tracker.unchecked()
    assert not unchecked, f"pages loaded without an axe check: {unchecked}"
    assert not tracker.errors, "the browser reported errors:\n" + "\n".join(tracker.errors)
