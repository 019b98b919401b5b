import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts.models import StaffRole
from osallistu.core import audit
from osallistu.core.models import AuditEntry
from osallistu.core.templatetags.osallistu import euros
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert any("SELECT 1" in query["sql"] for query in queries)
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_root_redirects_to_a_language(client):
    response = client.get("/", headers={"accept-language": "sv"})
    assert response.status_code == 302
    assert response["Location"] == "/sv/"


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fi", "Osallistu Helsingin rakentamiseen"),
        ("sv", "Delta i att bygga Helsingfors"),
        ("en", "Take part in building Helsinki"),
    ],
)
def test_home_page_in_each_language(client, language, heading):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert 'href="#main"' in html  # skip link


def test_language_switcher_links_to_the_same_page(client):
    html = client.get("/fi/accounts/login/").content.decode()
    assert 'href="/sv/accounts/login/"' in html
    assert 'href="/en/accounts/login/"' in html


def test_unknown_language_prefix_is_a_friendly_404(client):
    response = client.get("/xx/accounts/login/")
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert 'href="/fi/"' in response.content.decode()


def test_404_page_in_the_requested_language(client):
    response = client.get("/sv/no-such-page/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


def test_accessibility_statement(client):
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    assert "WCAG 2.1" in response.content.decode()


def test_staff_desk_is_for_staff_only(client, caplog):
    client.force_login(UserFactory())
    response = client.get("/fi/staff/")
    assert response.status_code == 403
    assert "forbidden path=/fi/staff/" in caplog.text


def test_staff_desk_asks_staff_for_the_second_factor(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get("/fi/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/two-step/")
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.post(response["Location"], {"token": f"{totp(device.bin_key):06d}"})
    assert client.get("/fi/staff/").status_code == 200


def test_staff_desk_shows_only_the_tools_a_role_allows(client, helsinki):
    tools = ["premises:staff", "budgeting:staff_rounds", "surveys:builder_list"]
    manager = StaffRoleFactory(role=StaffRole.Role.PREMISES_MANAGER, area=helsinki["city"]).user
    page = sign_in_past_second_factor(client, manager).get("/fi/staff/").content.decode()
    assert [reverse(name) in page for name in tools] == [True, False, False]

    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN, area=helsinki["city"]).user
    page = sign_in_past_second_factor(client, admin).get("/fi/staff/").content.decode()
    assert [reverse(name) in page for name in tools] == [True, True, True]


def test_signed_in_pages_are_not_cached(client):
    client.force_login(UserFactory())
    response = client.get("/fi/")
    assert "no-store" in response["Cache-Control"]


def test_security_headers(client):
    response = client.get("/fi/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_audit_record_keeps_who_what_and_target():
    staff, resident = UserFactory(), UserFactory()
    entry = audit.record(
        action="test.changed", actor=staff, target=resident, on_behalf_of=resident, data={"a": 1}
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.on_behalf_of, stored.action) == (staff, resident, "test.changed")
    assert stored.target_type == "accounts.user"
    assert stored.target_id == str(resident.pk)
    assert list(audit.entries_for(resident)) == [stored]


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("fi", 1234.5, "1\xa0234,50\xa0€"),
        ("sv", 1868353, "1\xa0868\xa0353\xa0€"),
        ("en", 1234.5, "€1,234.50"),
        ("en", 10000000, "€10,000,000"),
    ],
)
def test_euros_are_formatted_for_the_language(language, amount, expected):
    with translation.override(language):
        assert euros(amount) == expected
