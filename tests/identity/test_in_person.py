import time

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts.models import StaffRole, User, VerificationMethod
from osallistu.core.models import AuditEntry
from osallistu.identity import services
from osallistu.identity.models import IdentityVerification
from osallistu.identity.person_code import parse_person_code
from tests.factories import (
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)

pytestmark = pytest.mark.django_db

URL = "/en/identity/in-person/"
CODE = "131052-308T"


@pytest.fixture
def staff(client):
    """A member of staff signed in and past the second factor with a real TOTP code."""
    member = StaffRoleFactory(role=StaffRole.Role.SERVICE_POINT).user
    device = TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    client.force_login(member)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    # Zero-padded: one code in ten starts with 0.
    token = f"{totp.token():0{device.digits}d}"
    response = client.post(f"/en/accounts/two-step/?next={URL}", {"token": token})
    assert response.status_code == 302
    return member


def form(**fields):
    return {
        "document_type": "identity_card",
        "person_code": CODE,
        "email": "",
        "full_name": "",
        "municipality_code": "091",
        **fields,
    }


def test_staff_verify_an_existing_account(client, staff):
    person = UserFactory(email="aino@example.fi")
    response = client.post(URL, form(email="AINO@example.fi"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.verification_method == VerificationMethod.IN_PERSON
    assert person.birth_date.isoformat() == "1952-10-13"
    assert person.municipality_code == "091"
    assert person.person_digest == parse_person_code(CODE).digest
    verification = IdentityVerification.objects.get(user=person)
    assert verification.verified_by == staff
    assert verification.document_type == "identity_card"
    entry = AuditEntry.objects.get(action="identity.verified")
    assert entry.actor == staff
    assert entry.on_behalf_of == person
    assert "is now verified" in client.get(URL).content.decode()


def test_staff_record_a_person_without_an_account(client, staff):
    response = client.post(URL, form(full_name="Matti Meikäläinen", municipality_code="091"))
    assert response.status_code == 302
    person = User.objects.get(full_name="Matti Meikäläinen")
    assert person.email is None
    assert not person.has_usable_password()
    assert person.is_strongly_identified
    assert AuditEntry.objects.filter(action="identity.person_recorded", actor=staff).exists()


def test_the_form_says_what_is_missing_next_to_the_field(client, staff):
    response = client.post(URL, form(person_code="131052-308U", email="nobody@example.fi"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_person_code_error"' in html
    assert "does not match the rest" in html
    assert "No account uses this e-mail address" in html
    response = client.post(URL, form())
    assert "Enter the person&#x27;s name" in response.content.decode()
    assert not IdentityVerification.objects.exists()


def test_refuses_a_person_already_identified_electronically(client, staff):
    resident = UserFactory(email="resident@example.fi")
    services.record_verification(
        user=resident, method="oidc", municipality_code="091", person_code=CODE
    )
    response = client.post(URL, form(full_name="Same Person"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This person is already verified: strong electronic identification on" in html
    assert not User.objects.filter(full_name="Same Person").exists()
    assert IdentityVerification.objects.count() == 1
    refusal = AuditEntry.objects.get(action="identity.verification_refused")
    assert refusal.actor == staff
    assert refusal.data["reason"] == "already_verified"


def test_refuses_an_account_already_identified_electronically(client, staff):
    VerifiedResidentFactory(email="verified@example.fi")
    response = client.post(URL, form(email="verified@example.fi"))
    assert "This person is already verified" in response.content.decode()


def test_listed_on_the_staff_desk(client, staff):
    assert URL in client.get("/en/staff/").content.decode()


@pytest.mark.parametrize(
    "role",
    [
        StaffRole.Role.CITY_ADMIN,
        StaffRole.Role.DISTRICT_MODERATOR,
        StaffRole.Role.CITY_COACH,
        StaffRole.Role.PREMISES_MANAGER,
        StaffRole.Role.REPORTER,
    ],
)
def test_only_service_point_staff_check_identity(client, helsinki, role):
    """Recording a check makes a person eligible to vote: a permission of its own."""
    area = helsinki["eastern"] if role in StaffRole.DISTRICT_SCOPED else None
    member = StaffRoleFactory(role=role, area=area).user
    sign_in_past_second_factor(client, member)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert URL not in client.get("/en/staff/").content.decode()
    with pytest.raises(PermissionDenied):
        services.verify_in_person(
            staff=member,
            document_type="passport",
            person_code=CODE,
            municipality_code="091",
            full_name="Keksitty Henkilö",
        )
    assert not User.objects.filter(full_name="Keksitty Henkilö").exists()


def test_resident_gets_403(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_staff_without_second_factor_are_sent_to_it(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/two-step/")


def test_signed_out_are_sent_to_log_in(client):
    assert "/accounts/login/" in client.get(URL)["Location"]
