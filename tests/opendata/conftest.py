import pytest

from tests.opendata import world as world_module


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(helsinki):
    return world_module.build(helsinki)
