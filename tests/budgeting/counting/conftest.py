"""Shared fixtures for the counting tests; none of them needs Django or a database."""

from __future__ import annotations

import pytest

from osallistu.budgeting.counting import read_pabulib
from tests.budgeting.counting.elections import ASSEN, WARSAW


@pytest.fixture(scope="session")
def assen():
    return read_pabulib(ASSEN).election()


@pytest.fixture(scope="session")
def warsaw():
    return read_pabulib(WARSAW).election()
