"""What the fuzz test needs: the site's routes, a crawler that finds every page, form
and query parameter a visitor can reach, and the hostile values sent into them.

Nothing here knows a particular form: the forms are read from the pages as a browser
reads them, so a form or a page added later is fuzzed without a change here.
"""

import datetime
import inspect
import json
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.db import transaction
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import strategies as st

from tests import images

# The admin is Django's, built from the models' own fields; its pages are many and
# alike, so the test keeps to the product's pages. Media and static files are files.
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_PREFIXES = ("/static/", "/media/")
# Pages fetched per route and role while crawling: enough to see each state of a
# page (a round taking proposals and one in voting), few enough to stay quick.
PAGES_PER_ROUTE = 3
# Addresses fetched per page, with different query strings: this week, the next.
QUERIES_PER_PAGE = 3
# How many times the crawl sends the forms that lead on: every page of a survey.
FOLLOWS_PER_ROUTE = 8
LANGUAGE = "fi"


def site_routes():
    """``{route name: view function}`` of every named route outside the admin."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                yield from walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                )
            elif pattern.name:
                yield (
                    (f"{namespace}:{pattern.name}" if namespace else pattern.name),
                    (pattern.callback),
                )

    return {
        name: callback
        for name, callback in walk(get_resolver().url_patterns, "")
        if name.split(":")[0] not in SKIPPED_NAMESPACES
    }


def route_of(path):
    if path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace.split(":")[0] in SKIPPED_NAMESPACES or not match.url_name:
        return None
    return match.view_name


QUERY_READ = re.compile(r"""request\.GET(?:\.get|\.getlist)?[(\[]\s*["']([\w-]+)["']""")


def query_keys_read_by(view):
    """The query parameters a view reads itself, found in its source."""
    function = inspect.unwrap(view)
    function = getattr(function, "view_class", function)
    try:
        source = inspect.getsource(inspect.getmodule(function))
    except (OSError, TypeError):
        return set()
    try:
        own = inspect.getsource(function)
    except (OSError, TypeError):
        own = source
    keys = set(QUERY_READ.findall(own))
    # Helpers of the same module that the view calls with the request.
    for helper in re.findall(r"(_\w+)\(request\b", own):
        match = re.search(rf"def {helper}\(.*?(?=\ndef |\Z)", source, re.S)
        if match:
            keys |= set(QUERY_READ.findall(match.group(0)))
    return keys


# ---------------------------------------------------------------------------- pages


@dataclass
class Field:
    name: str
    kind: str  # an input's type, "select", "textarea"
    options: list = field(default_factory=list)
    default: list = field(default_factory=list)
    required: bool = False
    multiple: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass
class Form:
    page: str
    method: str
    action: str
    route: str
    fields: dict
    buttons: list
    # The forms sent before, from the crawled state, to reach this one.
    steps: tuple = ()

    def signature(self):
        return (self.route, self.method, tuple(sorted(self.fields)))


class PageReader(HTMLParser):
    """The links and forms of a page, as a browser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attributes):
        attrs = {key: value if value is not None else "" for key, value in attributes}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": attrs.get("method", "get").lower(),
                "action": attrs.get("action", ""),
                "fields": {},
                "buttons": [],
            }
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("name") and attrs.get("type", "submit") == "submit":
            self._form["buttons"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "select" and attrs.get("name"):
            self._select = self._field(attrs["name"], "select", attrs)
            self._select.multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.default.append(value)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = self._field(attrs["name"], "textarea", attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.default = [(self._textarea.default or [""])[0] + data]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select.default and self._select.options and not self._select.multiple:
                self._select.default = [self._select.options[0]]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _field(self, name, kind, attrs):
        fields = self._form["fields"]
        if name not in fields:
            fields[name] = Field(name, kind, required="required" in attrs, attrs=attrs)
        return fields[name]

    def _input(self, attrs):
        kind = attrs.get("type", "text").lower()
        name = attrs.get("name")
        if not name:
            return
        if kind in ("submit", "image"):
            self._form["buttons"].append((name, attrs.get("value", "")))
            return
        if kind in ("button", "reset"):
            return
        current = self._field(name, kind, attrs)
        if kind in ("checkbox", "radio"):
            value = attrs.get("value", "on")
            current.options.append(value)
            current.multiple = kind == "checkbox"
            if "checked" in attrs:
                current.default.append(value)
        elif kind != "file":
            current.default = [attrs.get("value", "")]


def plausible(field_spec, today):
    """A value a careful person would give an empty field of this kind."""
    later = today + datetime.timedelta(days=8)
    return {
        "email": "kokeilu@example.fi",
        "number": field_spec.attrs.get("min") or "1",
        "date": later.isoformat(),
        "time": "10:00",
        "datetime-local": f"{later.isoformat()}T10:00",
        "url": "https://example.fi/",
        "tel": "0401234567",
        "password": "a long phrase about Kallio",
        "textarea": "Kokeiluteksti.",
    }.get(field_spec.kind, "Kokeilu")


def baseline(form, today, *, choose=False):
    """What the form sends as the page fills it, with required empty fields filled;
    with ``choose``, the first choice of every group of boxes nobody ticked too."""
    data = {}
    for name, spec in form.fields.items():
        if spec.kind == "file":
            continue
        values = [value for value in spec.default if value is not None]
        if spec.kind == "radio" and not values and spec.options:
            values = [spec.options[0]]
        if spec.kind == "checkbox" and not values and (spec.required or choose):
            values = spec.options[:1]
        if not values or values == [""]:
            values = [plausible(spec, today)] if spec.required else values
        if values:
            data[name] = values if spec.multiple else values[0]
    if form.buttons:
        name, value = form.buttons[0]
        data.setdefault(name, value)
    return data


# ---------------------------------------------------------------------------- crawl


@dataclass
class QueryTarget:
    """A page whose query parameters are fuzzed."""

    page: str
    route: str
    keys: set


@dataclass
class Crawl:
    pages: dict = field(default_factory=lambda: defaultdict(list))  # route → [url] (200)
    requested: set = field(default_factory=set)  # routes asked for, whatever the answer
    forms: list = field(default_factory=list)
    queries: dict = field(default_factory=lambda: defaultdict(set))  # route → keys
    errors: list = field(default_factory=list)

    def reached(self):
        return self.requested | {form.route for form in self.forms}


def local(url, base="/"):
    """``url`` as a path and query on this site, or None for another site."""
    parts = urlsplit(urljoin(f"http://testserver{base}", url))
    if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawler:
    """Every page reachable by links from the seeds, at most PAGES_PER_ROUTE per route.

    GET forms (searches) are sent as the page fills them, and with their dates a week
    ahead, as a person would; so are the POST forms of the routes in ``follow``, the
    steps that lead on to further pages (starting a survey, choosing a district to
    vote in, reviewing a ballot). ``follow`` maps each route to the name of the button
    that leads on, or to None for the form's first button.
    """

    def __init__(self, client, routes, *, follow=(), today):
        self.client = client
        self.routes = routes
        self.follow = dict(follow) if isinstance(follow, dict) else dict.fromkeys(follow)
        self.today = today
        self.found = Crawl()
        self.fetched, self.followed = set(), Counter()
        self.per_route, self.per_path, self.kept_forms = Counter(), Counter(), Counter()
        self.waiting = deque()

    def run(self, seeds):
        self.waiting.extend(seeds)
        while self.waiting:
            self.visit(self.waiting.popleft())
        for route, view in self.routes.items():
            self.found.queries[route] |= query_keys_read_by(view)
        return self.found

    def visit(self, url):
        if url is None or url in self.fetched:
            return
        parts = urlsplit(url)
        route = route_of(parts.path)
        if route is None:
            return
        if parts.query:
            self.found.queries[route] |= {key for key, _value in parse_qsl(parts.query)}
        if self.per_path[parts.path] >= QUERIES_PER_PAGE or (
            parts.path not in self.per_path and self.per_route[route] >= PAGES_PER_ROUTE
        ):
            return
        if parts.path not in self.per_path:
            self.per_route[route] += 1
        self.per_path[parts.path] += 1
        self.fetched.add(url)
        self.found.requested.add(route)
        self.read(url, route, _fetch(self.found, self.client, "get", url))

    def read(self, url, route, response, steps=()):
        """Note the page's links and forms, or follow its redirect."""
        if response is None:
            return
        if response.status_code in (301, 302, 303):
            self.waiting.append(local(response["Location"], url))
            return
        if response.status_code != 200:
            return
        self.found.pages[route].append(url)
        content_type = response.get("Content-Type", "")
        if "json" in content_type:
            # An API links its objects by address (``@id``, ``next``): followed as a
            # client application would.
            self.waiting.extend(local(link, url) for link in links_in(json.loads(response.content)))
            return
        if "text/html" not in content_type:
            return
        reader = PageReader()
        reader.feed(response.content.decode())
        self.waiting.extend(local(link, url) for link in reader.links)
        for raw in reader.forms:
            action = local(raw["action"], url) if raw["action"] else url
            if action is not None and route_of(urlsplit(action).path) is not None:
                self.form(url, action, raw, steps)

    def form(self, page, action, raw, steps):
        path = urlsplit(action).path
        form = Form(
            page=page,
            method=raw["method"],
            action=action,
            route=route_of(path),
            fields=raw["fields"],
            buttons=raw["buttons"],
            steps=steps,
        )
        if self.kept_forms[form.signature()] < 2:
            self.kept_forms[form.signature()] += 1
            self.found.forms.append(form)
        filled = baseline(form, self.today)
        if form.method == "get":
            self.found.queries[form.route] |= set(form.fields)
            self.waiting.append(f"{path}?{urlencode(filled, doseq=True)}")
            later = (self.today + datetime.timedelta(days=8)).isoformat()
            dates = {name for name, spec in form.fields.items() if spec.kind == "date"}
            if dates:
                filled.update(dict.fromkeys(dates, later))
                self.waiting.append(f"{path}?{urlencode(filled, doseq=True)}")
        elif (
            form.route in self.follow
            and self.followed[form.route] < FOLLOWS_PER_ROUTE
            # A form with nothing to fill in that posts to its own page finishes the
            # steps (sends the survey); left unsent, the steps stay open to the fuzz.
            and (
                any(spec.kind != "hidden" for spec in form.fields.values())
                or form.route != route_of(urlsplit(page).path)
            )
        ):
            self.followed[form.route] += 1
            if steps:
                self.follow_form(form, steps)
            else:
                # What the steps change is undone after them, so that the fuzz starts
                # every attempt from the state the form was found in.
                savepoint = transaction.savepoint()
                try:
                    self.follow_form(form, steps)
                finally:
                    transaction.savepoint_rollback(savepoint)

    def follow_form(self, form, steps):
        filled = baseline(form, self.today, choose=True)
        button = self.follow[form.route]
        if button is not None and form.buttons and button != form.buttons[0][0]:
            pressed = dict(form.buttons)
            if button in pressed:
                if form.buttons[0][0] not in form.fields:
                    del filled[form.buttons[0][0]]
                filled[button] = pressed[button]
        steps = (*steps, ("post", form.action, filled))
        response = _fetch(self.found, self.client, "post", form.action, filled)
        if response is not None and response.status_code in (301, 302, 303):
            # The next step, even at an address seen before: a survey's pages follow
            # each other at one address.
            following = local(response["Location"], form.action)
            route = following and route_of(urlsplit(following).path)
            if route is not None:
                self.found.requested.add(route)
                response = _fetch(self.found, self.client, "get", following)
                self.read(following, route, response, steps)
        else:
            self.read(form.action, form.route, response, steps)


def links_in(value):
    """Every address in a JSON document: its strings that are absolute URLs."""
    if isinstance(value, dict):
        for item in value.values():
            yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        yield value


def crawl(client, seeds, routes, *, follow=(), today):
    return Crawler(client, routes, follow=follow, today=today).run(seeds)


def _fetch(found, client, method, url, data=None):
    """The answer, or None with the failure noted: no page may fail while crawling."""
    try:
        response = getattr(client, method)(url, data or {})
    except Exception as error:
        found.errors.append(f"{method.upper()} {url}: {type(error).__name__}: {error}"[:300])
        return None
    if response.status_code >= 500:
        found.errors.append(f"{method.upper()} {url}: {response.status_code}")
        return None
    return response


def api_query_keys(client):
    """The query parameters of every API path, from the API's own OpenAPI schema."""
    response = client.get("/api/v1/schema/", {"format": "json"})
    schema = json.loads(response.content)
    keys = {}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            keys[path] = {
                parameter["name"]
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query"
            }
    return keys


# ---------------------------------------------------------------------------- values

HUGE_NUMBERS = st.sampled_from(
    [
        str(2**63),
        str(-(2**63) - 1),
        str(2**63 - 1),
        str(2**31),
        "1" + "0" * 400,
        "-" + "9" * 60,
        "99999999999999999999.99",
        "0.000000000000000000000000001",
    ]
) | st.integers(min_value=2**31, max_value=2**80).map(str)
EXPONENTS = st.sampled_from(
    [
        "1e30",
        "1e400",
        "-1e400",
        "1E309",
        "9e999999999",
        "1e-400",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "sNaN",
        "0x10",
        "1_000",
        "1,5e3",
        "60,1e30",
        "1e30,5",
    ]
)
UNICODE_DIGITS = st.sampled_from(["²", "٣", "①", "½", "𝟗", "3²", "١٢٣", "٣٫٥", "１２"])
CONTROL = st.sampled_from(list("\x00\x01\x08\x0b\x1b\x7f\u202e\u2066\u200b\ufeff\u2028\r\x85"))
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)
CONTROL_TEXT = st.builds(lambda head, control, tail: f"{head}{control}{tail}", TEXT, CONTROL, TEXT)
LONG = st.sampled_from(
    ["x" * 10_000, "é" * 5_001, "🙂" * 3_000, "a " * 4_000, "1" * 5_000, "-" * 301, "ä" * 2_001]
)
DEEP_JSON = st.sampled_from(
    [
        "[" * 5_000 + "]" * 5_000,
        '{"a":' * 3_000 + "1" + "}" * 3_000,
        '{"type": "Point", "coordinates": ' + "[" * 2_000 + "]" * 2_000 + "}",
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[24.9 + i * 1e-5, 60.17 + (i % 7) * 1e-5] for i in range(5000)]],
            }
        ),
        '{"type": "Point", "coordinates": [1e400, -1e400]}',
        '{"type": "Point", "coordinates": ["²", "٣"]}',
        '{"type": "Polygon", "coordinates": 5}',
        '{"type": "Feature"}',
        "null",
        "{}",
    ]
)
DATES = st.sampled_from(
    [
        "9999-12-31",
        "0001-01-01",
        "2026-02-30",
        "99999-01-01",
        "2026-13-01",
        "-1",
        "24:00",
        "23:60",
        "9999-12-31T23:59",
        "1-1-1",
        "2026-1-1T25:00",
    ]
)
SMALL = st.sampled_from(["", " ", "0", "-1", "-0", "+1", "1.5", "abc", "None", "[]", "on"])

# Sent first into every field of every form and page at once, so that each reaches
# each field whatever Hypothesis draws after them.
CANONICAL = (
    str(2**63),
    "1e400",
    "NaN",
    "²",
    "-1",
    "Aino\x00",
    "Aino \u202egnp.exe",
    "x" * 10_000,
    "[" * 5_000 + "]" * 5_000,
    "9999-12-31",
)

# Each example sends values of one kind into every field it changes, so that every
# kind reaches every field within a few examples.
KINDS = (HUGE_NUMBERS, EXPONENTS, UNICODE_DIGITS, CONTROL_TEXT, LONG, DEEP_JSON, DATES, SMALL, TEXT)
HOSTILE = st.one_of(*KINDS)

FILES = st.sampled_from(
    [
        ("pommi.png", images.png_bomb()),
        ("kuva.jpg", images.jpeg_with_a_second_jpeg_appended()),
        ("liike.jpg", images.motion_photo()),
        ("kuva.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("tyhja.png", b""),
        ("rikki.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        # Attachments of decisions are PDFs: a header and nothing a reader could open.
        ("paatos.pdf", b"%PDF-1.7\n" + b"\x00" * 64),
    ]
)
