"""The admin behind the site's own login and second step, in the person's language."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def test_someone_not_logged_in_is_sent_to_the_sites_login_and_back(client):
    response = client.get("/fi/admin/budgeting/round/", follow=True)
    assert response.redirect_chain[-1][0] == (
        "/fi/accounts/login/?next=%2Ffi%2Fadmin%2Fbudgeting%2Fround%2F"
    )


def test_staff_without_the_second_step_are_sent_to_it_not_asked_for_a_password(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=staff, confirmed=True)
    client.force_login(staff)
    response = client.get("/fi/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/fi/accounts/two-step/?next=%2Ffi%2Fadmin%2F"
    page = response.content.decode()
    assert 'name="password"' not in page and "OTP Token" not in page
    assert "Todennussovelluksen kuusinumeroinen koodi" in page


def test_the_admins_own_login_form_is_never_shown(client):
    for user in (None, UserFactory(is_staff=True)):
        if user is not None:
            client.force_login(user)
        page = client.get("/en/admin/login/", follow=True).content.decode()
        assert "OTP Token" not in page and 'name="otp_token"' not in page


def test_a_resident_is_refused_without_being_asked_to_log_in_as_someone_else(client):
    client.force_login(UserFactory())
    response = client.get("/fi/admin/login/?next=/fi/admin/")
    assert response.status_code == 403


def test_a_login_link_to_elsewhere_goes_to_the_admin_instead(client):
    staff = UserFactory(is_staff=True)
    sign_in_past_second_factor(client, staff)
    response = client.get("/fi/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/fi/admin/"


def test_the_finnish_and_swedish_admin_name_every_part_in_the_language(client):
    sign_in_past_second_factor(client, UserFactory(is_staff=True, is_superuser=True))
    for language in ("fi", "sv"):
        page = client.get(f"/{language}/admin/").content.decode()
        with translation.override("en"):
            english = {
                str(model._meta.verbose_name_plural).capitalize()
                for model in apps.get_models()
                if admin.site.is_registered(model)
            } | {
                str(config.verbose_name)
                for config in apps.get_app_configs()
                if any(admin.site.is_registered(model) for model in config.get_models())
            }
        links = rf'<a href="/{language}/admin/[^"]*"[^>]*>([^<]+)</a>'
        shown = set(re.findall(links, page))
        assert not english & shown, (language, english & shown)
        # Within each part of the index (a <table> per app), every model its own name.
        for table in re.findall(r"<table>.*?</table>", page, re.S):
            names = re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', table)
            assert names, table
            assert len(names) == len(set(names)), f"two share a name in {language}: {names}"
