"""Answers and display conditions as plain functions: no database, no requests.

``clean_answer`` turns what a form posted for one question into the value to
store (or None when the question was left empty) and raises ``AnswerError``
with a message the respondent can read. ``visible_ids`` applies the display
conditions in survey order, and ``keep_visible`` drops the answers of questions
that are not shown, so that a hidden answer is never stored.

Values by kind (what ``Answer.value`` holds):
short and long text "…"; single choice {"option": id} or {"other": "…"};
multiple choice {"options": [id, …], "other": "…"?}; ranking [id, …] best first;
scale and number a number; matrix {"row id": option id}; date "YYYY-MM-DD";
map {"geojson": {…} or null, "address": "…"}: a Point, or a Polygon with one closed
ring that does not cross itself, inside the question's map area (Helsinki when the
question sets none).

What cannot be stored faithfully is refused with a message, never changed on the
way: control characters (NUL cannot be stored in PostgreSQL, and the others break
spreadsheets), numbers too large or too precise for the number column, and anything
that is not a number where one is asked for (``²`` passes ``str.isdigit``).
"""

import datetime
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from osallistu.core import geo
from osallistu.core.errors import DomainError

SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
RANKING = "ranking"
SCALE = "scale"
MATRIX = "matrix"
NUMBER = "number"
DATE = "date"
MAP = "map"
INFO = "info"

OTHER = "other"  # the posted value of the "other" choice
# Corners of a drawn area: plenty for a hand-drawn outline, and few enough that
# checking the edges (geo.ring_crosses_itself) stays in milliseconds.
MAX_MAP_POSITIONS = 200
# What the map sends for the most corners is under 10,000 characters; anything much
# longer is not a drawing, and is refused before it is parsed.
MAX_GEOJSON_LENGTH = 20_000
# Numbers answered are stored as JSON and as a double: below 10¹⁵ every whole number
# is exact in both, and people answering surveys have no use for larger ones.
MAX_NUMBER_DIGITS = 15
# Control characters (Unicode category Cc) and the two non-characters that XML, and
# so XLSX, cannot hold. Long text keeps its tabs and line breaks.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_CHARACTERS_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

ANSWERED = "answered"
NOT_ANSWERED = "not_answered"
EQUALS = "equals"
NOT_EQUALS = "not_equals"
CONTAINS = "contains"


class AnswerError(DomainError):
    """An answer does not fit its question; ``code`` names the kind of check."""


@dataclass(frozen=True)
class ConditionSpec:
    depends_on: int
    operator: str
    option: int | None = None
    value: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    """What the engine needs to know of a question; ``settings`` has its defaults filled in."""

    id: int
    kind: str
    page: int
    required: bool = False
    settings: dict = field(default_factory=dict)
    choices: tuple = ()  # option ids, in order
    rows: tuple = ()  # matrix row ids, in order
    conditions: tuple = ()

    @property
    def name(self):
        return f"q{self.id}"


@dataclass(frozen=True)
class Cleaned:
    """A valid answer: the value to store and the columns results are computed from."""

    value: object
    text: str = ""
    number: float | None = None
    selections: tuple = ()  # (option id, row id or None, rank or None)


# Reading what was posted


def _text(data, key):
    return (data.get(key) or "").strip()


def check_characters(text, multiline=False):
    """Refuse ``text`` when it holds a control character: tabs and line breaks are
    allowed only in ``multiline`` text."""
    pattern = CONTROL_CHARACTERS_BUT_LINES if multiline else CONTROL_CHARACTERS
    if pattern.search(text):
        if not CONTROL_CHARACTERS_BUT_LINES.search(text):
            raise AnswerError(
                _(
                    "The answer contains a tab or a line break, which this field cannot "
                    "hold. Please write it on one line."
                ),
                code="control_character",
            )
        raise AnswerError(
            _(
                "The answer contains an invisible control character that cannot be saved. "
                "Please remove it, for example by typing the text again instead of pasting it."
            ),
            code="control_character",
        )
    return text


