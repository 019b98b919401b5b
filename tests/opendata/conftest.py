import pytest

from tests.opendata import world as world_module


@pytest.fixture
def world(helsinki):
    return world_module.build(helsinki)
