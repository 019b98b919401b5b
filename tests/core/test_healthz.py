import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_broken_database_is_reported_without_its_error(client):
    """The database server really cannot be reached; the answer says so and nothing more
    (no host, user or driver message for whoever can reach the address). On PostgreSQL,
    where a closed connection opens again: SQLite's test database lives in memory."""
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = 1  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
