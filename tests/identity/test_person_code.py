import datetime

import pytest

from osallistu.identity.person_code import InvalidPersonCode, parse_person_code, person_digest


@pytest.mark.parametrize(
    ("code", "birth_date"),
    [
        ("131052-308T", datetime.date(1952, 10, 13)),
        ("131052Y308T", datetime.date(1952, 10, 13)),  # 2023 century signs U–Y: 1900s
        ("131052U308T", datetime.date(1952, 10, 13)),
        ("010594Y9021", datetime.date(1994, 5, 1)),  # temporary code (900–999)
        ("010101A123N", datetime.date(2001, 1, 1)),
        ("010101F123N", datetime.date(2001, 1, 1)),  # 2023 century signs B–F: 2000s
        ("311299+999E", datetime.date(1899, 12, 31)),
        ("  131052–308t ", datetime.date(1952, 10, 13)),  # en dash, spaces, lower case
    ],
)
def test_valid_codes(code, birth_date):
    assert parse_person_code(code).birth_date == birth_date


def test_normalised_form_makes_one_digest_per_code(settings):
    assert parse_person_code(" 131052–308t").normalised == "131052-308T"
    assert parse_person_code("131052-308t").digest == parse_person_code("131052-308T").digest


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("131052-308U", "does not match the rest"),  # checksum
        ("131052-309T", "does not match the rest"),
        ("310252-308T", "not a real date"),  # 31 February
        ("290201A123N", "not a real date"),  # 2001 is not a leap year
        ("131052-000T", "cannot be 000 or 001"),
        ("131052G308T", "11 characters"),  # G is no century sign
        ("131052308T", "11 characters"),
        ("", "11 characters"),
    ],
)
def test_invalid_codes_say_what_is_wrong(code, says):
    with pytest.raises(InvalidPersonCode) as raised:
        parse_person_code(code)
    assert says in str(raised.value)
    assert raised.value.code == "invalid_person_code"


def test_digest_is_a_keyed_hmac_that_does_not_contain_the_code(settings):
    code = parse_person_code("131052-308T")
    digest = person_digest(code)
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert "131052" not in digest and "308T" not in digest.upper()
    settings.IDENTITY_DIGEST_KEY = "another key"
    assert person_digest(code) != digest


def test_repr_keeps_the_code_out_of_logs():
    assert "308T" not in repr(parse_person_code("131052-308T"))
