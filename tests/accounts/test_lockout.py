"""The login lockout counts every spelling of an address that logs in to an account as
that account, and takes the client's address as PROXY_COUNT says."""

import pytest
from axes.models import AccessAttempt
from django.db import IntegrityError, transaction
from django.test import RequestFactory, override_settings

from osallistu.accounts.models import User
from osallistu.core.clients import client_address
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]

SPELLINGS = ["aino@example.fi", "AINO@example.fi", " Aino@Example.FI ", "aino@EXAMPLE.fi\t"]


def log_in(client, username, password, **headers):
    return client.post(
        "/fi/accounts/login/", {"username": username, "password": password}, headers=headers
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_changing_case_or_adding_spaces_does_not_buy_more_attempts(client):
    UserFactory(email="aino@example.fi")
    for spelling in SPELLINGS[:3]:
        log_in(client, spelling, "wrong password")
    for spelling in SPELLINGS:
        response = log_in(client, spelling, TEST_PASSWORD)
        assert response.status_code == 429, spelling
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"aino@example.fi"}


def test_every_spelling_logs_in_to_the_one_account(client):
    user = UserFactory(email="aino@example.fi")
    for spelling in SPELLINGS:
        client.logout()
        response = log_in(client, spelling, TEST_PASSWORD)
        assert response.status_code == 302, spelling
        assert client.session["_auth_user_id"] == str(user.pk)


def test_the_database_keeps_addresses_in_lower_case():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Aino@example.fi")
    assert User.objects.create_user(email=" Aino@Example.fi ").email == "aino@example.fi"


def request_from(peer, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, headers=headers)


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "client"),
    [
        # No proxy: the peer, whatever the request says.
        (0, "198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # One proxy: the address it appended, not what the client put before it.
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "192.0.2.66, 203.0.113.9", "203.0.113.9"),
        # Two: the outer one's entry; the inner one appended the outer one's address.
        (2, "10.0.0.3", "192.0.2.66, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # Not through the proxies, or a broken header: only the peer is known.
        (1, "198.51.100.7", None, "198.51.100.7"),
        (2, "10.0.0.2", "203.0.113.9", "10.0.0.2"),
        (1, "10.0.0.2", "not an address", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_taken_as_proxy_count_says(
    settings, proxies, peer, forwarded, client
):
    settings.PROXY_COUNT = proxies
    assert client_address(request_from(peer, forwarded)) == client


@override_settings(AXES_FAILURE_LIMIT=3, PROXY_COUNT=1)
def test_behind_a_proxy_an_attacker_locks_out_only_themselves(client):
    UserFactory(email="aino@example.fi")
    attacker = {"REMOTE_ADDR": "10.0.0.2", "X-Forwarded-For": "203.0.113.66"}
    for attempt in range(3):
        client.post(
            "/fi/accounts/login/",
            {"username": "aino@example.fi", "password": f"guess {attempt}"},
            REMOTE_ADDR="10.0.0.2",
            headers={"X-Forwarded-For": "192.0.2.1, 203.0.113.66"},
        )
    assert attacker  # the attacker's forged first entry does not change who they are
    locked = client.post(
        "/fi/accounts/login/",
        {"username": "aino@example.fi", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "192.0.2.1, 203.0.113.66"},
    )
    assert locked.status_code == 429
    # Aino, through the same proxy from her own address, logs in.
    aino = client.__class__()
    response = aino.post(
        "/fi/accounts/login/",
        {"username": "aino@example.fi", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "198.51.100.20"},
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"
