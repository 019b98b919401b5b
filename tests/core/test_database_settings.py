"""Every option written in DATABASE_URL reaches the database connection."""

import os

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from config.settings import database_from_url

pytestmark = pytest.mark.integrity


def connection_params(url):
    handler = ConnectionHandler({"default": database_from_url(url)})
    return handler["default"].get_connection_params()


def test_postgresql_options_in_the_url_reach_the_connection():
    params = connection_params(
        "postgres://user:secret@db.example:5432/osallistu"
        "?sslmode=require&connect_timeout=7&application_name=osallistu-web"
    )
    assert params["sslmode"] == "require"
    assert params["connect_timeout"] == 7
    assert params["application_name"] == "osallistu-web"


def test_sqlite_keeps_its_defaults_and_the_urls_options():
    options = database_from_url("sqlite:////tmp/osallistu-options.sqlite3?timeout=3")["OPTIONS"]
    assert options["timeout"] == 3
    assert options["transaction_mode"] == "IMMEDIATE"


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_real_connection_uses_the_urls_options():
    url = os.environ["DATABASE_URL"]
    url += ("&" if "?" in url else "?") + "application_name=osallistu-options-test"
    handler = ConnectionHandler({"default": database_from_url(url)})
    other = handler["default"]
    try:
        with other.cursor() as cursor:
            cursor.execute("SHOW application_name")
            assert cursor.fetchone() == ("osallistu-options-test",)
    finally:
        other.close()
    assert connection.vendor == "postgresql"
