import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The registration form's e-mails per address are counted in the cache, which lives
    as long as the test process: each test starts with none sent."""
    cache.clear()
    yield
    cache.clear()
