import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts import services
from osallistu.accounts.models import StaffRole, User
from osallistu.core.models import AuditEntry
from tests.factories import TEST_PASSWORD, StaffRoleFactory, UserFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


def _login(client, email, password, language="fi"):
    return client.post(f"/{language}/accounts/login/", {"username": email, "password": password})


def test_login_with_email_and_password(client):
    user = UserFactory(email="aino@example.fi")
    response = _login(client, "AINO@example.fi", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/profile/"
    assert AuditEntry.objects.filter(action="auth.login", actor=user).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "Sähköpostiosoite tai salasana on väärin"),
        ("sv", "E-postadressen eller lösenordet är fel"),
        ("en", "The e-mail address or the password is wrong"),
    ],
)
def test_wrong_password_is_refused_in_the_users_language(client, language, message):
    UserFactory(email="aino@example.fi")
    response = _login(client, "aino@example.fi", "not the password", language)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.login_failed").exists()


def test_login_with_malformed_email_is_a_form_error(client):
    response = _login(client, "not an address" * 30, "x")
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out(client):
    UserFactory(email="aino@example.fi")
    for _ in range(3):
        _login(client, "aino@example.fi", "wrong password")
    response = _login(client, "aino@example.fi", TEST_PASSWORD)
    assert response.status_code == 429
    assert "30" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "short", "Salasana on liian lyhyt. Käytä vähintään 12 merkkiä."),
        ("password", "password1234", "salasana on liian yleinen"),
        ("postal_code", "01234", "Emme tunne postinumeroa 01234"),
        ("postal_code", "abc", "Postinumero on viisi numeroa"),
        ("full_name", "x" * 151, "enintään 150 merkkiä"),
        ("email", "aino@", "Syötä kelvollinen sähköpostiosoite"),
    ],
)
def test_register_refuses_bad_input_with_a_clear_message(client, helsinki, field, value, message):
    UserFactory(email="aino@example.fi")
    data = {
        "email": "new@example.fi",
        "full_name": "Uusi Asukas",
        "postal_code": "",
        "preferred_language": "fi",
        "password": "a long phrase about Kallio",
        field: value,
    }
    response = client.post("/fi/accounts/register/", data)
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].errors[field])
    assert message in errors
    assert not User.objects.filter(email="new@example.fi").exists()


def test_profile_shows_district_and_updates_from_postal_code(client, helsinki):
    user = UserFactory(postal_code="00530", district=helsinki["central"])
    client.force_login(user)
    response = client.get("/sv/accounts/profile/")
    assert "Mellersta" in response.content.decode()

    response = client.post(
        "/fi/accounts/profile/",
        {"full_name": "Aino V", "postal_code": "00940", "preferred_language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.district == helsinki["eastern"]
    assert user.preferred_language == "en"
    assert AuditEntry.objects.filter(action="accounts.profile_changed", target_id=user.pk).exists()


def test_profile_refuses_unknown_postal_code_and_keeps_the_old_one(client, helsinki):
    user = UserFactory(postal_code="00530", district=helsinki["central"])
    client.force_login(user)
    response = client.post(
        "/en/accounts/profile/",
        {"full_name": "Aino", "postal_code": "99999", "preferred_language": "fi"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "We do not know the postal code 99999" in html
    assert 'aria-invalid="true"' in html
    assert "id_postal_code_error" in html
    user.refresh_from_db()
    assert (user.postal_code, user.district) == ("00530", helsinki["central"])


def test_oversized_request_is_refused_with_400_and_nothing_saved(client, helsinki, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    user = UserFactory(full_name="Aino")
    client.force_login(user)
    response = client.post(
        "/fi/accounts/profile/",
        {"full_name": "x" * 20_000, "postal_code": "", "preferred_language": "fi"},
    )
    assert response.status_code == 400
    assert "Mitään ei tallennettu" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Aino"


def test_profile_requires_login(client):
    response = client.get("/fi/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/login/")


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get("/fi/accounts/logout/").status_code == 405
    assert client.post("/fi/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_role_scope(helsinki):
    coach = StaffRoleFactory(role=StaffRole.Role.CITY_COACH, area=helsinki["eastern"]).user
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    assert coach.has_role(StaffRole.Role.CITY_COACH, helsinki["eastern"])
    assert not coach.has_role(StaffRole.Role.CITY_COACH, helsinki["western"])
    assert admin.has_role(StaffRole.Role.CITY_ADMIN, helsinki["western"])


def test_district_roles_need_a_district(helsinki):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(user=UserFactory(), role=StaffRole.Role.DISTRICT_MODERATOR)


def test_grant_role_makes_staff_and_is_audited(helsinki):
    admin, person = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user, UserFactory()
    services.grant_role(
        granted_by=admin, user=person, role=StaffRole.Role.CITY_COACH, area=helsinki["northern"]
    )
    person.refresh_from_db()
    assert person.is_staff
    assert AuditEntry.objects.filter(action="accounts.role_granted", actor=admin).exists()


def test_mfa_verify_accepts_only_a_current_code(client):
    staff = UserFactory(is_staff=True)
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(staff)
    with translation.override("fi"):
        response = client.post(reverse("accounts:mfa_verify"), {"token": "12345a"})
    assert "Koodissa on kuusi numeroa" in response.content.decode()
    response = client.post(
        reverse("accounts:mfa_verify") + "?next=/fi/staff/",
        {"token": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/profile/"


def test_only_city_administrators_give_and_take_roles(helsinki):
    coach = StaffRoleFactory(role=StaffRole.Role.CITY_COACH, area=helsinki["eastern"])
    person = UserFactory()
    with pytest.raises(services.AccountError):
        services.grant_role(
            granted_by=coach.user, user=person, role=StaffRole.Role.CITY_ADMIN, area=None
        )
    with pytest.raises(services.AccountError):
        services.revoke_role(revoked_by=coach.user, staff_role=coach)
    person.refresh_from_db()
    assert not person.is_staff and not person.roles.exists()


def test_revoking_the_last_role_ends_staff_access(helsinki):
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    coach = StaffRoleFactory(role=StaffRole.Role.CITY_COACH, area=helsinki["eastern"])
    services.revoke_role(revoked_by=admin, staff_role=coach)
    coach.user.refresh_from_db()
    assert not coach.user.is_staff
    entry = AuditEntry.objects.get(action="accounts.role_revoked")
    assert entry.actor == admin and entry.data == {"role": "coach", "area": "eastern"}
