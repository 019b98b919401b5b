"""The answer validators and the condition engine, without a database."""

import json

import pytest
from django.http import QueryDict

from osallistu.surveys import engine
from osallistu.surveys.engine import AnswerError, ConditionSpec, QuestionSpec, clean_answer
from osallistu.surveys.models import SETTINGS_DEFAULTS

HELSINKI_BBOX = [24.78, 60.10, 25.26, 60.30]


def spec(kind, id=1, page=1, required=False, conditions=(), **settings):
    return QuestionSpec(
        id=id,
        kind=kind,
        page=page,
        required=required,
        settings={**SETTINGS_DEFAULTS[kind], **settings},
        choices=(11, 12, 13),
        rows=(21, 22),
        conditions=tuple(conditions),
    )


def post(**fields):
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def error_of(question, data):
    with pytest.raises(AnswerError) as raised:
        clean_answer(question, data)
    return str(raised.value)


class TestRequiredAndEmpty:
    @pytest.mark.parametrize("kind", [k for k in SETTINGS_DEFAULTS if k != "info"])
    def test_empty_optional_answer_is_none(self, kind):
        assert clean_answer(spec(kind), post()) is None

    @pytest.mark.parametrize("kind", [k for k in SETTINGS_DEFAULTS if k != "info"])
    def test_empty_required_answer_is_refused(self, kind):
        assert error_of(spec(kind, required=True), post()) == "This question needs an answer."

    def test_info_text_has_no_answer(self):
        assert clean_answer(spec("info"), post(q1="anything")) is None


class TestText:
    def test_short_text_is_trimmed_and_searchable(self):
        cleaned = clean_answer(spec("short_text"), post(q1="  Kallio  "))
        assert cleaned.value == "Kallio" and cleaned.text == "Kallio"

    def test_too_long_text_is_refused_with_the_limit(self):
        message = error_of(spec("short_text", max_length=5), post(q1="Kalasatama"))
        assert "at most 5 characters; it has 10" in message

    def test_long_text_default_limit(self):
        assert clean_answer(spec("long_text"), post(q1="x" * 5000)).value == "x" * 5000
        error_of(spec("long_text"), post(q1="x" * 5001))


class TestSingleChoice:
    def test_option(self):
        cleaned = clean_answer(spec("single_choice"), post(q1="12"))
        assert cleaned.value == {"option": 12}
        assert cleaned.selections == ((12, None, None),)

    @pytest.mark.parametrize("tampered", ["99", "abc", "12.0", "other"])
    def test_tampered_or_unknown_option_is_refused(self, tampered):
        assert error_of(spec("single_choice"), post(q1=tampered)) == (
            "Choose one of the options given."
        )

    def test_other_with_free_text(self):
        cleaned = clean_answer(
            spec("single_choice", allow_other=True), post(q1="other", q1_other="Uimahalli")
        )
        assert cleaned.value == {"other": "Uimahalli"} and cleaned.text == "Uimahalli"
        assert cleaned.selections == ()

    def test_other_needs_its_text(self):
        assert "please write what" in error_of(
            spec("single_choice", allow_other=True), post(q1="other")
        )


class TestMultipleChoice:
    def test_options_in_question_order(self):
        cleaned = clean_answer(spec("multiple_choice"), post(q1=["13", "11"]))
        assert cleaned.value == {"options": [11, 13]}

    def test_min_and_max(self):
        question = spec("multiple_choice", min_choices=2, max_choices=2)
        assert "at least 2" in error_of(question, post(q1=["11"]))
        assert "at most 2" in error_of(question, post(q1=["11", "12", "13"]))
        assert clean_answer(question, post(q1=["11", "12"])) is not None

    def test_other_counts_as_a_choice(self):
        question = spec("multiple_choice", allow_other=True, max_choices=2)
        cleaned = clean_answer(question, post(q1=["11", "other"], q1_other="Sauna"))
        assert cleaned.value == {"options": [11], "other": "Sauna"}
        assert "at most 2" in error_of(question, post(q1=["11", "12", "other"], q1_other="x"))

    def test_repeated_option_is_refused(self):
        error_of(spec("multiple_choice"), post(q1=["11", "11"]))

    def test_other_not_allowed_is_refused(self):
        error_of(spec("multiple_choice"), post(q1=["other"], q1_other="x"))


class TestRanking:
    def test_ranks_give_the_order(self):
        cleaned = clean_answer(spec("ranking"), post(q1_11="2", q1_12="3", q1_13="1"))
        assert cleaned.value == [13, 11, 12]
        assert cleaned.selections == ((13, None, 1), (11, None, 2), (12, None, 3))

    def test_partial_ranking_from_one(self):
        assert clean_answer(spec("ranking"), post(q1_12="1")).value == [12]

    @pytest.mark.parametrize(
        "ranks", [{"q1_11": "1", "q1_12": "1"}, {"q1_11": "2"}, {"q1_11": "4"}, {"q1_11": "x"}]
    )
    def test_repeated_gapped_or_out_of_range_ranks_are_refused(self, ranks):
        error_of(spec("ranking"), post(**ranks))

    def test_max_ranked(self):
        question = spec("ranking", max_ranked=1)
        assert "only 1 item" in error_of(question, post(q1_11="1", q1_12="2"))
        question = spec("ranking", max_ranked=2)
        assert clean_answer(question, post(q1_13="1", q1_11="2")).value == [13, 11]
        assert "at most 2 items" in error_of(question, post(q1_11="1", q1_12="2", q1_13="3"))


