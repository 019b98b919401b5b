"""Rows read by hand on every signed-in request: the session and the person."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.functional import LazyObject

from osallistu.accounts.backends import ModelBackend
from osallistu.accounts.models import User
from osallistu.core.middleware import OTPMiddleware
from osallistu.core.models import Session
from osallistu.core.sessions import SessionStore, person
from tests.factories import UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back():
    store = SessionStore()
    store["colour"] = "sininen"
    store.save()

    again = SessionStore(store.session_key)
    assert again["colour"] == "sininen"
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_reads_empty_and_gets_a_new_key():
    store = SessionStore()
    store["colour"] = "sininen"
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    for key in (store.session_key, "x" * 32):
        again = SessionStore(key)
        assert again.get("colour") is None
        assert again.session_key is None  # a new one is made when the session is saved


def test_the_signed_in_person_is_read_as_the_orm_reads_them(client):
    user = UserFactory(full_name="Åsa Öhman", district=None)
    read = ModelBackend().get_user(user.pk)
    expected = User.objects.get(pk=user.pk)

    assert read == expected
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read._state.adding is False and read._state.db == "default"
    read.full_name = "Åsa Öhman-Virtanen"
    read.save(update_fields=["full_name"])
    assert User.objects.get(pk=user.pk).full_name == "Åsa Öhman-Virtanen"
    assert User.objects.count() == 1


def test_an_inactive_or_missing_person_is_nobody():
    user = UserFactory(is_active=False)
    assert ModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(user.pk + 1000) is None


def test_the_signed_in_person_comes_through_the_session(client):
    user = UserFactory()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert get_user(request) == user


def test_request_user_is_one_lazy_object_then_the_person_with_the_second_factor_state(client):
    user = UserFactory()
    sign_in_past_second_factor(client, user)
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    AuthenticationMiddleware(lambda request: None)(request)
    OTPMiddleware(lambda request: None)(request)
    lazy = request.user

    assert lazy.is_verified()
    assert not isinstance(lazy._wrapped, LazyObject)
    assert type(request.user) is User  # once read, no longer behind the lazy object
    assert request.user == user and request.user.is_verified()


def _request_of(client):
    """A request with the session ``client`` holds, through the authentication middleware."""
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    AuthenticationMiddleware(lambda request: None)(request)
    OTPMiddleware(lambda request: None)(request)
    return request


def test_a_session_is_saved_with_the_person_signed_in_or_nobody(client):
    user = UserFactory()
    client.force_login(user)
    assert Session.objects.get().user == user

    client.logout()
    store = SessionStore()
    store["colour"] = "sininen"
    store.save()
    assert Session.objects.get().user is None


def test_a_signed_in_request_reads_its_session_and_person_in_one_query(client):
    user = UserFactory(full_name="Åsa Öhman")
    client.force_login(user)
    request = _request_of(client)

    with CaptureQueriesContext(connection) as queries:
        assert request.user == user
        assert request.user.full_name == "Åsa Öhman"
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as later:
        assert person(user.pk) == user
    assert len(later) == 1  # lent only while the person was being read


def test_the_person_read_with_the_session_is_checked_as_any_other(client):
    """Django's checks of the signed-in person still apply: a deactivated person, or one
    whose password changed since the session was made, is nobody."""
    deactivated, new_password = UserFactory(), UserFactory()
    client.force_login(deactivated)
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    assert not _request_of(client).user.is_authenticated

    client.force_login(new_password)
    new_password.set_password("uusi-salasana-2026")
    new_password.save(update_fields=["password"])
    assert not _request_of(client).user.is_authenticated


def test_a_session_saved_without_its_person_still_signs_them_in(client):
    """A session copied from Django's own table has no person until its next save."""
    user = UserFactory()
    client.force_login(user)
    Session.objects.update(user=None)
    request = _request_of(client)

    with CaptureQueriesContext(connection) as queries:
        assert request.user == user
    assert len(queries) == 2


def test_a_session_names_the_person_it_was_read_with_only(client):
    """The person lent is used only for the id the session names."""
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    Session.objects.update(user=other)  # what a bug elsewhere could leave
    request = _request_of(client)
    assert request.user == user
    assert request.session[SESSION_KEY] == str(user.pk)


def test_clearsessions_removes_expired_sessions_only():
    for colour in ("sininen", "punainen"):
        store = SessionStore()
        store["colour"] = colour
        store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("clearsessions")
    assert [
        SessionStore(key).get("colour") for key in Session.objects.values_list("pk", flat=True)
    ] == ["sininen"]


@pytest.mark.django_db(transaction=True)
def test_migrating_keeps_everyone_signed_in():
    from django.contrib.sessions.models import Session as DjangoSession

    user = UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0004_audit_action_index")])
    store = SessionStore()
    DjangoSession.objects.create(
        session_key="k" * 32,
        session_data=store.encode({SESSION_KEY: str(user.pk), "colour": "sininen"}),
        expire_date=timezone.now() + timedelta(hours=1),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0005_session")])

    again = SessionStore("k" * 32)
    assert again["colour"] == "sininen"
    assert again[SESSION_KEY] == str(user.pk)
