import os

import pytest
from django.db import connection
from hypothesis import settings

# Generated examples are the same on every run, so a result (and a run's time) is
# repeatable; HYPOTHESIS_PROFILE=explore draws new examples each run.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _require_postgres_when_marked(request):
    """Tests marked ``postgres`` need the real server; in CI its absence is a failure."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        message = "needs PostgreSQL: run with DATABASE_URL=postgres://… (see scripts/postgres.sh)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def helsinki(db):
    """The city, its seven districts and postal codes."""
    from osallistu.areas.helsinki import load_helsinki_areas

    city, districts = load_helsinki_areas()
    return {"city": city, **districts}


@pytest.fixture
def latest_after(transactional_db):
    """For the tests of data migrations: leaves the database at the newest migration of
    every app, whatever the test did. Going back in one app also unapplies what depends
    on it in the others, and the next test in the process expects the whole schema."""
    yield
    from tests.migrating import migrate_to_latest

    migrate_to_latest()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Scrypt is right for people and costs half a second per hash, far too slow for
    the thousands of test accounts. No test is about the hasher itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _caches_start_empty():
    """Every test starts with an empty cache: ids of rolled-back rows come again in the
    next test, and a ballot kept rendered for one would be shown in another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _language_starts_as_the_sites():
    """A test that switched the language must not decide the language of the next
    test's addresses (``reverse`` follows the active language)."""
    from django.utils import translation

    translation.deactivate()
