import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from osallistu.accounts.models import VerificationMethod
from osallistu.identity.eligibility import Eligibility, check_eligibility
from tests.factories import UserFactory, VerifiedResidentFactory

LAST_VOTING_DAY = datetime.date(2025, 11, 9)


def resident(birth_date, **fields):
    # Eligibility reads only attributes, so unsaved users keep these tests off the database.
    return VerifiedResidentFactory.build(birth_date=birth_date, **fields)


def reason(answer, language="en"):
    with translation.override(language):
        return str(answer.reason)


@pytest.mark.parametrize(
    ("birth_date", "allowed"),
    [
        (datetime.date(2013, 11, 10), False),  # turns 12 the day after
        (datetime.date(2013, 11, 9), True),  # 12th birthday on the last voting day
        (datetime.date(2012, 11, 10), True),  # day before the 13th birthday
        (datetime.date(2012, 11, 9), True),  # 13th birthday
    ],
)
def test_age_counted_on_the_last_voting_day_at_12(birth_date, allowed):
    answer = check_eligibility(resident(birth_date), on_date=LAST_VOTING_DAY, minimum_age=12)
    assert answer.allowed is allowed
    assert bool(answer) is allowed
    assert answer.code == ("ok" if allowed else "too_young")


@pytest.mark.parametrize(
    ("birth_date", "allowed"),
    [
        (datetime.date(2012, 11, 10), False),  # turns 13 the day after
        (datetime.date(2012, 11, 9), True),  # 13th birthday
    ],
)
def test_age_counted_on_the_last_voting_day_at_13(birth_date, allowed):
    answer = check_eligibility(resident(birth_date), on_date=LAST_VOTING_DAY, minimum_age=13)
    assert answer.code == ("ok" if allowed else "too_young")


@pytest.mark.parametrize(
    ("minimum_age", "on_date", "on_date_rule", "during_year_rule"),
    [
        # Born 9 November 2013: 12th birthday 9 November 2025, 13th 9 November 2026.
        (12, datetime.date(2025, 11, 8), "too_young", "ok"),  # day before the 12th
        (12, datetime.date(2025, 11, 9), "ok", "ok"),  # the 12th birthday
        (12, datetime.date(2024, 12, 31), "too_young", "too_young"),  # the year before
        (13, datetime.date(2026, 11, 8), "too_young", "ok"),  # day before the 13th
        (13, datetime.date(2026, 11, 9), "ok", "ok"),  # the 13th birthday
        (13, datetime.date(2026, 1, 1), "too_young", "ok"),  # 13 in the voting year
    ],
)
def test_both_age_rules_around_the_birthdays(minimum_age, on_date, on_date_rule, during_year_rule):
    person = resident(datetime.date(2013, 11, 9))
    for rule, expected in (("on_date", on_date_rule), ("during_year", during_year_rule)):
        answer = check_eligibility(
            person, on_date=on_date, minimum_age=minimum_age, age_counted=rule
        )
        assert answer.code == expected, rule


def test_too_young_reason_names_the_day_and_the_birthday():
    answer = check_eligibility(
        resident(datetime.date(2013, 11, 10)), on_date=LAST_VOTING_DAY, minimum_age=12
    )
    assert answer == Eligibility(allowed=False, code="too_young", reason=answer.reason)
    english = reason(answer)
    assert "12 or older on Nov. 9, 2025" in english
    assert "You turn 12 on Nov. 10, 2025" in english
    finnish = reason(answer, "fi")
    assert "9. marraskuuta 2025" in finnish
    assert "10. marraskuuta 2025" in finnish
    assert "12" in finnish
    assert finnish != english
    assert "2025" in reason(answer, "sv") and reason(answer, "sv") != english


@pytest.mark.parametrize(
    ("birth_date", "allowed"),
    [
        (datetime.date(2013, 12, 31), True),  # turns 12 on the last day of the voting year
        (datetime.date(2013, 1, 1), True),
        (datetime.date(2014, 1, 1), False),  # turns 12 the year after
        (datetime.date(2012, 12, 31), True),  # 13 already
    ],
)
def test_age_during_the_voting_year(birth_date, allowed):
    answer = check_eligibility(
        resident(birth_date),
        on_date=datetime.date(2025, 3, 1),
        minimum_age=12,
        age_counted="during_year",
    )
    assert answer.code == ("ok" if allowed else "too_young")


