import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from osallistu.areas.helsinki import DISTRICTS, POSTAL_CODES, load_helsinki_areas
from osallistu.areas.models import Area, PostalCode
from osallistu.areas.selectors import district_for_postal_code

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


def test_loader_builds_the_city_and_seven_districts_idempotently():
    load_helsinki_areas()
    load_helsinki_areas()
    assert Area.objects.districts().count() == 7
    assert Area.objects.city().name_en == "All of Helsinki"
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


def test_each_district_has_its_neighbourhoods_with_official_names():
    from osallistu.areas.helsinki import NEIGHBOURHOODS
    from osallistu.areas.models import Neighbourhood
    from osallistu.core import geo

    load_helsinki_areas()
    load_helsinki_areas()
    assert Neighbourhood.objects.count() == len(NEIGHBOURHOODS) == 34
    counts = {area.slug: area.neighbourhoods.count() for area in Area.objects.districts()}
    assert counts == {
        "southern": 5,
        "western": 5,
        "central": 5,
        "northern": 5,
        "north-eastern": 6,
        "south-eastern": 3,
        "eastern": 5,
    }
    vuosaari = Neighbourhood.objects.get(number=704)
    with translation.override("sv"):
        assert vuosaari.name == "Nordsjö"
    with translation.override("en"):
        assert vuosaari.name == "Vuosaari"
    # Each middle lies in its own district on the drawn map.
    for neighbourhood in Neighbourhood.objects.select_related("district"):
        lon, lat = float(neighbourhood.longitude), float(neighbourhood.latitude)
        assert geo.district_of(lon, lat) == neighbourhood.district.slug, neighbourhood.name_fi
    assert set(Neighbourhood.objects.filter(approximate=True).values_list("slug", flat=True)) == {
        "reijola",
        "ostersundom",
    }
