import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from osallistu.areas.helsinki import DISTRICTS, POSTAL_CODES, load_helsinki_areas
from osallistu.areas.models import Area, PostalCode
from osallistu.areas.selectors import district_for_postal_code

pytestmark = pytest.mark.django_db


def test_loader_builds_the_city_and_seven_districts_idempotently():
    load_helsinki_areas()
    load_helsinki_areas()
    assert Area.objects.districts().count() == 7
    city = Area.objects.city()
    assert city.population == sum(area.population for area in Area.objects.districts())
    assert PostalCode.objects.count() == len(POSTAL_CODES)
    assert all(code.approximate for code in PostalCode.objects.all())


def test_every_district_has_postal_codes_and_no_code_repeats():
    codes = [row[0] for row in POSTAL_CODES]
    assert len(codes) == len(set(codes))
    assert {row[3] for row in POSTAL_CODES} == {row[0] for row in DISTRICTS}


@pytest.mark.parametrize(
    ("language", "name"), [("fi", "Kaakkoinen"), ("sv", "Sydöstra"), ("en", "South-Eastern")]
)
def test_district_names_in_three_languages(helsinki, language, name):
    with translation.override(language):
        assert district_for_postal_code("00840").name == name


def test_unknown_postal_code_has_no_district(helsinki):
    assert district_for_postal_code("02100") is None


def test_only_one_city_area(helsinki):
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(kind=Area.Kind.CITY, slug="other", number=99, name="Other")
