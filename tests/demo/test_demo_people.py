from datetime import date

import pytest

from osallistu.accounts.models import StaffRole, User
from osallistu.demo.people import CROWD_SIZE, build_people

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [date(2026, 11, 27), date(2028, 2, 29)])
def test_demo_people_are_built_once_with_the_ages_the_tour_promises(helsinki, today):
    residents, staff = build_people(today=today)
    build_people(today=today)

    ages = {user.email: user.age_on(today) for user in residents}
    assert ages["eetu.nieminen@example.fi"] == 12
    assert ages["ella.korhonen@example.fi"] == 11
    assert ages["olli.laine@example.fi"] is None
    assert {role for role, _ in StaffRole.Role.choices} == {user.roles.get().role for user in staff}
    assert User.objects.filter(email__startswith="asukas").count() == CROWD_SIZE
