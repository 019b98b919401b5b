"""What the browser tests share: open a page and check it with axe-core, log in.

Every document a test loads must pass axe-core's WCAG 2.1 A and AA rules. `visit` and
`follow` check each page they load; `watch` (used by the `page` fixture) records every
document the page loads, so a test that reaches a page some other way and forgets
`assert_accessible` fails at teardown instead of passing unchecked.
"""

import hashlib
import mimetypes
import re
import weakref
from pathlib import Path
from urllib.parse import unquote, urlsplit

import axe_playwright_python
from django.conf import settings as django_settings

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """tags => axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    })
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
    tracker = _trackers.get(page)
    document = _document_key(page)
    if document in _clean_documents:
        violations = []
    elif tracker is not None and not tracker.javascript:
        violations = _run_axe_on_copy(page, tracker)
    else:
        violations = _run_axe(page)
    if tracker is not None:
        tracker.checked(page.url)
    if violations:
        raise AccessibilityError(format_violations(page.url, violations))
    _clean_documents.add(document)


# Documents axe found clean in this session. The same page in the same state (the login
# form, a profile) is met by many tests; checking it again would give the same answer.
_clean_documents = set()


def _document_key(page):
    """What axe's answer depends on: the markup (less the one-time CSRF token, which
    changes on every load) and the window size."""
    markup = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.content())
    viewport = page.viewport_size or {}
    digest = hashlib.sha256(markup.encode()).hexdigest()
    return (page.url, viewport.get("width"), viewport.get("height"), digest)


def _run_axe(page):
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(AXE_RUN, WCAG_TAGS)


def _run_axe_on_copy(page, tracker):
    """axe needs JavaScript. For a page shown with JavaScript off, check the same HTML
    at the same address (so the site's style sheet applies) in a page that runs it."""
    html = page.content()
    address = page.url
    copy = tracker.checker_page(page)
    copy.unroute_all()
    copy.route(
        lambda url: url == address,
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    copy.goto(address)
    return _run_axe(copy)


def visit(page, path, status=200):
    """Open a path of the live server, check its status and that it is accessible.
    An error page (status 404) is a page people see: it is checked the same way."""
    tracker = _trackers.get(page)
    if tracker is not None and status >= 400:
        tracker.expect_status(path)
    response = page.goto(path)
    assert response is not None, f"GET {path} got no response"
    assert response.status == status, f"GET {path} answered {response.status}, not {status}"
    assert_accessible(page)
    return response


def follow(page, action, status=200):
    """Do something that loads a new document (click a link, press Enter, submit a
    form), wait for the new document, check its status and check it with axe."""
    tracker = _trackers.get(page)
    with page.expect_navigation() as navigation:
        action()
    response = navigation.value
    assert response is not None, "the navigation got no response"
    assert response.status == status, f"{response.url} answered {response.status}, not {status}"
    if tracker is not None and status >= 400:
        tracker.expect_status(urlsplit(response.url).path)
    assert_accessible(page)


def log_in(page, email, password, language="fi"):
    """Log in through the form as a person would; the site then shows the profile."""
    visit(page, f"/{language}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    follow(page, lambda: page.locator("main form button[type=submit]").click())


def is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, max_presses=60):
    """Press Tab until the locator has focus, as a keyboard user would; fail if it
    never does. Nothing to press if it has focus already (autofocus)."""
    if is_focused(locator):
        return
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if is_focused(locator):
            return
    raise AssertionError(f"{locator} not reached with {max_presses} presses of Tab")


def focus_outline(page):
    """The computed outline of the focused element: what shows the keyboard user where
    they are."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )


def assert_focus_visible(page):
    outline = focus_outline(page)
    described = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
    assert outline["style"] != "none" and outline["width"] > 0, (
        f"no visible focus outline on {described}: {outline}"
    )


def tab_stops(page, max_presses=80):
    """Press Tab round the whole page and check that focus is visible on every stop.
    Returns a short description of each stop, in order, from where focus was."""
    seen_script = """() => {
        const element = document.activeElement;
        if (!element || element === document.body) return {stop: null};
        window.__tabStopsSeen = window.__tabStopsSeen || new Set();
        const seen = window.__tabStopsSeen.has(element);
        window.__tabStopsSeen.add(element);
        const label = (element.innerText || element.name || element.id || "").trim();
        return {stop: element.tagName.toLowerCase() + " " + label.slice(0, 40), seen};
    }"""
    page.evaluate("() => { window.__tabStopsSeen = new Set(); }")
    stops = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(seen_script)
        if focused["stop"] is None:
            continue  # past the end of the page: the next Tab starts from the top
        if focused["seen"]:
            return stops
        assert_focus_visible(page)
        stops.append(focused["stop"])
    raise AssertionError(f"Tab did not come round in {max_presses} presses: {stops}")


class _Tracker:
    """The documents a page loaded, whether axe checked each, and browser errors."""

    def __init__(self, javascript):
        self.javascript = javascript
        self.documents = []  # [url without fragment, checked]
        self.errors = []
        self.failing_paths = set()
        self._checker_context = None

    def expect_status(self, path):
        """The document at this path is an error page on purpose: the browser's report
        that it failed to load is expected (also if it came in already)."""
        self.failing_paths.add(path)
        self.errors = [error for error in self.errors if not self._expected(*error)]

    def _expected(self, text, address):
        return text.startswith("Failed to load resource") and (
            urlsplit(address).path in self.failing_paths
        )

    def console_error(self, message):
        error = (message.text, message.location.get("url", ""))
        if not self._expected(*error):
            self.errors.append(error)

    def checker_page(self, page):
        """A page with JavaScript on, for checking copies of pages shown without it."""
        if self._checker_context is None:
            self._checker_context = page.context.browser.new_context(viewport=page.viewport_size)
            # Loaded with every copy, instead of sent over the protocol each time.
            self._checker_context.add_init_script(script=AXE_SOURCE)
            self._checker_context.new_page()
        return self._checker_context.pages[0]

    def close(self):
        if self._checker_context is not None:
            self._checker_context.close()

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


def watch(page, javascript=True):
    """Record what the page loads and every error the browser reports for it: a script
    or style refused by the CSP, a missing static file, an uncaught exception.
    `javascript` says whether the page's context runs scripts."""
    tracker = _trackers[page] = _Tracker(javascript)

    def on_navigated(frame):
        if frame == page.main_frame:
            tracker.loaded(frame.url)

    def on_console(message):
        if message.type == "error":
            tracker.console_error(message)

    page.on("framenavigated", on_navigated)
    page.on("console", on_console)
    page.on("pageerror", lambda error: tracker.errors.append((str(error), page.url)))
    return page


def assert_all_checked(page):
    """At the end of a test: every document was checked by axe, the browser saw no errors."""
    tracker = _trackers.get(page)
    if tracker is None:
        return
    tracker.close()
    unchecked = tracker.unchecked()
    assert not unchecked, f"pages loaded without an axe check: {unchecked}"
    assert not tracker.errors, "the browser reported errors:\n" + "\n".join(
        f"{text} ({address})" for text, address in tracker.errors
    )


def serve_media(page):
    """The live server does not serve uploads (a web server does in production, and
    `make demo` in development): answer /media/ from MEDIA_ROOT as that server would.
    Tests that make uploads set ``settings.MEDIA_ROOT`` to a temporary directory."""
    root = Path(django_settings.MEDIA_ROOT).resolve()

    def answer(route):
        path = (root / unquote(urlsplit(route.request.url).path).removeprefix("/media/")).resolve()
        if path.is_file() and root in path.parents:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            route.fulfill(body=path.read_bytes(), content_type=kind)
        else:
            route.fulfill(status=404, body="")

    page.route(re.compile(r".*/media/.*"), answer)