def whole(raw, most_digits=4):
    """A small whole number written with digits (any script's digits, as ``int``
    reads them), or None. ``str.isdigit`` is not enough: it accepts ``²``."""
    if raw.isdecimal() and len(raw) <= most_digits:
        return int(raw)
    return None


def _id(raw, allowed):
    """The option id in ``raw`` if it is one of ``allowed``; tampered values raise."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value not in allowed:
        raise AnswerError(_("Choose one of the options given."), code="unknown_option")
    return value


def _parse_number(raw):
    """A number as people write it in Finnish, Swedish or English: 3,5 or 3.5 or 1 200."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", raw).replace(",", ".").replace("\u2212", "-")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise AnswerError(_("Write a number, for example 12 or 3,5."), code="number") from None
    if not number.is_finite():
        raise AnswerError(_("Write a number, for example 12 or 3,5."), code="number")
    return number


def _parse_date(raw):
    """ISO (what a date input sends) or day.month.year as written in Finland."""
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise AnswerError(_("Write the date as day.month.year, for example 24.6.2026."), code="date")


# Validators, one per kind. Each returns Cleaned, or None when nothing was given.


def _clean_text(spec, data):
    text = _text(data, spec.name)
    if not text:
        return None
    multiline = spec.kind == LONG_TEXT
    if multiline:
        # Browsers send a line break as CR LF but count it as one character against
        # maxlength; so is it counted and stored here.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_characters(text, multiline=multiline)
    limit = spec.settings["max_length"]
    if len(text) > limit:
        raise AnswerError(
            _("The answer can be at most %(limit)s characters; it has %(length)s.")
            % {"limit": limit, "length": len(text)},
            code="text",
        )
    return Cleaned(value=text, text=text)


def _other_text(spec, data):
    other = _text(data, f"{spec.name}_other")
    if len(other) > 500:
        raise AnswerError(_("The “other” answer can be at most 500 characters."), code="other_text")
    return check_characters(other)


def _clean_single_choice(spec, data):
    raw = _text(data, spec.name)
    if not raw:
        return None
    if raw == OTHER and spec.settings["allow_other"]:
        other = _other_text(spec, data)
        if not other:
            raise AnswerError(_("You chose “other”: please write what."), code="choice")
        return Cleaned(value={"other": other}, text=other)
    option = _id(raw, spec.choices)
    return Cleaned(value={"option": option}, selections=((option, None, None),))


def _clean_multiple_choice(spec, data):
    raws = [raw for raw in data.getlist(spec.name) if raw]
    other_chosen = OTHER in raws and spec.settings["allow_other"]
    options = [_id(raw, spec.choices) for raw in raws if not (raw == OTHER and other_chosen)]
    if len(set(options)) != len(options):
        raise AnswerError(_("Choose one of the options given."), code="choices")
    other = _other_text(spec, data) if other_chosen else ""
    if other_chosen and not other:
        raise AnswerError(_("You chose “other”: please write what."), code="choices")
    count = len(options) + (1 if other_chosen else 0)
    if count == 0:
        return None
    low, high = spec.settings["min_choices"], spec.settings["max_choices"]
    if count < low:
        raise AnswerError(_("Choose at least %(count)s options.") % {"count": low}, code="choices")
    if high is not None and count > high:
        raise AnswerError(_("Choose at most %(count)s options.") % {"count": high}, code="choices")
    ordered = [option for option in spec.choices if option in options]
    value = {"options": ordered}
    if other_chosen:
        value["other"] = other
    return Cleaned(
        value=value, text=other, selections=tuple((option, None, None) for option in ordered)
    )


def rank_limit(spec):
    """The lowest rank a ranking question offers and takes: as many as it has items,
    or its ``max_ranked`` when that is fewer."""
    most = spec.settings["max_ranked"]
    return len(spec.choices) if most is None else min(most, len(spec.choices))


