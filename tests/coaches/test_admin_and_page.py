"""The admin keeps the city's topics and places (one in use is not deleted) and the
settings of coaches' pages; a coach makes and writes their own page at the desk."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from osallistu.accounts.models import StaffRole
from osallistu.coaches.models import CoachKind, CoachProfile, OfficeHours, Place, Topic
from osallistu.coaches.services import CoachesError
from osallistu.coaches.services.profiles import save_profile
from osallistu.core.models import AuditEntry
from tests import images
from tests.coaches.factories import make_coach
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    sign_in_past_second_factor(client, user)
    return user


def test_a_place_or_topic_in_use_is_not_deleted(client, administrator, coach, place, topic):
    assert client.post(f"/fi/admin/coaches/place/{place.pk}/delete/").status_code == 403
    unused = Place.objects.create(
        name_fi="Vanha", name_sv="Gammal", name_en="Old", kind="online", online_link="https://x.fi"
    )
    response = client.post(f"/fi/admin/coaches/place/{unused.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Place.objects.filter(pk=unused.pk).exists()
    assert OfficeHours.objects.filter(place=place).exists()
    # A topic nobody has used yet can go.
    response = client.post(f"/fi/admin/coaches/topic/{topic.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Topic.objects.exists()


def test_the_admin_does_not_make_coach_pages_or_change_whose_they_are(client, administrator, coach):
    profile = CoachProfile.objects.get(user=coach)
    assert client.get("/fi/admin/coaches/coachprofile/add/").status_code == 403
    page = client.get(f"/fi/admin/coaches/coachprofile/{profile.pk}/change/").content.decode()
    assert 'name="user"' not in page and 'name="kind"' not in page
    assert 'name="notice_hours"' in page


def test_a_coach_makes_their_page_at_the_desk(client, helsinki):
    user = UserFactory(is_staff=True, full_name="Aada Aalto")
    StaffRoleFactory(user=user, role=StaffRole.Role.CITY_COACH, area=helsinki["central"])
    sign_in_past_second_factor(client, user)
    response = client.get("/fi/coaches/desk/hours/")
    assert response["Location"] == "/fi/coaches/desk/page/"
    response = client.post(
        "/fi/coaches/desk/page/",
        {
            "languages": ["fi", "so"],
            "introduction_fi": "Autan Keskisen asukkaita.",
            "phone": "09 310 1234",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    profile = CoachProfile.objects.get(user=user)
    assert (profile.kind, profile.slug, profile.languages) == (
        CoachKind.CITY,
        "aada-aalto",
        ["fi", "so"],
    )
    assert AuditEntry.objects.filter(action="coaches.profile_created").exists()
    assert "Autan Keskisen asukkaita." in client.get("/fi/districts/central/").content.decode()
    # Without a language the form says so, and keeps what was written.
    page = client.post(
        "/fi/coaches/desk/page/", {"introduction_fi": "Uusi teksti"}
    ).content.decode()
    assert "Uusi teksti" in page and 'aria-invalid="true"' in page


def test_a_coach_of_both_kinds_chooses_and_others_have_no_page(helsinki):
    both = make_coach(helsinki["central"])
    StaffRoleFactory(user=both, role=StaffRole.Role.BUSINESS_COACH, area=helsinki["central"])
    CoachProfile.objects.filter(user=both).delete()
    with pytest.raises(CoachesError) as refused:
        save_profile(coach=both, texts={}, languages=["fi"])
    assert refused.value.code == "kind_required"
    assert (
        save_profile(coach=both, texts={}, languages=["fi"], kind=CoachKind.BUSINESS).kind
        == "business"
    )
    moderator = UserFactory(is_staff=True)
    StaffRoleFactory(
        user=moderator, role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["central"]
    )
    with pytest.raises(CoachesError) as refused:
        save_profile(coach=moderator, texts={}, languages=["fi"])
    assert refused.value.code == "not_a_coach"


def test_a_coach_adds_a_photo_drawn_anew_without_its_metadata(
    client, coach, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The photo on the district page is the uploaded picture re-encoded: no GPS
    position or phone make, a random name; a bomb is refused next to the field, and
    clearing the photo removes it."""
    settings.MEDIA_ROOT = tmp_path
    sign_in_past_second_factor(client, coach)
    fields = {"languages": ["fi"], "is_published": "on", "photo_alt": "Luotsi kirjastossa"}
    upload = SimpleUploadedFile("aino-kotona.jpg", images.jpeg(), content_type="image/jpeg")
    response = client.post("/fi/coaches/desk/page/", {**fields, "photo": upload})
    assert response.status_code == 302
    profile = CoachProfile.objects.get(user=coach)
    assert "aino" not in profile.photo.name and profile.photo_alt == "Luotsi kirjastossa"
    stored = profile.photo.read()
    assert b"PhoneMaker" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}
    district = client.get("/fi/districts/central/").content.decode()
    assert f'src="{profile.photo.url}" alt="Luotsi kirjastossa"' in district

    bomb = SimpleUploadedFile("iso.png", images.png_bomb(), content_type="image/png")
    page = client.post("/fi/coaches/desk/page/", {**fields, "photo": bomb}).content.decode()
    assert "Kuvassa on liikaa pikseleitä" in page and 'aria-invalid="true"' in page
    assert CoachProfile.objects.get(user=coach).photo.name == profile.photo.name

    old = tmp_path / profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fi/coaches/desk/page/", {**fields, "photo-clear": "on"})
    assert response.status_code == 302
    assert not CoachProfile.objects.get(user=coach).photo and not old.exists()
