import pytest

from osallistu.accounts.models import StaffRole
from tests.factories import (
    DivisionFactory,
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
)
from tests.feedback.factories import (
    ServiceCategoryFactory,
    division_staff,
)


@pytest.fixture
def division(helsinki):
    return DivisionFactory()


@pytest.fixture
def other_division(helsinki):
    return DivisionFactory(
        slug="culture-and-leisure",
        name_fi="Kulttuurin ja vapaa-ajan toimiala",
        name_sv="Kultur- och fritidssektorn",
        name_en="Culture and Leisure Division",
    )


@pytest.fixture
def pothole(division):
    return ServiceCategoryFactory(division=division)


@pytest.fixture
def library(other_division):
    return ServiceCategoryFactory(
        code="310",
        division=other_division,
        name_fi="Kirjastot",
        name_sv="Bibliotek",
        name_en="Libraries",
    )


@pytest.fixture
def handler(division):
    """Staff of the urban environment division for the whole city."""
    return division_staff("kaisa.kasittelija@example.fi", division, full_name="Kaisa Käsittelijä")


@pytest.fixture
def central_handler(division, helsinki):
    """Staff of the urban environment division for the Central district only."""
    return division_staff(
        "keskinen@example.fi", division, area=helsinki["central"], full_name="Keijo Keskinen"
    )


@pytest.fixture
def culture_staff(other_division):
    return division_staff("kulttuuri@example.fi", other_division, full_name="Kulle Kulttuuri")


@pytest.fixture
def city_admin(helsinki):
    return StaffRoleFactory(
        user=UserFactory(email="admin@example.fi", is_staff=True, full_name="Helena Hallinto"),
        role=StaffRole.Role.CITY_ADMIN,
    ).user


@pytest.fixture
def resident(helsinki):
    return VerifiedResidentFactory(
        email="aino@example.fi", full_name="Aino Virtanen", preferred_language="fi"
    )


@pytest.fixture
def neighbour(helsinki):
    return UserFactory(email="naapuri@example.fi", full_name="Nea Naapuri", preferred_language="sv")