def _clean_ranking(spec, data):
    """Each item has a rank field (1 = most important); unranked items stay empty.
    Ranks run from 1 to ``rank_limit``, each used once and without gaps, so no more
    items are ranked than the question allows."""
    ranks = {}
    limit = rank_limit(spec)
    for option in spec.choices:
        raw = _text(data, f"{spec.name}_{option}")
        if not raw:
            continue
        rank = whole(raw)
        if rank is None or not 1 <= rank <= limit:
            if limit < len(spec.choices):
                raise AnswerError(
                    ngettext(
                        "You can rank only %(count)s item: give it the rank 1.",
                        "You can rank at most %(count)s items: give them ranks from 1 to "
                        "%(count)s.",
                        limit,
                    )
                    % {"count": limit},
                    code="ranking",
                )
            raise AnswerError(
                _("Give each rank as a number from 1 to %(count)s.") % {"count": limit},
                code="ranking",
            )
        ranks[option] = rank
    if not ranks:
        return None
    given = sorted(ranks.values())
    if given != list(range(1, len(given) + 1)):
        raise AnswerError(
            _("Use each rank once, starting from 1 and without gaps."), code="ranking"
        )
    ordered = sorted(ranks, key=ranks.get)
    return Cleaned(
        value=ordered,
        selections=tuple((option, None, rank) for rank, option in enumerate(ordered, start=1)),
    )


