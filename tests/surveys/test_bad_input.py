"""Bad input to surveys gets a message next to the question, never a 500, and what
is stored is exactly what was written (issue 12, items 7 and 8)."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from osallistu.surveys import engine, exports
from osallistu.surveys.engine import clean_answer
from osallistu.surveys.models import Answer, Response
from tests.surveys.test_engine import HELSINKI_BBOX, error_of, post, spec

pytestmark = pytest.mark.integrity

CONTROL_MESSAGE = "invisible control character"


class TestDigitsThatAreNotNumbers:
    """``'²'.isdigit()`` is True but ``int('²')`` raises."""

    @pytest.mark.parametrize("raw", ["²", "①", "³", "1²", "9" * 5000, "-1", "1.0", " "])
    def test_ranking(self, raw):
        assert "from 1 to 3" in error_of(spec("ranking"), post(q1_11=raw.strip() or "²"))

    @pytest.mark.parametrize("raw", ["²", "①", "9" * 5000, "5.0", "-0"])
    def test_scale(self, raw):
        assert "from 1 to 5" in error_of(spec("scale"), post(q1=raw))

    def test_digits_of_other_scripts_are_read_as_numbers(self):
        # What int() reads as a digit (an Arabic-Indic three, a full-width two) is one.
        assert clean_answer(spec("scale"), post(q1="٣")).value == 3
        assert clean_answer(spec("ranking"), post(q1_12="１")).value == [12]


class TestNumbers:
    @pytest.mark.parametrize("integer", [True, False])
    @pytest.mark.parametrize("raw", ["1e400", "1E+400", "-1e400", "1e15", "1000000000000000"])
    def test_too_large(self, raw, integer):
        message = error_of(spec("number", integer=integer), post(q1=raw))
        assert "too large" in message and "15 digits" in message

    def test_largest_taken_exactly(self):
        cleaned = clean_answer(spec("number"), post(q1="999 999 999 999 999"))
        assert cleaned.value == 999_999_999_999_999 and cleaned.number == 999_999_999_999_999.0

    @pytest.mark.parametrize("raw", ["1e-400", "3,14159265358979323846", "0,10000000000000000001"])
    def test_too_precise_to_store_as_written(self, raw):
        assert "too many digits" in error_of(spec("number", integer=False), post(q1=raw))

    @pytest.mark.parametrize(("raw", "value"), [("0,1", 0.1), ("-2,50", -2.5), ("1e3", 1000.0)])
    def test_decimals_stored_as_written(self, raw, value):
        assert clean_answer(spec("number", integer=False), post(q1=raw)).value == value

    def test_whole_number_with_a_huge_exponent(self):
        assert "too large" in error_of(spec("number"), post(q1="1e999999999"))


class TestMapInput:
    def test_deeply_nested_geojson(self):
        nested = "[" * 5000 + "]" * 5000
        raw = json.dumps({"type": "Point", "coordinates": 0})[:-2] + nested + "}"
        assert "could not be read" in error_of(spec("map"), post(q1_geojson=raw))

    def test_nested_within_the_length_limit(self):
        assert "could not be read" in error_of(spec("map"), post(q1_geojson="[" * 9000))

    def test_huge_geojson_is_refused_before_parsing(self):
        ring = [[24.9, 60.2]] * 20_000
        raw = json.dumps({"type": "Polygon", "coordinates": [ring]})
        message = error_of(spec("map", geometry="area"), post(q1_geojson=raw))
        assert "too large to read" in message and "200 corners" in message

    @pytest.mark.parametrize(
        "coordinates", ["[1" + "0" * 400 + ", 60.2]", "[1e400, 60.2]", "[NaN, 60.2]"]
    )
    def test_coordinates_that_are_no_place(self, coordinates):
        raw = '{"type": "Point", "coordinates": ' + coordinates + "}"
        error_of(spec("map", bbox=HELSINKI_BBOX), post(q1_geojson=raw))

    def test_typed_coordinates_out_of_range(self):
        error_of(spec("map"), post(q1_lat="1e400", q1_lon="24,9"))
        error_of(spec("map"), post(q1_lat="²", q1_lon="24,9"))


class TestControlCharacters:
    @pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff"])
    @pytest.mark.parametrize("kind", ["short_text", "long_text"])
    def test_refused_in_text(self, kind, char):
        assert CONTROL_MESSAGE in error_of(spec(kind), post(q1=f"Hyvä{char}idea"))

    def test_long_text_keeps_tabs_and_lines_as_one_character_each(self):
        question = spec("long_text", max_length=12)
        cleaned = clean_answer(question, post(q1="Yksi\r\nkaksi\tx"))
        assert cleaned.value == "Yksi\nkaksi\tx"  # 12 characters, as the browser counts
        assert "at most 12" in error_of(question, post(q1="Yksi\r\nkaksi\tx!"))

    @pytest.mark.parametrize("char", ["\t", "\n", "\r"])
    def test_short_text_is_one_line(self, char):
        assert "one line" in error_of(spec("short_text"), post(q1=f"Kallio{char}Sörnäinen"))

    def test_other_answer_and_address(self):
        question = spec("single_choice", allow_other=True)
        assert CONTROL_MESSAGE in error_of(question, post(q1="other", q1_other="Muu\x00"))
        assert CONTROL_MESSAGE in error_of(spec("map"), post(q1_address="Mannerheimintie\x01"))


def _answer_page(client, survey, page, data):
    with translation.override("fi"):
        url = reverse("surveys:answer", kwargs={"slug": survey.slug})
        return client.post(url, {"page": page.pk, **data})


@pytest.fixture
def started(client, every_kind_survey):
    survey = every_kind_survey.survey
    with translation.override("fi"):
        client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
    return every_kind_survey


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "field", "raw"),
    [
        ("ranking", "", "²"),
        ("scale", "", "²"),
        ("number", "", "1e400"),
        ("map", "_geojson", "[" * 50_000),
        ("long_text", "", "Kiitos\x00"),
        ("short_text", "", "\x1b[31m"),
    ],
)
def test_bad_answers_come_back_with_a_message_and_nothing_stored(client, started, kind, field, raw):
    question = getattr(started, kind)
    name = f"q{question.pk}{field}"
    if kind == "ranking":
        name = f"q{question.pk}_{question.options.first().pk}"
    page = _answer_page(client, started.survey, started.page, {name: raw})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="q{question.pk}_error"' in html
    assert not Answer.objects.exists()
    assert Response.objects.get().current_page_id == started.page.pk


def test_a_number_too_large_is_refused_in_the_language_of_the_page(client, started):
    page = _answer_page(client, started.survey, started.page, {f"q{started.number.pk}": "1e400"})
    assert "Luku on liian suuri: kirjoita enintään 15 numeroa" in page.content.decode()


def _sent_response_with(survey, question, value, text=""):
    from django.utils import timezone

    response = Response.objects.create(
        survey=survey, status="submitted", submitted_at=timezone.now()
    )
    Answer.objects.create(response=response, question=question, value=value, text=text)
    return response


@pytest.mark.django_db
def test_exports_of_control_characters_already_stored(every_kind_survey):
    """Answers stored before control characters were refused (on SQLite NUL could be
    stored) do not break the spreadsheet for everybody: the XLSX shows a visible
    replacement, the CSV keeps the text as it is."""
    from openpyxl import load_workbook

    s = every_kind_survey
    if connection.vendor != "postgresql":
        _sent_response_with(s.survey, s.short_text, "Nul\x00ja escape\x1b", "Nul\x00ja escape\x1b")
    _sent_response_with(s.survey, s.long_text, "Rivi\nToinen\x0bvt\uffff")
    workbook = load_workbook(exports.xlsx_file(s.survey), read_only=True)
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "Rivi\nToinen\ufffdvt\ufffd" in cells
    if connection.vendor != "postgresql":
        assert "Nul\ufffdja escape\ufffd" in cells
    csv_text = b"".join(exports.csv_lines(s.survey)).decode()
    assert "Toinen\x0bvt\uffff" in csv_text


def test_check_characters_allows_what_people_write():
    text = "Älä unohda: 24 °C, €, “lainaus” — 😀\u200d👩 ja نص"
    assert engine.check_characters(text) == text


@pytest.mark.postgres
@pytest.mark.django_db
def test_nul_is_refused_before_postgresql_would_fail_on_it(client, started):
    """PostgreSQL stores no NUL in text or JSON: without the check the page was a 500."""
    s = started
    choice = s.single_choice.options.first()
    for data in (
        {f"q{s.long_text.pk}": "Ensin\x00sitten"},
        {f"q{s.single_choice.pk}": "other", f"q{s.single_choice.pk}_other": "\x00"},
        {f"q{s.map.pk}_address": "Kallio\x00"},
    ):
        page = _answer_page(client, s.survey, s.page, data)
        assert page.status_code == 200 and "ohjausmerkki" in page.content.decode()
    assert not Answer.objects.exists()
    done = _answer_page(client, s.survey, s.page, {f"q{s.single_choice.pk}": choice.pk})
    assert done.status_code == 302 and Answer.objects.count() == 1
