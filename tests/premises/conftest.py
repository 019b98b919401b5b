import datetime

import pytest

from osallistu.premises.selectors import local_datetime
from tests.factories import UserFactory, VerifiedResidentFactory
from tests.premises.factories import EquipmentFactory, PurposeFactory, SpaceFactory

# A Monday morning; tests pass it to services and selectors as ``now``.
MONDAY = datetime.date(2031, 3, 3)
NOW = local_datetime(MONDAY, datetime.time(9, 0))


def at(day_offset, hour, minute=0):
    """An aware time ``day_offset`` days after MONDAY at hour:minute in Helsinki."""
    return local_datetime(MONDAY + datetime.timedelta(days=day_offset), datetime.time(hour, minute))


@pytest.fixture
def space(helsinki):
    space = SpaceFactory()
    space.purposes.add(PurposeFactory())
    space.equipment.add(EquipmentFactory())
    return space


@pytest.fixture
def booker(helsinki):
    return UserFactory(email="booker@example.fi", preferred_language="fi")


@pytest.fixture
def identified(helsinki):
    return VerifiedResidentFactory(email="identified@example.fi", preferred_language="sv")


@pytest.fixture
def manager(helsinki):
    from osallistu.accounts.models import StaffRole
    from tests.factories import StaffRoleFactory

    role = StaffRoleFactory(
        user=UserFactory(email="manager@example.fi", is_staff=True),
        role=StaffRole.Role.PREMISES_MANAGER,
        area=helsinki["central"],
    )
    return role.user
