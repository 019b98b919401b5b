import datetime

import pytest

from tests.factories import UserFactory
from tests.volunteering.factories import MemberFactory, OpportunityFactory, ShiftFactory


def adult(**kwargs):
    kwargs.setdefault("birth_date", datetime.date(1990, 5, 1))
    return UserFactory(**kwargs)


def teen(age=15, **kwargs):
    """A person ``age`` years old at shifts within the coming months."""
    days = round(age * 365.25) + 60
    kwargs.setdefault("birth_date", datetime.date.today() - datetime.timedelta(days=days))
    return UserFactory(**kwargs)


@pytest.fixture
def shift(helsinki):
    return ShiftFactory()


@pytest.fixture
def youth_shift(helsinki):
    return ShiftFactory(opportunity=OpportunityFactory(under_18_allowed=True, youth_min_age=13))


@pytest.fixture
def member(helsinki):
    """A member of the organiser of ``shift`` and ``youth_shift`` once attached."""
    return MemberFactory().user