def _clean_scale(spec, data):
    raw = _text(data, spec.name)
    if not raw:
        return None
    low, high = spec.settings["min"], spec.settings["max"]
    value = whole(raw)
    if value is None or not low <= value <= high:
        raise AnswerError(
            _("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high}, code="scale"
        )
    return Cleaned(value=value, number=value)


def _clean_matrix(spec, data):
    chosen = {}
    for row in spec.rows:
        raw = _text(data, f"{spec.name}_{row}")
        if raw:
            chosen[row] = _id(raw, spec.choices)
    if not chosen:
        return None
    if spec.required and len(chosen) < len(spec.rows):
        raise AnswerError(_("Choose an answer on every row."), code="matrix")
    return Cleaned(
        value={str(row): option for row, option in chosen.items()},
        selections=tuple((option, row, None) for row, option in chosen.items()),
    )


def _clean_number(spec, data):
    raw = _text(data, spec.name)
    if not raw:
        return None
    number = _parse_number(raw)
    if number and number.adjusted() >= MAX_NUMBER_DIGITS:
        raise AnswerError(
            _("The number is too large: write at most %(count)s digits before the decimal point.")
            % {"count": MAX_NUMBER_DIGITS},
            code="number",
        )
    if spec.settings["integer"] and number != number.to_integral_value():
        raise AnswerError(_("Write a whole number."), code="number")
    low, high = spec.settings["min"], spec.settings["max"]
    if low is not None and number < Decimal(str(low)):
        raise AnswerError(_("The number must be at least %(low)s.") % {"low": low}, code="number")
    if high is not None and number > Decimal(str(high)):
        raise AnswerError(_("The number must be at most %(high)s.") % {"high": high}, code="number")
    value = int(number) if spec.settings["integer"] else float(number)
    if Decimal(repr(value)) != number:
        # 0,1 is stored as the double 0.1 and reads back the same; 1e-400 would read
        # back as 0, and 3,14159265358979323846 as 3,141592653589793.
        raise AnswerError(
            _("The number has too many digits: write at most %(count)s digits in all.")
            % {"count": MAX_NUMBER_DIGITS},
            code="number",
        )
    return Cleaned(value=value, number=float(value))


def _clean_date(spec, data):
    raw = _text(data, spec.name)
    if not raw:
        return None
    day = _parse_date(raw)
    low, high = (
        None if bound is None else datetime.date.fromisoformat(bound)
        for bound in (spec.settings["min"], spec.settings["max"])
    )
    if low and day < low:
        raise AnswerError(
            _("The date must be %(day)s or later.") % {"day": _finnish_date(low)}, code="date"
        )
    if high and day > high:
        raise AnswerError(
            _("The date must be %(day)s or earlier.") % {"day": _finnish_date(high)}, code="date"
        )
    return Cleaned(value=day.isoformat())


def _finnish_date(day):
    return f"{day.day}.{day.month}.{day.year}"


def _position(raw, bbox):
    # Whole numbers are compared as they are: math.isfinite cannot take 10**400.
    if not (
        isinstance(raw, list)
        and len(raw) == 2
        and all(isinstance(part, int | float) and not isinstance(part, bool) for part in raw)
        and not any(isinstance(part, float) and not math.isfinite(part) for part in raw)
    ):
        raise AnswerError(
            _("The place on the map could not be read. Write an address instead."), code="position"
        )
    lon, lat = raw
    west, south, east, north = bbox or geo.HELSINKI_BBOX
    if not (west <= lon <= east and south <= lat <= north):
        if bbox is None:
            raise AnswerError(_("The place must be in Helsinki."), code="position")
        raise AnswerError(_("The place is outside the map area of this question."), code="position")
    return [lon, lat]


def _geometry(raw, kind, bbox):
    """A GeoJSON Point or Polygon (WGS84, longitude first), checked and normalised."""
    if not isinstance(raw, dict):
        raise AnswerError(
            _("The place on the map could not be read. Write an address instead."), code="geometry"
        )
    if kind == "point":
        if raw.get("type") != "Point":
            raise AnswerError(_("Mark one point on the map."), code="geometry")
        return {"type": "Point", "coordinates": _position(raw.get("coordinates"), bbox)}
    rings = raw.get("coordinates")
    if raw.get("type") != "Polygon" or not isinstance(rings, list) or len(rings) != 1:
        raise AnswerError(_("Draw one area on the map."), code="geometry")
    ring = rings[0]
    if not isinstance(ring, list):
        raise AnswerError(_("Draw one area on the map."), code="geometry")
    if len(ring) > MAX_MAP_POSITIONS + 1:  # the first corner is repeated at the end
        raise AnswerError(
            _("An area can have at most %(count)s corners.") % {"count": MAX_MAP_POSITIONS},
            code="geometry",
        )
    positions = []
    for position in ring:
        checked = _position(position, bbox)
        if not positions or positions[-1] != checked:  # a corner clicked twice counts once
            positions.append(checked)
    if len(positions) > 1 and positions[0] == positions[-1]:
        positions.pop()
    if len(positions) < 3:
        raise AnswerError(_("An area needs at least three corners."), code="geometry")
    positions.append(positions[0])
    if geo.ring_crosses_itself(positions) or not geo.ring_area(positions):
        raise AnswerError(
            _("The edges of the area cross each other. Draw the corners in order around it."),
            code="geometry",
        )
    return {"type": "Polygon", "coordinates": [positions]}


def _clean_map(spec, data):
    """With JavaScript the map fills ``q<id>_geojson``; without it people give an
    address or description, and for a point optionally its coordinates."""
    kind, bbox = spec.settings["geometry"], spec.settings["bbox"]
    address = _text(data, f"{spec.name}_address")
    if len(address) > 300:
        raise AnswerError(
            _("The address or description can be at most 300 characters."), code="map"
        )
    check_characters(address)
    geojson = None
    raw_geojson = _text(data, f"{spec.name}_geojson")
    lat, lon = _text(data, f"{spec.name}_lat"), _text(data, f"{spec.name}_lon")
    if len(raw_geojson) > MAX_GEOJSON_LENGTH:
        raise AnswerError(
            _(
                "The place on the map is too large to read. Draw an area with at most "
                "%(count)s corners."
            )
            % {"count": MAX_MAP_POSITIONS},
            code="map",
        )
    if raw_geojson:
        try:
            parsed = json.loads(raw_geojson)
        except (ValueError, RecursionError):
            raise AnswerError(
                _("The place on the map could not be read. Write an address instead."), code="map"
            ) from None
        geojson = _geometry(parsed, kind, bbox)
    elif (lat or lon) and kind == "point":
        if not (lat and lon):
            raise AnswerError(
                _("Give both the latitude and the longitude, or neither."), code="map"
            )
        coordinates = [float(_parse_number(lon)), float(_parse_number(lat))]
        geojson = {"type": "Point", "coordinates": _position(coordinates, bbox)}
    if geojson is None and not address:
        return None
    return Cleaned(value={"geojson": geojson, "address": address}, text=address)


VALIDATORS = {
    SHORT_TEXT: _clean_text,
    LONG_TEXT: _clean_text,
    SINGLE_CHOICE: _clean_single_choice,
    MULTIPLE_CHOICE: _clean_multiple_choice,
    RANKING: _clean_ranking,
    SCALE: _clean_scale,
    MATRIX: _clean_matrix,
    NUMBER: _clean_number,
    DATE: _clean_date,
    MAP: _clean_map,
}


def clean_answer(spec, data):
    """The answer to ``spec`` in ``data`` (anything with ``get`` and ``getlist``, such
    as ``request.POST``): Cleaned, or None for no answer. Raises AnswerError."""
    if spec.kind == INFO:
        return None
    cleaned = VALIDATORS[spec.kind](spec, data)
    if cleaned is None and spec.required:
        raise AnswerError(_("This question needs an answer."), code="required")
    return cleaned


def clean_page(specs, data):
    """Answers of the shown questions of one page: ({id: Cleaned}, {id: error message})."""
    answers, errors = {}, {}
    for spec in specs:
        try:
            cleaned = clean_answer(spec, data)
        except AnswerError as error:
            errors[spec.id] = error.message
        else:
            if cleaned is not None:
                answers[spec.id] = cleaned
    return answers, errors


# Display conditions

OPERATORS_BY_KIND = {
    SHORT_TEXT: (ANSWERED, NOT_ANSWERED, EQUALS, NOT_EQUALS, CONTAINS),
    LONG_TEXT: (ANSWERED, NOT_ANSWERED, CONTAINS),
    SINGLE_CHOICE: (ANSWERED, NOT_ANSWERED, EQUALS, NOT_EQUALS),
    MULTIPLE_CHOICE: (ANSWERED, NOT_ANSWERED, EQUALS, NOT_EQUALS, CONTAINS),
    RANKING: (ANSWERED, NOT_ANSWERED, EQUALS, NOT_EQUALS, CONTAINS),
    SCALE: (ANSWERED, NOT_ANSWERED, EQUALS, NOT_EQUALS),
    MATRIX: (ANSWERED, NOT_ANSWERED),
    NUMBER: (ANSWERED, NOT_ANSWERED, EQUALS, NOT_EQUALS),
    DATE: (ANSWERED, NOT_ANSWERED, EQUALS, NOT_EQUALS),
    MAP: (ANSWERED, NOT_ANSWERED),
    INFO: (),
}


def operators_for_kind(kind):
    return OPERATORS_BY_KIND.get(kind, ())


def _equals(kind, condition, value):
    """Single choice: that option was chosen. Multiple choice: exactly that option.
    Ranking: that item was ranked first. Text: the same words, ignoring case.
    Numbers and scales: the same number. Dates: the same day (YYYY-MM-DD)."""
    if kind == SINGLE_CHOICE:
        return value.get("option") == condition.option
    if kind == MULTIPLE_CHOICE:
        return value["options"] == [condition.option] and "other" not in value
    if kind == RANKING:
        return value[0] == condition.option
    if kind in (SCALE, NUMBER):
        try:
            return Decimal(str(value)) == _parse_number(condition.value)
        except AnswerError:
            return False
    return str(value).strip().casefold() == condition.value.strip().casefold()


def _contains(kind, condition, value):
    """Multiple choice and ranking: that option is among the chosen. Text: the words
    appear in the answer, ignoring case."""
    if kind == MULTIPLE_CHOICE:
        return condition.option in value["options"]
    if kind == RANKING:
        return condition.option in value
    return condition.value.strip().casefold() in str(value).casefold()


def condition_holds(condition, kind, value):
    """Does ``condition`` on a question of ``kind`` hold for its answer ``value``
    (None when not answered)? "Does not equal" needs an answer: an empty answer
    neither equals nor differs."""
    if condition.operator == ANSWERED:
        return value is not None
    if condition.operator == NOT_ANSWERED:
        return value is None
    if value is None or condition.operator not in operators_for_kind(kind):
        return False
    if condition.operator == EQUALS:
        return _equals(kind, condition, value)
    if condition.operator == NOT_EQUALS:
        return not _equals(kind, condition, value)
    return _contains(kind, condition, value)


def visible_ids(specs, values):
    """The ids of the questions shown, given ``values`` ({question id: value}).
    ``specs`` are in survey order; an answer to a hidden question counts as no
    answer, so conditions chain."""
    kinds = {spec.id: spec.kind for spec in specs}
    shown = set()
    for spec in specs:
        if all(
            condition_holds(
                condition,
                kinds.get(condition.depends_on),
                values.get(condition.depends_on) if condition.depends_on in shown else None,
            )
            for condition in spec.conditions
        ):
            shown.add(spec.id)
    return shown


def keep_visible(specs, values):
    """``values`` without the answers of questions that are not shown."""
    shown = visible_ids(specs, values)
    return {question: value for question, value in values.items() if question in shown}


def shown_pages(pages, specs, values):
    """The page ids, in order, that have at least one shown question.
    ``pages`` are the survey's page ids in order."""
    shown = visible_ids(specs, values)
    with_questions = {spec.page for spec in specs if spec.id in shown}
    return [page for page in pages if page in with_questions]


def first_page(pages, specs, values):
    """The first shown page, or None when no question is shown at all."""
    shown = shown_pages(pages, specs, values)
    return shown[0] if shown else None


def progress(pages, specs, values, page):
    """(number of ``page``, pages known to be shown, most pages there can be). Later
    pages may depend on answers not given yet, so the last two can differ."""
    shown = shown_pages(pages, specs, values)
    before = [shown_page for shown_page in shown if pages.index(shown_page) < pages.index(page)]
    with_questions = {spec.page for spec in specs}
    later = [other for other in pages[pages.index(page) + 1 :] if other in with_questions]
    later_shown = [other for other in shown if pages.index(other) > pages.index(page)]
    number = len(before) + 1
    return number, number + len(later_shown), number + len(later)


def page_after(pages, specs, values, page):
    """The next shown page after ``page``, or None when the respondent is done."""
    order = {page_id: index for index, page_id in enumerate(pages)}
    later = [shown for shown in shown_pages(pages, specs, values) if order[shown] > order[page]]
    return later[0] if later else None


def page_before(pages, specs, values, page):
    """The shown page before ``page`` (None for the first); ``page`` None means the
    review step after the last page."""
    order = {page_id: index for index, page_id in enumerate(pages)}
    limit = len(pages) if page is None else order[page]
    earlier = [shown for shown in shown_pages(pages, specs, values) if order[shown] < limit]
    return earlier[-1] if earlier else None


def as_form_data(spec, value):
    """What the form would post to give ``value``: {field name: [strings]}. Used to
    fill in a page again with the stored answers."""
    name = spec.name
    if value is None or spec.kind == INFO:
        return {}
    if spec.kind in (SHORT_TEXT, LONG_TEXT, SCALE, DATE):
        return {name: [str(value)]}
    if spec.kind == NUMBER:
        return {name: [str(value).replace(".", ",")]}
    if spec.kind == SINGLE_CHOICE:
        if "other" in value:
            return {name: [OTHER], f"{name}_other": [value["other"]]}
        return {name: [str(value["option"])]}
    if spec.kind == MULTIPLE_CHOICE:
        data = {name: [str(option) for option in value["options"]]}
        if "other" in value:
            data[name].append(OTHER)
            data[f"{name}_other"] = [value["other"]]
        return data
    if spec.kind == RANKING:
        return {f"{name}_{option}": [str(rank)] for rank, option in enumerate(value, start=1)}
    if spec.kind == MATRIX:
        return {f"{name}_{row}": [str(option)] for row, option in value.items()}
    data = {f"{name}_address": [value["address"]]}
    geojson = value["geojson"]
    if geojson is not None:
        data[f"{name}_geojson"] = [json.dumps(geojson)]
        if geojson["type"] == "Point":
            lon, lat = geojson["coordinates"]
            data[f"{name}_lat"] = [str(lat).replace(".", ",")]
            data[f"{name}_lon"] = [str(lon).replace(".", ",")]
    return data
