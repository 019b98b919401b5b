"""The PostgreSQL backend checks the health only of connections that sat idle."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from osallistu.accounts.backends import ModelBackend
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def connection():
    return connections["default"]  # the wrapper itself, not the proxy, for monkeypatch


@pytest.fixture
def checks(connection, monkeypatch):
    """Count the health checks; each request's connection is checked at most once."""
    made = []
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(connection, "is_usable", lambda: made.append(1) or True)
    return made


def new_request(connection):
    connection.health_check_done = False


def test_a_connection_used_a_moment_ago_is_not_checked(connection, checks):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    new_request(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert checks == []


def test_a_connection_that_sat_idle_is_checked_once_a_request(connection, checks, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    monkeypatch.setattr(type(connection), "TRUSTED_FOR", 0.0)
    new_request(connection)
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert checks == [1]


def test_a_connection_that_failed_its_check_is_replaced(connection, monkeypatch):
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(type(connection), "TRUSTED_FOR", 0.0)
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    connection.ensure_connection()
    old = connection.connection
    new_request(connection)
    monkeypatch.setattr(connection, "in_atomic_block", False)  # close() refuses otherwise
    connection.close_if_health_check_failed()
    assert connection.connection is None or connection.connection is not old


def test_the_queries_of_every_request_are_kept_prepared(connection):
    user = UserFactory()
    for _ in range(10):
        assert ModelBackend().get_user(user.pk) == user
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert prepared, prepared
    assert any("FROM accounts_user u WHERE u.id = $1" in statement for statement in prepared)


def test_a_prepared_statement_is_logged_as_written(connection):
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            ModelBackend().get_user(user.pk)
    assert all("FROM accounts_user u WHERE u.id = " in query["sql"] for query in queries)
