"""Rows read by hand on every signed-in request: the session and the person."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone
from django.utils.functional import LazyObject

from osallistu.accounts.backends import ModelBackend
from osallistu.accounts.models import User
from osallistu.core.middleware import OTPMiddleware
from osallistu.core.sessions import SessionStore
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


def test_request_user_is_one_lazy_object_with_the_second_factor_state(client):
    user = UserFactory()
    sign_in_past_second_factor(client, user)
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    AuthenticationMiddleware(lambda request: None)(request)
    OTPMiddleware(lambda request: None)(request)

    assert request.user.is_verified()
    assert request.user == user
    assert not isinstance(request.user._wrapped, LazyObject)