class TestScale:
    def test_one_to_five(self):
        assert clean_answer(spec("scale"), post(q1="5")).number == 5
        assert "from 1 to 5" in error_of(spec("scale"), post(q1="0"))

    def test_zero_to_ten(self):
        question = spec("scale", min=0, max=10)
        assert clean_answer(question, post(q1="0")).value == 0
        error_of(question, post(q1="11"))
        error_of(question, post(q1="-1"))


class TestMatrix:
    def test_one_answer_per_row(self):
        cleaned = clean_answer(spec("matrix"), post(q1_21="11", q1_22="13"))
        assert cleaned.value == {"21": 11, "22": 13}
        assert set(cleaned.selections) == {(11, 21, None), (13, 22, None)}

    def test_required_matrix_needs_every_row(self):
        assert "every row" in error_of(spec("matrix", required=True), post(q1_21="11"))

    def test_unknown_column_is_refused(self):
        error_of(spec("matrix"), post(q1_21="21"))


class TestNumber:
    def test_finnish_decimal_comma_and_spaces(self):
        question = spec("number", integer=False)
        assert clean_answer(question, post(q1="3,5")).value == 3.5
        assert clean_answer(question, post(q1="1 200")).value == 1200

    def test_whole_number_and_bounds(self):
        question = spec("number", min=0, max=120)
        assert clean_answer(question, post(q1="42")).value == 42
        assert error_of(question, post(q1="4,5")) == "Write a whole number."
        assert "at least 0" in error_of(question, post(q1="-1"))
        assert "at most 120" in error_of(question, post(q1="121"))

    @pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", "1e"])
    def test_not_a_number(self, raw):
        error_of(spec("number", integer=False), post(q1=raw))


class TestDate:
    def test_iso_and_finnish_formats(self):
        assert clean_answer(spec("date"), post(q1="2026-06-24")).value == "2026-06-24"
        assert clean_answer(spec("date"), post(q1="24.6.2026")).value == "2026-06-24"

    def test_impossible_date(self):
        error_of(spec("date"), post(q1="31.2.2026"))

    def test_bounds(self):
        question = spec("date", min="2026-01-01", max="2026-12-31")
        assert "1.1.2026 or later" in error_of(question, post(q1="2025-12-31"))
        assert "31.12.2026 or earlier" in error_of(question, post(q1="2027-01-01"))


class TestMap:
    def test_point_from_the_map(self):
        geojson = json.dumps({"type": "Point", "coordinates": [24.94, 60.17]})
        cleaned = clean_answer(spec("map", bbox=HELSINKI_BBOX), post(q1_geojson=geojson))
        assert cleaned.value == {
            "geojson": {"type": "Point", "coordinates": [24.94, 60.17]},
            "address": "",
        }

    def test_fallback_address_only(self):
        cleaned = clean_answer(spec("map"), post(q1_address="Mannerheimintie 1"))
        assert cleaned.value == {"geojson": None, "address": "Mannerheimintie 1"}
        assert cleaned.text == "Mannerheimintie 1"

    def test_fallback_coordinates_with_decimal_comma(self):
        cleaned = clean_answer(spec("map"), post(q1_lat="60,17", q1_lon="24,94"))
        assert cleaned.value["geojson"] == {"type": "Point", "coordinates": [24.94, 60.17]}

    def test_only_one_coordinate(self):
        assert "both" in error_of(spec("map"), post(q1_lat="60.17"))

    def test_outside_the_bounds(self):
        question = spec("map", bbox=HELSINKI_BBOX)
        assert "outside" in error_of(question, post(q1_lat="61.5", q1_lon="23.76"))

    def test_area_is_closed(self):
        ring = [[24.9, 60.1], [25.0, 60.1], [25.0, 60.2], [24.9, 60.2]]
        geojson = json.dumps({"type": "Polygon", "coordinates": [ring]})
        cleaned = clean_answer(spec("map", geometry="area"), post(q1_geojson=geojson))
        assert cleaned.value["geojson"]["coordinates"][0][-1] == [24.9, 60.1]

    @pytest.mark.parametrize(
        "raw",
        [
            "not json",
            json.dumps({"type": "LineString", "coordinates": [[24.9, 60.1], [25, 60]]}),
            json.dumps({"type": "Point", "coordinates": ["24.9", 60.1]}),
            json.dumps({"type": "Point", "coordinates": [24.9, 60.1, 3]}),
            json.dumps([1, 2]),
        ],
    )
    def test_tampered_geometry_is_refused(self, raw):
        error_of(spec("map"), post(q1_geojson=raw))

    def test_point_question_refuses_an_area(self):
        ring = [[24.9, 60.1], [25.0, 60.1], [25.0, 60.2], [24.9, 60.1]]
        geojson = json.dumps({"type": "Polygon", "coordinates": [ring]})
        assert error_of(spec("map"), post(q1_geojson=geojson)) == "Mark one point on the map."


