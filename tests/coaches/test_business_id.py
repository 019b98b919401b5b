"""The Finnish business ID and its check digit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from osallistu.coaches import business_id
from osallistu.coaches.models import Company, Sector, validate_business_id
from osallistu.coaches.services import CoachesError
from osallistu.coaches.services.companies import company_for

pytestmark = pytest.mark.integrity

# Valid business IDs; 0112038-9 is Nokia's and 0201256-6 the City of Helsinki's.
REAL = ["0112038-9", "0116297-6", "0109862-8", "1927400-1", "0201256-6"]


@pytest.mark.parametrize("value", REAL)
def test_real_business_ids_are_valid(value):
    assert business_id.is_valid(value)
    assert business_id.normalise(f"  {value} ") == value


def test_the_check_digit_by_hand():
    # 0112038: 0·7 + 1·9 + 1·10 + 2·5 + 0·8 + 3·4 + 8·2 = 57 = 5·11 + 2, so 11 − 2 = 9.
    assert business_id.check_digit("0112038") == 9
    # A remainder of 0 gives 0; a remainder of 1 is never given out.
    assert business_id.check_digit("2345678") == 0
    assert business_id.check_digit("1234567") == 1
    assert business_id.check_digit("3141592") is None


def test_an_old_six_digit_id_gets_its_leading_zero():
    assert business_id.normalise("112038-9") == "0112038-9"


@pytest.mark.parametrize(
    "value",
    [
        "0112038-8",
        "0112038",
        "01120389",
        "0112038-",
        "A112038-9",
        "01120388-9",
        "0112038–9",
        "",
        None,
        "3141592-0",
    ],
)
def test_wrong_ids_are_refused(value):
    assert business_id.normalise(value) is None


# The time an example takes is not what is tested; a loaded machine is slow.
@settings(deadline=None)
@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_exactly_one_check_digit_fits_seven_digits_unless_none_does(digits):
    fitting = [d for d in range(10) if business_id.is_valid(f"{digits}-{d}")]
    expected = business_id.check_digit(digits)
    assert fitting == ([] if expected is None else [expected])


# The time an example takes is not what is tested; a loaded machine is slow.
@settings(deadline=None)
@given(st.text(alphabet="0123456789", min_size=7, max_size=7), st.integers(0, 9))
def test_changing_one_digit_is_always_noticed(digits, position_seed):
    check = business_id.check_digit(digits)
    if check is None:
        return
    position = position_seed % 7
    for replacement in "0123456789":
        if replacement == digits[position]:
            continue
        changed = digits[:position] + replacement + digits[position + 1 :]
        assert not business_id.is_valid(f"{changed}-{check}")


def test_the_model_validator_and_the_database_shape_check(helsinki):
    validate_business_id("0112038-9")
    with pytest.raises(ValidationError):
        validate_business_id("0112038-8")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(
            name="Bad", business_id="112038-9", sector=Sector.OTHER, district=helsinki["central"]
        )


@pytest.mark.django_db
def test_company_for_refuses_a_wrong_check_digit_and_reuses_a_known_company(helsinki):
    with pytest.raises(CoachesError) as refused:
        company_for(
            name="Kahvila",
            business_id_value="0112038-8",
            sector=Sector.FOOD,
            district=helsinki["central"],
        )
    assert refused.value.code == "invalid_business_id"
    first = company_for(
        name="Kahvila Kulma",
        business_id_value="112038-9",
        sector=Sector.FOOD,
        district=helsinki["central"],
    )
    again = company_for(
        name="Another name",
        business_id_value="0112038-9",
        sector=Sector.OTHER,
        district=helsinki["eastern"],
    )
    assert again == first and again.name == "Kahvila Kulma"
    assert Company.objects.count() == 1
