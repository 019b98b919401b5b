"""The booking e-mail links to My bookings, at the address the booker used, or at
SITE_URL where it is set."""

import pytest
from django.core import mail

from osallistu.core import jobs
from tests.premises.test_views import book_form, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def booker_client(client, identified):
    client.force_login(identified)  # prefers Swedish
    return client


def book_and_read_mail(client, space, **headers):
    response = client.post(
        f"/fi/premises/spaces/{space.slug}/book/", book_form(space, next_weekday()), **headers
    )
    assert response.status_code == 302
    jobs.run_pending()
    (message,) = mail.outbox
    return message.body


def test_without_site_url_the_link_is_to_the_host_the_booking_was_made_at(
    booker_client, space, settings
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["osallistu.localhost"]
    body = book_and_read_mail(booker_client, space, HTTP_HOST="osallistu.localhost:8080")
    # The booker's language, their own bookings, the demo's host and port.
    assert "http://osallistu.localhost:8080/sv/premises/my/" in body
    assert "/premises/\n" not in body


def test_with_site_url_the_link_is_to_it(booker_client, space, settings):
    settings.SITE_URL = "https://osallistu.example.fi/"
    body = book_and_read_mail(booker_client, space)
    assert "https://osallistu.example.fi/sv/premises/my/" in body
    assert "testserver" not in body
