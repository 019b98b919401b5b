"""The pages of residents: the public map and list, giving feedback, one feedback's page,
following, reopening and My feedback. No unmoderated or hidden feedback reaches a
public page."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from osallistu.feedback import services
from osallistu.feedback.models import Feedback, FeedbackFollower, Moderation, Status
from tests.feedback.factories import FeedbackFactory, PublicFeedbackFactory, playground_category

NEW = "/fi/feedback/new/171/"
TEXT = "Katuvalo on pimeänä Kallion kirjaston edessä."


def photo_bytes(colour="red", size=(40, 30), maker=None):
    """A JPEG picture; with ``maker``, its EXIF names the camera's maker, as a phone's
    photo does."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if maker:
        exif[0x010F] = maker  # Make
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def upload(name="kuva.jpg", **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, photo_bytes(**kwargs), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# The list and the map


def test_list_shows_public_feedback_only(client, pothole):
    PublicFeedbackFactory(service=pothole, public_title="Julkinen kuoppa")
    FeedbackFactory(service=pothole, title="Tarkastamaton kuoppa", description="Salainen teksti 1")
    FeedbackFactory(
        service=pothole,
        title="Piilotettu kuoppa",
        moderation=Moderation.HIDDEN,
        moderation_reason="Asiaton",
        moderated_at=timezone.now(),
    )
    page = client.get("/fi/feedback/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Julkinen kuoppa" in body
    assert "Tarkastamaton" not in body and "Salainen" not in body and "Piilotettu" not in body
    assert body.count('class="map__link"') == 1


def test_list_filters_by_area_of_the_map(client, pothole, helsinki):
    inside = PublicFeedbackFactory(service=pothole, public_title="Kalliossa")
    PublicFeedbackFactory(
        service=pothole,
        public_title="Vuosaaressa",
        latitude="60.2100",
        longitude="25.1500",
        district=helsinki["eastern"],
    )
    body = client.get("/fi/feedback/", {"bbox": "24.93,60.17,24.97,60.19"}).content.decode()
    assert "Kalliossa" in body and "Vuosaaressa" not in body
    assert f"/fi/feedback/{inside.pk}/" in body
    # The zoom and pan links carry the area; the whole city is one link away.
    assert "bbox=" in body and 'href="?"' in body
    broken = client.get("/fi/feedback/", {"bbox": "pohjoinen"})
    assert broken.status_code == 200
    assert "Vuosaaressa" in broken.content.decode()


def test_list_filters_by_status_category_and_district(client, pothole, library, helsinki):
    PublicFeedbackFactory(service=pothole, public_title="Avoin kuoppa")
    PublicFeedbackFactory(
        service=pothole,
        public_title="Korjattu kuoppa",
        status=Status.DONE,
        closed_at=timezone.now(),
    )
    PublicFeedbackFactory(service=library, public_title="Kirjaston ovi")
    body = client.get("/fi/feedback/", {"status": "closed"}).content.decode()
    assert "Korjattu kuoppa" in body and "Avoin kuoppa" not in body
    body = client.get("/fi/feedback/", {"service": "310"}).content.decode()
    assert "Kirjaston ovi" in body and "Avoin kuoppa" not in body
    body = client.get("/fi/feedback/", {"district": "eastern"}).content.decode()
    assert "Kirjaston ovi" not in body


def test_list_reads_in_a_fixed_number_of_queries(client, pothole, django_assert_max_num_queries):
    PublicFeedbackFactory.create_batch(3, service=pothole)
    with django_assert_max_num_queries(12) as few:
        client.get("/fi/feedback/")
    PublicFeedbackFactory.create_batch(20, service=pothole)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/fi/feedback/")


def test_a_page_number_that_is_not_one_shows_the_first_page(client, pothole):
    PublicFeedbackFactory(service=pothole, public_title="Kuoppa Kalliossa")
    for page in ("\u00b2", "\u0663", "9" * 5000, "-1"):
        response = client.get("/fi/feedback/", {"page": page})
        assert response.status_code == 200 and "Kuoppa Kalliossa" in response.content.decode()


# Giving feedback


def test_categories_to_choose_from(client, pothole, library):
    body = client.get("/fi/feedback/new/").content.decode()
    assert 'href="/fi/feedback/new/171/"' in body and "Kirjastot" in body


def test_anonymous_feedback_with_a_point_and_a_photo(client, pothole, helsinki):
    answer = client.post(
        NEW,
        {
            "description": TEXT,
            "latitude": "60,1840",
            "longitude": "24,9500",
            "photo1": upload(maker="Puhelinvalmistaja Oy"),
            "photo1_description": "Pimeä lyhtypylväs",
        },
    )
    feedback = Feedback.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/fi/feedback/sent/{feedback.token}/"
    assert feedback.author is None and feedback.moderation == Moderation.UNMODERATED
    assert feedback.district == helsinki["central"]
    assert str(feedback.latitude) == "60.184000"
    [photo] = feedback.photos.all()
    assert photo.description == "Pimeä lyhtypylväs" and not photo.is_public
    assert Image.open(io.BytesIO(photo_bytes(maker="Puhelinvalmistaja Oy"))).getexif()
    with photo.image.open("rb") as stored:
        content = stored.read()
    assert dict(Image.open(io.BytesIO(content)).getexif()) == {}  # drawn anew
    assert b"Puhelinvalmistaja" not in content
    receipt = client.get(answer["Location"]).content.decode()
    assert str(feedback.pk) in receipt and TEXT not in receipt


def test_signed_in_feedback_goes_to_its_page(client, pothole, resident):
    client.force_login(resident)
    answer = client.post(NEW, {"description": TEXT, "address": "Fleminginkatu 1"})
    feedback = Feedback.objects.get()
    assert feedback.author == resident
    assert answer["Location"] == f"/fi/feedback/{feedback.pk}/"
    page = client.get(answer["Location"]).content.decode()
    assert TEXT in page  # the sender sees their own text before moderation
    # …and nobody else does.
    client.logout()
    assert client.get(f"/fi/feedback/{feedback.pk}/").status_code == 404


def test_signed_in_but_anonymous(client, pothole, resident):
    client.force_login(resident)
    client.post(NEW, {"description": TEXT, "address": "Fleminginkatu 1", "anonymous": "on"})
    assert Feedback.objects.get().author is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"description": "lyhyt", "address": "Kallio"}, "description", "vähintään 10"),
        ({"description": TEXT}, "address", "kartalle"),
        ({"description": TEXT, "latitude": "61,5", "longitude": "23,7"}, "latitude", "Helsingissä"),
        ({"description": TEXT, "latitude": "x", "longitude": "24,9"}, "latitude", "numerona"),
        ({"description": TEXT, "address": "K", "email": "ei-osoite"}, "email", "sähköposti"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client, pothole, data, field, message):
    answer = client.post(NEW, data)
    assert answer.status_code == 400
    body = answer.content.decode()
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', body, re.S)
    assert error, f"no error next to {field}"
    assert message.lower() in error[1].lower()
    assert not Feedback.objects.exists()