def test_during_the_year_reason_names_the_year_and_birthday():
    answer = check_eligibility(
        resident(datetime.date(2014, 1, 2)),
        on_date=datetime.date(2025, 3, 1),
        minimum_age=12,
        age_counted="during_year",
    )
    assert reason(answer) == (
        "You can take part if you turn 12 in 2025 or earlier. You turn 12 on Jan. 2, 2026."
    )
    finnish = reason(answer, "fi")
    assert "2025" in finnish and "2. tammikuuta 2026" in finnish


@pytest.mark.parametrize(
    ("on_date", "minimum_age", "allowed"),
    [
        (datetime.date(2024, 2, 28), 12, False),
        (datetime.date(2024, 2, 29), 12, True),  # leap year: the birthday itself
        (datetime.date(2025, 2, 28), 13, False),
        (datetime.date(2025, 3, 1), 13, True),  # common year: a year older on 1 March
    ],
)
def test_birthday_on_29_february(on_date, minimum_age, allowed):
    answer = check_eligibility(
        resident(datetime.date(2012, 2, 29)), on_date=on_date, minimum_age=minimum_age
    )
    assert answer.code == ("ok" if allowed else "too_young")


def test_29_february_birthday_in_a_common_year_is_1_march():
    answer = check_eligibility(
        resident(datetime.date(2012, 2, 29)), on_date=datetime.date(2025, 2, 28), minimum_age=13
    )
    assert "You turn 13 on March 1, 2025" in reason(answer)


def test_not_resident():
    answer = check_eligibility(
        resident(datetime.date(1990, 1, 1), municipality_code="049"),
        on_date=LAST_VOTING_DAY,
        minimum_age=12,
    )
    assert answer.code == "not_resident"
    assert "live in Helsinki" in reason(answer)
    assert "Helsingissä" in reason(answer, "fi")


def test_residence_unknown_is_not_resident():
    answer = check_eligibility(
        resident(datetime.date(1990, 1, 1), municipality_code=""), on_date=LAST_VOTING_DAY
    )
    assert answer.code == "not_resident"
    assert "We do not know where you live" in reason(answer)


def test_residence_not_required():
    answer = check_eligibility(
        resident(datetime.date(1990, 1, 1), municipality_code="049"),
        on_date=LAST_VOTING_DAY,
        require_residence=False,
    )
    assert answer.code == "ok"


@pytest.mark.parametrize("method", [VerificationMethod.NONE, VerificationMethod.SELF_REPORTED])
def test_not_strongly_identified(method):
    user = UserFactory.build(
        birth_date=datetime.date(1990, 1, 1), municipality_code="091", verification_method=method
    )
    answer = check_eligibility(user, on_date=LAST_VOTING_DAY, minimum_age=12)
    assert answer.code == "not_verified"
    assert "online banking" in reason(answer)
    assert "verkkopankki" in reason(answer, "fi")


def test_self_reported_is_enough_when_strong_identification_is_not_required():
    user = UserFactory.build(
        birth_date=datetime.date(1990, 1, 1),
        municipality_code="091",
        verification_method=VerificationMethod.SELF_REPORTED,
    )
    answer = check_eligibility(
        user, on_date=LAST_VOTING_DAY, minimum_age=12, require_strong_identification=False
    )
    assert answer.code == "ok"


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_anonymous(user):
    answer = check_eligibility(user, on_date=LAST_VOTING_DAY, minimum_age=12)
    assert answer.code == "not_signed_in"
    assert not answer
    assert "log in" in reason(answer)
    assert "Kirjaudu" in reason(answer, "fi")


def test_inactive():
    answer = check_eligibility(
        resident(datetime.date(1990, 1, 1), is_active=False), on_date=LAST_VOTING_DAY
    )
    assert answer.code == "inactive"


def test_birth_date_unknown():
    answer = check_eligibility(resident(None), on_date=LAST_VOTING_DAY, minimum_age=12)
    assert answer.code == "birth_date_unknown"
    assert "birth date" in reason(answer)
    assert "syntymäpäivä" in reason(answer, "fi")


def test_no_age_limit_needs_no_birth_date():
    answer = check_eligibility(resident(None), on_date=LAST_VOTING_DAY)
    assert answer.code == "ok"
    assert reason(answer) == "You can take part."


def test_unknown_age_rule_is_a_programming_error():
    with pytest.raises(ValueError):
        check_eligibility(resident(None), on_date=LAST_VOTING_DAY, age_counted="sometime")
