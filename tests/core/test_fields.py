"""Ids and money from a browser: what the database cannot hold is refused by the form."""

import pytest
from django import forms
from django.utils import translation

from osallistu.areas.models import Area
from osallistu.core.fields import MAX_ID, EurosField, IdMultipleChoiceField, parse_id, parse_ids


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("1_000", None),
        (" 1", None),
        ("", None),
        (None, None),
        (7, None),
    ],
)
def test_an_id_is_ascii_digits_within_the_databases_range(value, expected):
    assert parse_id(value) == expected


def test_ids_are_all_or_nothing():
    assert parse_ids(["1", "2"]) == [1, 2]
    assert parse_ids(["1", "x"]) is None
    assert parse_ids([]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("value", [["9223372036854775808"], ["1", "²"], ["1e400"]])
def test_choices_by_id_refuse_what_cannot_be_an_id_before_asking_the_database(
    helsinki, value, django_assert_num_queries
):
    field = IdMultipleChoiceField(queryset=Area.objects.all())
    with django_assert_num_queries(0), pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    assert refused.value.code == "invalid_choice"


@pytest.mark.django_db
def test_choices_by_id_still_choose(helsinki):
    field = IdMultipleChoiceField(queryset=Area.objects.all())
    assert list(field.clean([str(helsinki["eastern"].pk)])) == [helsinki["eastern"]]


def test_euros_are_whole_and_bounded():
    field = EurosField(min_value=0)
    assert field.clean("1000000000000") == 10**12
    # The message is lazy: it is read in the language active where it is shown.
    with translation.override("en"), pytest.raises(forms.ValidationError) as refused:
        field.clean(str(2**63))
    with translation.override("en"):
        assert refused.value.messages == ["An amount can be at most 1,000,000,000,000 euros."]
    assert 'max="1000000000000"' in field.widget.render(
        "amount", None, field.widget_attrs(field.widget)
    )
