"""No number inside an HTML attribute is written for a language.

The site groups digits for people (``2 000`` in Finnish and Swedish, ``2,000`` in
English; ``USE_THOUSAND_SEPARATOR``) and writes decimals with a comma in Finnish. Inside
an attribute that is a bug: ``maxlength="2 000"`` lets a browser take two characters, an
``id`` or a hidden ``value`` of ``12 345`` no longer names the row, ``data-lat="60,17"``
is no coordinate. Templates write such numbers with ``|unlocalize`` (or
``stringformat``), or inside ``{% localize off %}``.

Every page of the URL configuration (each case of the permission matrix, with GET, and
with POST and the row's data where the view takes it: a form with its errors, the
review of a ballot) is rendered in each language, as anonymous, as the resident and as a
city administrator past the second factor (and, for a page none of them may see, as
someone who may), in a world whose ids start at 12,345, and every attribute that holds
a number is checked. (The admin's pages of each model refuse these three alike, so they
are left out.)
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests.core.test_permission_matrix import (
    GET,
    LANGUAGES,
    admin_rows,
    every_row,
    path_of,
    url_patterns,
)
from tests.core.world import PRINCIPALS as MATRIX_PRINCIPALS
from tests.core.world import build_world, ids_from, sign_in

FIRST_ID = 12_345
PRINCIPALS = ("anonymous", "resident", "city_admin")

# Attributes whose whole value is one number, written as a program reads it.
NUMBER_ATTRIBUTES = {
    "maxlength", "minlength", "min", "max", "step", "size", "rows", "cols", "width",
    "height", "tabindex", "colspan", "rowspan", "span", "start", "low", "high", "optimum",
    "aria-valuenow", "aria-valuemin", "aria-valuemax", "aria-level", "aria-posinset",
    "aria-setsize", "aria-colcount", "aria-rowcount", "aria-colindex", "aria-rowindex",
    "aria-colspan", "aria-rowspan",
    # SVG
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy",
    "stroke-width", "font-size", "opacity", "fill-opacity", "stroke-opacity", "offset",
}  # fmt: skip
# Inputs whose min and max are dates or times, not numbers.
DATE_INPUTS = {"date", "datetime-local", "time", "month", "week"}
# Attributes that name or point at something: an id written in them must be whole.
REFERENCE_ATTRIBUTES = {
    "id", "for", "name", "form", "list", "headers", "aria-labelledby", "aria-describedby",
    "aria-controls", "aria-owns", "aria-activedescendant", "aria-details",
    "aria-errormessage", "href", "action", "src",
}  # fmt: skip
# Inputs whose value a program reads back.
VALUE_INPUTS = {"hidden", "checkbox", "radio", "number", "range", "submit", "button"}

PLAIN_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
GROUP = "[\u00a0\u202f\u2009 ,.']"
# A whole value that is a number written for people: 2 000, 2,000, 1 234,5, 60,17.
LOCALISED_NUMBER = re.compile(rf"[-−]?\d{{1,3}}({GROUP}\d{{3}})+([.,]\d+)?|[-−]?\d+,\d+")
# Digits grouped inside a longer value: comment-12 345, ?page=12,345.
GROUPED_DIGITS = re.compile(r"\d([\u00a0\u202f\u2009 ]|,(?=\d{3}(\D|$)))\d")


class Attributes(HTMLParser):
    """Every start tag's attributes, with the line they are on."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((self.getpos()[0], tag, attrs))

    handle_startendtag = handle_starttag


def localised_attributes(html):
    """``[(line, tag, attribute, value)]`` of every number in an attribute written
    for a language."""
    parser = Attributes()
    parser.feed(html)
    parser.close()
    found = []
    for line, tag, attrs in parser.tags:
        given = dict(attrs)
        for name, value in attrs:
            if value is not None and _localised(tag, given, name, value):
                found.append((line, tag, name, value))
    return found


