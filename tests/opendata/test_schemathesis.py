"""The API against its own OpenAPI schema, with schemathesis: generated requests to every
operation and parameter, over the live schema and the running application. No answer
may be a server error, and every answer must be one the schema describes."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from config.wsgi import application

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


# Read from the application as a client reads it; making it touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json&lang=en", application)


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """The WSGI application closes the database connection after each request, which
    would end the test's transaction; Django's own test client keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """The generated requests would soon meet the rate limit, which has its own test."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"},
    }


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(case, world):
    # The WSGI test client would not unpack a compressed answer; compression has its test.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ],
    )
