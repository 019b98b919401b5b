import datetime

import pytest
from django.utils import timezone, translation

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Population
from osallistu.initiatives import services
from osallistu.initiatives.models import AuthorKind, Category
from osallistu.initiatives.services import AuthorDetails, Place
from tests.factories import (
    DivisionFactory,
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
)

# Residents aged 18 and over in the tests' city: 2 % is 20 supports, 4 % is 40.
ADULTS = 1000


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are asserted in English unless a test picks a language."""
    with translation.override("en"):
        yield


@pytest.fixture
def city(helsinki):
    """Helsinki with 1,000 residents of voting age in the year before this one."""
    year = timezone.localdate().year - 1
    Population.objects.create(area=helsinki["city"], year=year, age_from=0, age_to=17, count=200)
    Population.objects.create(area=helsinki["city"], year=year, age_from=18, count=ADULTS)
    return helsinki


def born_years_ago(years, days=10):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def author(city):
    return VerifiedResidentFactory(
        email="author@example.fi",
        full_name="Aada Aloittaja",
        district=city["eastern"],
        preferred_language="fi",
    )


def supporter(**fields):
    fields.setdefault("birth_date", born_years_ago(30))
    return VerifiedResidentFactory(**fields)


def staff(role, area=None, **fields):
    return StaffRoleFactory(user=UserFactory(is_staff=True, **fields), role=role, area=area).user


@pytest.fixture
def registry(city):
    """Registry staff of the whole city."""
    return staff(StaffRole.Role.REGISTRY, email="kirjaamo@example.fi")


@pytest.fixture
def second_registry(city):
    return staff(StaffRole.Role.REGISTRY, email="kirjaamo2@example.fi")


@pytest.fixture
def division(db):
    return DivisionFactory()


def start(author, area, **overrides):
    fields = {
        "author": author,
        "details": AuthorDetails(kind=AuthorKind.RESIDENT, public_name=author.full_name),
        "category": Category.GENERAL,
        "title": "Penkkejä Vuosaaren rantaan",
        "proposal": "Rantaan lisätään kymmenen penkkiä.",
        "rationale": "Ikäihmiset tarvitsevat levähdyspaikkoja.",
        "language": "fi",
        "area": area,
        "place": Place(),
    }
    fields.update(overrides)
    return services.start_initiative(**fields)


@pytest.fixture
def draft(author, city):
    return start(author, city["eastern"])


@pytest.fixture
def collecting(draft, author):
    return services.publish_initiative(initiative=draft, actor=author)


@pytest.fixture
def sent(collecting, author):
    return services.send_initiative(initiative=collecting, actor=author)


@pytest.fixture
def registered(sent, registry):
    return services.register_initiative(
        initiative=sent, actor=registry, diary_number="HEL 2026-000001"
    )


@pytest.fixture
def preparing(registered, registry, division):
    return services.prepare_initiative(
        initiative=registered, actor=registry, division=division, preparer_name="Liisa Metsänen"
    )