def test_a_photo_needs_its_description(client, pothole):
    answer = client.post(NEW, {"description": TEXT, "address": "Kallio", "photo1": upload()})
    assert answer.status_code == 400
    assert 'id="id_photo1_description_error"' in answer.content.decode()
    hidden = client.post(
        NEW,
        {
            "description": TEXT,
            "address": "Kallio",
            "photo1": upload(),
            "photo1_description": "Valo\u202e",
        },
    )
    assert hidden.status_code == 400
    assert 'id="id_photo1_description_error"' in hidden.content.decode()
    assert not Feedback.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(client, pothole):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("kuva.jpg", b"\xff\xd8\xff not a jpeg", content_type="image/jpeg")
    answer = client.post(
        NEW,
        {"description": TEXT, "address": "Kallio", "photo1": fake, "photo1_description": "x"},
    )
    assert answer.status_code == 400
    assert 'id="id_photo1_error"' in answer.content.decode()
    assert not Feedback.objects.exists()


def test_further_questions_are_asked_and_checked(client, division):
    playground_category(division)
    page = client.get("/fi/feedback/new/211/").content.decode()
    assert "Mikä väline on rikki?" in page
    answer = client.post("/fi/feedback/new/211/", {"description": TEXT, "address": "Puisto"})
    assert answer.status_code == 400
    assert 'id="id_attribute_equipment_error"' in answer.content.decode()
    client.post(
        "/fi/feedback/new/211/",
        {"description": TEXT, "address": "Puisto", "attribute_equipment": "swing"},
    )
    assert Feedback.objects.get().attribute_values == {"equipment": "swing"}


def test_anonymous_sending_is_rate_limited(client, pothole):
    for _ in range(services.submission.ANONYMOUS_PER_HOUR):
        assert client.post(NEW, {"description": TEXT, "address": "Kallio"}).status_code == 302
    refused = client.post(NEW, {"description": TEXT, "address": "Kallio"})
    assert refused.status_code == 429
    assert "myöhemmin" in refused.content.decode()


def test_inactive_or_unknown_category(client, pothole):
    pothole.is_active = False
    pothole.save()
    assert client.get(NEW).status_code == 404
    assert client.get("/fi/feedback/new/nothing/").status_code == 404


# One feedback's page


def test_public_page_shows_only_public_texts_and_photos(client, pothole, handler):
    feedback = FeedbackFactory(service=pothole, description=TEXT + " Soita 0401234567.")
    services.publish_feedback(feedback=feedback, staff=handler, public_description=TEXT)
    body = client.get(f"/fi/feedback/{feedback.pk}/").content.decode()
    assert TEXT in body and "0401234567" not in body


def test_hidden_and_unmoderated_pages_are_not_found(client, pothole, neighbour):
    for feedback in (
        FeedbackFactory(service=pothole),
        FeedbackFactory(
            service=pothole,
            moderation=Moderation.HIDDEN,
            moderation_reason="Asiaton",
            moderated_at=timezone.now(),
        ),
    ):
        assert client.get(f"/fi/feedback/{feedback.pk}/").status_code == 404
        client.force_login(neighbour)
        assert client.get(f"/fi/feedback/{feedback.pk}/").status_code == 404
        client.logout()