def test_clean_page_collects_answers_and_errors():
    questions = [spec("short_text", id=1), spec("scale", id=2, required=True)]
    answers, errors = engine.clean_page(questions, post(q1="Hei"))
    assert answers[1].value == "Hei"
    assert errors == {2: "This question needs an answer."}


class TestConditions:
    def cond(self, operator, option=None, value="", depends_on=1):
        return ConditionSpec(depends_on=depends_on, operator=operator, option=option, value=value)

    @pytest.mark.parametrize(
        "kind,operator,option,value,answer,expected",
        [
            ("single_choice", "answered", None, "", {"option": 11}, True),
            ("single_choice", "answered", None, "", None, False),
            ("single_choice", "not_answered", None, "", None, True),
            ("single_choice", "equals", 11, "", {"option": 11}, True),
            ("single_choice", "equals", 11, "", {"other": "x"}, False),
            ("single_choice", "not_equals", 11, "", {"option": 12}, True),
            ("single_choice", "not_equals", 11, "", None, False),
            ("multiple_choice", "contains", 12, "", {"options": [11, 12]}, True),
            ("multiple_choice", "equals", 12, "", {"options": [11, 12]}, False),
            ("multiple_choice", "equals", 12, "", {"options": [12]}, True),
            ("ranking", "equals", 13, "", [13, 11], True),
            ("ranking", "contains", 11, "", [13, 11], True),
            ("short_text", "equals", None, "kallio", "Kallio", True),
            ("short_text", "contains", None, "PARK", "Puisto ja park", True),
            ("short_text", "not_equals", None, "kallio", "Vallila", True),
            ("scale", "equals", None, "4", 4, True),
            ("number", "equals", None, "3,5", 3.5, True),
            ("number", "equals", None, "nonsense", 3.5, False),
            ("date", "equals", None, "2026-06-24", "2026-06-24", True),
            ("matrix", "equals", 11, "", {"21": 11}, False),
        ],
    )
    def test_operators(self, kind, operator, option, value, answer, expected):
        condition = self.cond(operator, option, value)
        assert engine.condition_holds(condition, kind, answer) is expected

    def test_hidden_answers_are_dropped_and_conditions_chain(self):
        first = spec("single_choice", id=1, page=1)
        second = spec("short_text", id=2, page=2, conditions=[self.cond("equals", 11)])
        third = spec("short_text", id=3, page=3, conditions=[self.cond("answered", depends_on=2)])
        questions = [first, second, third]
        values = {1: {"option": 12}, 2: "stale", 3: "also stale"}
        assert engine.visible_ids(questions, values) == {1}
        assert engine.keep_visible(questions, values) == {1: {"option": 12}}
        values[1] = {"option": 11}
        assert engine.keep_visible(questions, values) == values

    def test_all_conditions_must_hold(self):
        question = spec(
            "short_text",
            id=3,
            conditions=[self.cond("answered", depends_on=1), self.cond("answered", depends_on=2)],
        )
        questions = [spec("short_text", id=1), spec("short_text", id=2), question]
        assert 3 not in engine.visible_ids(questions, {1: "a"})
        assert 3 in engine.visible_ids(questions, {1: "a", 2: "b"})

    def test_pages_without_shown_questions_are_skipped(self):
        questions = [
            spec("single_choice", id=1, page=10),
            spec("short_text", id=2, page=20, conditions=[self.cond("equals", 11)]),
            spec("short_text", id=3, page=30),
        ]
        pages = [10, 20, 30]
        assert engine.page_after(pages, questions, {1: {"option": 12}}, 10) == 30
        assert engine.page_after(pages, questions, {1: {"option": 11}}, 10) == 20
        assert engine.page_after(pages, questions, {}, 30) is None
        assert engine.page_before(pages, questions, {1: {"option": 12}}, 30) == 10
        assert engine.page_before(pages, questions, {}, None) == 30
        assert engine.page_before(pages, questions, {}, 10) is None


def test_progress_counts_the_pages_that_may_still_come():
    cond = ConditionSpec(depends_on=1, operator="equals", option=11)
    questions = [
        spec("single_choice", id=1, page=10),
        spec("short_text", id=2, page=20, conditions=[cond]),
        spec("short_text", id=3, page=30),
    ]
    pages = [10, 20, 30]
    assert engine.progress(pages, questions, {}, 10) == (1, 2, 3)
    assert engine.progress(pages, questions, {1: {"option": 11}}, 20) == (2, 3, 3)
    assert engine.progress(pages, questions, {1: {"option": 12}}, 30) == (2, 2, 2)