def _localised(tag, attrs, name, value):
    value = value.strip()
    if name in NUMBER_ATTRIBUTES:
        if name in ("min", "max") and attrs.get("type") in DATE_INPUTS:
            return False
        if name == "step" and value == "any":
            return False
        if name in ("width", "height", "font-size", "stroke-width"):
            value = re.sub(r"(%|px|em|rem|pt)$", "", value)
        return value != "" and not PLAIN_NUMBER.fullmatch(value)
    if name == "viewbox":
        parts = value.split()
        return len(parts) != 4 or not all(PLAIN_NUMBER.fullmatch(part) for part in parts)
    if name == "points":
        return not all(
            len(pair.split(",")) == 2 and all(PLAIN_NUMBER.fullmatch(n) for n in pair.split(","))
            for pair in value.split()
        )
    if name == "value" and (
        tag in ("option", "button", "data", "meter", "progress", "li")
        or attrs.get("type") in VALUE_INPUTS
    ):
        return bool(LOCALISED_NUMBER.fullmatch(value) or GROUPED_DIGITS.search(value))
    if name.startswith("data-"):
        return bool(LOCALISED_NUMBER.fullmatch(value))
    if name in REFERENCE_ATTRIBUTES:
        if name in ("href", "action", "src"):
            parts = urlsplit(value)
            value = f"{parts.query}#{parts.fragment}"
        return bool(GROUPED_DIGITS.search(value))
    return False


def test_the_check_finds_numbers_written_for_people():
    """The check itself: what issue 12 found, and what is right."""
    wrong = localised_attributes(
        '<textarea maxlength="2\u00a0000"></textarea><textarea maxlength="2,000"></textarea>'
        '<input type="number" value="1\u00a0234,5" step="0,5">'
        '<input type="hidden" name="plans" value="12\u00a0345">'
        '<li id="comment-12\u202f345"><a href="#comment-12,345">x</a></li>'
        '<div data-lat="60,17"></div><svg viewBox="0 0 1\u00a0000 800"></svg>'
    )
    assert [(tag, name) for _line, tag, name, _value in wrong] == [
        ("textarea", "maxlength"),
        ("textarea", "maxlength"),
        ("input", "value"),
        ("input", "step"),
        ("input", "value"),
        ("li", "id"),
        ("a", "href"),
        ("div", "data-lat"),
        ("svg", "viewbox"),
    ]
    right = localised_attributes(
        '<textarea maxlength="2000" rows="6"></textarea><input type="number" value="1234.5">'
        '<input type="date" min="2026-01-01"><input type="hidden" value="12345">'
        '<li id="comment-12345" aria-label="2\u00a0000 euroa"><a href="?page=2#c-1">x</a></li>'
        '<div data-lat="60.17" data-message="Enintään 2\u00a0000 merkkiä"></div>'
        '<svg viewBox="0 0 1000 800"><polygon points="1,2 3.5,4"/></svg>'
    )
    assert right == []


# The pages


def principals_for(case, method):
    """``PRINCIPALS``, and for a page none of them may see, the first who may."""
    allowed = case.allowed_for(method)
    if any(principal in allowed for principal in PRINCIPALS):
        return PRINCIPALS
    seeing = [p for p in MATRIX_PRINCIPALS if p in allowed]
    return PRINCIPALS + tuple(seeing[:1])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), ids_from(FIRST_ID), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _pages():
    patterns = {pattern.key for pattern in url_patterns()}
    # The admin's pages of each model answer these principals with the same refusal.
    model_pages = set(admin_rows())
    for key, row in every_row().items():
        if key not in patterns or key in model_pages:
            continue
        for label in row.cases:
            for method in row.methods:
                for language in LANGUAGES:
                    name = f"{key}{f'[{label}]' if label else ''} {method} {language}"
                    yield pytest.param(key, label, method, language, id=name)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "label", "method", "language"), list(_pages()))
def test_no_number_in_an_attribute_is_localised(world, key, label, method, language):
    pattern = next(p for p in url_patterns() if p.key == key)
    case = every_row()[key].cases[label]
    path = path_of(pattern, case, world, language)
    found = []
    for principal in principals_for(case, method):
        cache.clear()
        with transaction.atomic():
            client = sign_in(Client(), world, principal)
            if method == GET:
                response = client.get(path, case.query(world))
            else:
                response = client.post(path, case.data(world))
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{method} {path} as {principal}: {response.status_code}"
        if "html" not in response.get("Content-Type", ""):
            continue
        for line, tag, name, value in localised_attributes(response.content.decode()):
            found.append(f"  as {principal}, line {line}: <{tag} {name}={value!r}>")
    assert not found, (
        f"{method} {path}: numbers written for people inside attributes (use |unlocalize):\n"
        + "\n".join(dict.fromkeys(found))
    )