def test_answer_and_history_are_shown(client, pothole, handler):
    feedback = PublicFeedbackFactory(service=pothole)
    services.change_status(
        feedback=feedback, staff=handler, status=Status.IN_HANDLING, note="Urakoitsija tilattu"
    )
    services.answer_feedback(feedback=feedback, staff=handler, text="Korjataan viikolla 20.")
    body = client.get(f"/fi/feedback/{feedback.pk}/").content.decode()
    assert "Korjataan viikolla 20." in body and "Urakoitsija tilattu" in body


def test_following_and_unfollowing(client, pothole, neighbour):
    feedback = PublicFeedbackFactory(service=pothole)
    follow = f"/fi/feedback/{feedback.pk}/follow/"
    assert client.post(follow)["Location"].startswith("/fi/accounts/login/")
    client.force_login(neighbour)
    assert client.get(follow).status_code == 405
    client.post(follow)
    assert FeedbackFollower.objects.filter(feedback=feedback, user=neighbour).exists()
    assert "Lopeta seuraaminen" in client.get(f"/fi/feedback/{feedback.pk}/").content.decode()
    client.post(f"/fi/feedback/{feedback.pk}/unfollow/")
    assert not FeedbackFollower.objects.exists()
    my = client.get("/fi/feedback/my/")
    assert my.status_code == 200


def test_sender_reopens_from_the_page(client, pothole, handler, resident):
    feedback = PublicFeedbackFactory(service=pothole, author=resident)
    services.change_status(feedback=feedback, staff=handler, status=Status.DONE)
    client.force_login(resident)
    page = client.get(f"/fi/feedback/{feedback.pk}/").content.decode()
    assert f'action="/fi/feedback/{feedback.pk}/reopen/"' in page
    short = client.post(f"/fi/feedback/{feedback.pk}/reopen/", {"reason": "ei"})
    assert short.status_code == 400 and 'id="id_reason_error"' in short.content.decode()
    client.post(f"/fi/feedback/{feedback.pk}/reopen/", {"reason": "Lamppu sammui taas."})
    feedback.refresh_from_db()
    assert feedback.status == Status.RECEIVED and feedback.reopened_at is not None


def test_reopening_is_not_offered_after_thirty_days_or_to_others(
    client, pothole, handler, resident, neighbour
):
    feedback = PublicFeedbackFactory(service=pothole, author=resident)
    services.change_status(
        feedback=feedback,
        staff=handler,
        status=Status.DONE,
        now=timezone.now() - timedelta(days=31),
    )
    client.force_login(resident)
    assert "/reopen/" not in client.get(f"/fi/feedback/{feedback.pk}/").content.decode()
    late = client.post(f"/fi/feedback/{feedback.pk}/reopen/", {"reason": "Lamppu sammui taas."})
    assert late.status_code == 400
    client.force_login(neighbour)
    other = client.post(f"/fi/feedback/{feedback.pk}/reopen/", {"reason": "Lamppu sammui taas."})
    assert other.status_code == 404
    feedback.refresh_from_db()
    assert feedback.status == Status.DONE


def test_my_feedback_lists_own_whatever_the_moderation(client, pothole, resident):
    FeedbackFactory(service=pothole, author=resident, title="Oma odottava")
    PublicFeedbackFactory(service=pothole, author=resident, title="Oma julkinen")
    FeedbackFactory(service=pothole, title="Jonkun muun")
    assert client.get("/fi/feedback/my/")["Location"].startswith("/fi/accounts/login/")
    client.force_login(resident)
    body = client.get("/fi/feedback/my/").content.decode()
    assert "Oma odottava" in body and "Oma julkinen" in body and "Jonkun muun" not in body


def test_statistics_page(client, pothole):
    PublicFeedbackFactory(
        service=pothole, status=Status.DONE, closed_at=timezone.now(), handling_seconds=2 * 86400
    )
    body = client.get(reverse("feedback:statistics")).content.decode()
    assert "Kuoppa kadulla" in body and "2 vrk 0 h" in body


def test_the_district_page_shows_its_latest_public_feedback(client, pothole, helsinki):
    PublicFeedbackFactory(service=pothole, public_title="Kuoppa Kalliossa")
    FeedbackFactory(service=pothole, title="Odottaa tarkastusta")
    PublicFeedbackFactory(
        service=pothole, public_title="Kuoppa Vuosaaressa", district=helsinki["eastern"]
    )
    html = client.get("/fi/districts/central/").content.decode()
    assert "Palaute kaupungille" in html and "Kuoppa Kalliossa" in html
    assert "Odottaa tarkastusta" not in html and "Kuoppa Vuosaaressa" not in html
    assert 'href="/fi/feedback/?district=central"' in html
    empty = client.get("/fi/districts/western/").content.decode()
    assert "Suurpiiristä ei ole vielä julkista palautetta." in empty
