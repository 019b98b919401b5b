"""My data and Delete my account from the profile; a person's data downloaded by staff
for a request made in person."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from osallistu.accounts.models import StaffRole, User
from osallistu.core.models import AuditEntry
from osallistu.premises.models import Booking
from tests.factories import TEST_PASSWORD, StaffRoleFactory, UserFactory, sign_in_past_second_factor


@pytest.fixture
def resident(helsinki):
    return UserFactory(email="aino@example.fi", full_name="Aino", district=helsinki["eastern"])


def test_the_profile_links_to_my_data_and_the_footer_to_the_privacy_notice(client, resident):
    client.force_login(resident)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:my_data") in page
    assert reverse("accounts:delete_account") in page
    assert reverse("core:privacy_notice") in page


def test_a_resident_downloads_their_data_as_json_and_as_zip(client, resident):
    client.force_login(resident)
    assert client.get(reverse("accounts:my_data")).status_code == 200
    response = client.post(reverse("accounts:my_data_download"), {"format": "json"})
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    users = next(s for s in data["data"] if s["model"] == "accounts.User")
    assert users["rows"][0]["email"] == "aino@example.fi"
    response = client.post(reverse("accounts:my_data_download"), {"format": "zip"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "data.json" in archive.namelist()
    assert AuditEntry.objects.filter(action="privacy.exported", actor=resident).count() == 2


def test_the_download_needs_a_login_and_a_post(client, resident):
    assert client.post(reverse("accounts:my_data_download")).status_code == 302
    client.force_login(resident)
    assert client.get(reverse("accounts:my_data_download")).status_code == 405


def test_deleting_shows_what_happens_and_asks_for_the_password(client, resident):
    client.force_login(resident)
    page = client.get(reverse("accounts:delete_account"))
    assert page.status_code == 200
    assert "Delete my account for good" in page.content.decode() or page.context["preview"]
    wrong = client.post(reverse("accounts:delete_account"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["password"]
    assert User.objects.filter(pk=resident.pk).exists()
    unticked = client.post(reverse("accounts:delete_account"), {"password": TEST_PASSWORD})
    assert unticked.context["form"].errors["confirm"]
    done = client.post(
        reverse("accounts:delete_account"), {"password": TEST_PASSWORD, "confirm": "on"}
    )
    assert done.status_code == 302
    assert not User.objects.filter(pk=resident.pk).exists()
    assert "_auth_user_id" not in client.session


def test_what_blocks_deletion_is_shown_and_the_post_is_refused(client, resident):
    from datetime import timedelta

    from django.utils import timezone

    from tests.premises.factories import SpaceFactory

    later = timezone.now() + timedelta(days=2)
    Booking.objects.create(
        space=SpaceFactory(),
        booker=resident,
        begins_at=later,
        ends_at=later + timedelta(hours=1),
        occupied_from=later,
        occupied_until=later + timedelta(hours=1),
        state="confirmed",
    )
    client.force_login(resident)
    page = client.get(reverse("accounts:delete_account"))
    assert page.context["preview"].blockers
    refused = client.post(
        reverse("accounts:delete_account"), {"password": TEST_PASSWORD, "confirm": "on"}
    )
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    assert User.objects.filter(pk=resident.pk).exists()


def test_service_point_staff_download_a_residents_data_of_their_district(
    client, resident, helsinki
):
    staff = StaffRoleFactory(role=StaffRole.Role.SERVICE_POINT, area=helsinki["eastern"]).user
    sign_in_past_second_factor(client, staff)
    found = client.get(reverse("accounts:staff_person_data"), {"email": "AINO@example.fi "})
    assert found.context["person"] == resident
    response = client.post(reverse("accounts:staff_person_data_download", args=[resident.pk]))
    assert response["Content-Type"] == "application/zip"
    entry = AuditEntry.objects.get(action="privacy.exported_in_person")
    assert entry.actor == staff and entry.on_behalf_of == resident


def test_staff_of_another_district_do_not_find_the_resident(client, resident, helsinki):
    staff = StaffRoleFactory(role=StaffRole.Role.SERVICE_POINT, area=helsinki["western"]).user
    sign_in_past_second_factor(client, staff)
    found = client.get(reverse("accounts:staff_person_data"), {"email": resident.email})
    assert found.context["person"] is None
    assert found.context["form"].errors["email"]
    response = client.post(reverse("accounts:staff_person_data_download", args=[resident.pk]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="privacy.exported_in_person").exists()


def test_the_privacy_notice_lists_each_purpose_in_three_languages(client):
    for language, words in (
        ("fi", "Tietosuojaseloste"),
        ("sv", "Dataskyddsbeskrivning"),
        ("en", "Privacy notice"),
    ):
        page = client.get(f"/{language}/privacy/")
        assert page.status_code == 200
        assert words in page.content.decode()
