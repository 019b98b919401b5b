"""The staff pages of feedback: who may open them, the queue and its filters, each action
on one feedback's page, and API keys."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from osallistu.core.models import AuditEntry
from osallistu.feedback.models import ApiKey, EventKind, Feedback, Moderation, Status
from tests.factories import UserFactory, sign_in_past_second_factor
from tests.feedback.factories import FeedbackFactory, PublicFeedbackFactory

QUEUE = "/fi/feedback/staff/"


def page(pk):
    return f"/fi/feedback/staff/{pk}/"


@pytest.fixture
def staff_client(client, handler):
    return sign_in_past_second_factor(client, handler)


def test_staff_pages_need_a_second_factor_and_a_division(client, handler, resident, pothole):
    feedback = FeedbackFactory(service=pothole)
    for path in (QUEUE, page(feedback.pk), "/fi/feedback/staff/api-keys/"):
        assert client.get(path)["Location"].startswith("/fi/accounts/login/")
    client.force_login(handler)  # no second factor yet
    assert client.get(QUEUE)["Location"].startswith(reverse("accounts:mfa_verify"))
    sign_in_past_second_factor(client, UserFactory(email="staff@example.fi", is_staff=True))
    assert client.get(QUEUE).status_code == 403  # staff, but of no division
    client.force_login(resident)
    assert client.get(QUEUE).status_code == 403


def test_queue_shows_only_feedback_in_reach(client, pothole, library, central_handler, helsinki):
    FeedbackFactory(service=pothole, title="Kalliossa")
    FeedbackFactory(
        service=pothole,
        title="Vuosaaressa",
        latitude="60.21",
        longitude="25.15",
        district=helsinki["eastern"],
    )
    FeedbackFactory(service=library, title="Kirjastossa")
    sign_in_past_second_factor(client, central_handler)
    body = client.get(QUEUE).content.decode()
    assert "Kalliossa" in body
    assert "Vuosaaressa" not in body and "Kirjastossa" not in body


def test_queue_filters(staff_client, pothole, handler):
    late = FeedbackFactory(
        service=pothole, title="Myöhässä", due_at=timezone.now() - timedelta(days=1)
    )
    FeedbackFactory(service=pothole, title="Ajoissa", due_at=timezone.now() + timedelta(days=3))
    PublicFeedbackFactory(
        service=pothole, title="Julkinen", handler=handler, status=Status.ALLOCATED
    )
    PublicFeedbackFactory(
        service=pothole, title="Valmis", status=Status.DONE, closed_at=timezone.now()
    )

    def titles(**filters):
        body = staff_client.get(QUEUE, filters).content.decode()
        return {
            title
            for title in ("Myöhässä", "Ajoissa", "Julkinen", "Valmis")
            if f": {title}</span>" in body
        }

    assert titles() == {"Myöhässä", "Ajoissa", "Julkinen"}  # open by default
    assert titles(status="closed") == {"Valmis"}
    assert titles(status="all", moderation="unmoderated") == {"Myöhässä", "Ajoissa"}
    assert titles(overdue="on") == {"Myöhässä"}
    assert titles(handler="me") == {"Julkinen"}
    assert titles(handler="none", status="all") == {"Myöhässä", "Ajoissa", "Valmis"}
    assert late.is_overdue


def test_queue_reads_in_a_fixed_number_of_queries(
    staff_client, pothole, django_assert_max_num_queries
):
    FeedbackFactory.create_batch(3, service=pothole)
    with django_assert_max_num_queries(20) as few:
        staff_client.get(QUEUE)
    FeedbackFactory.create_batch(30, service=pothole)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(QUEUE)


def test_moderation_from_the_page(staff_client, pothole, handler):
    feedback = FeedbackFactory(service=pothole, description="Kuoppa. Soita minulle 0401234567.")
    form = staff_client.get(page(feedback.pk)).content.decode()
    assert "0401234567" in form  # staff see the text as sent
    staff_client.post(
        page(feedback.pk),
        {
            "action": "publish",
            "publish-public_title": "Kuoppa",
            "publish-public_description": "Kuoppa.",
            "publish-public_address": "Viides linja",
        },
    )
    feedback.refresh_from_db()
    assert feedback.moderation == Moderation.PUBLIC and feedback.public_description == "Kuoppa."
    refused = staff_client.post(page(feedback.pk), {"action": "hide", "hide-reason": ""})
    assert refused.status_code == 400
    assert 'id="id_hide-reason_error"' in refused.content.decode()
    staff_client.post(page(feedback.pk), {"action": "hide", "hide-reason": "Henkilötietoja"})
    feedback.refresh_from_db()
    assert feedback.moderation == Moderation.HIDDEN


def test_handling_to_done_from_the_page(staff_client, pothole, handler, central_handler):
    feedback = PublicFeedbackFactory(service=pothole)
    staff_client.post(page(feedback.pk), {"action": "assign", "assign-handler": central_handler.pk})
    staff_client.post(
        page(feedback.pk),
        {"action": "status", "status-status": "in_handling", "status-note": "Työn alla"},
    )
    staff_client.post(page(feedback.pk), {"action": "answer", "answer-text": "Korjattu."})
    staff_client.post(page(feedback.pk), {"action": "status", "status-status": "done"})
    feedback.refresh_from_db()
    assert feedback.handler == central_handler
    assert feedback.status == Status.DONE and feedback.answer == "Korjattu."
    history = staff_client.get(page(feedback.pk)).content.decode()
    assert "Työn alla" in history


def test_refusals_are_shown_next_to_the_field(staff_client, pothole, culture_staff):
    feedback = PublicFeedbackFactory(service=pothole)
    refused = staff_client.post(
        page(feedback.pk), {"action": "status", "status-status": "not_city", "status-note": ""}
    )
    assert refused.status_code == 400
    assert 'id="id_status-note_error"' in refused.content.decode()
    outsider = staff_client.post(
        page(feedback.pk), {"action": "assign", "assign-handler": culture_staff.pk}
    )
    assert outsider.status_code == 400  # not a choice: not of the division
    unknown = staff_client.post(page(feedback.pk), {"action": "vanish"})
    assert unknown.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Status.RECEIVED and feedback.handler is None


def test_merging_from_the_page(staff_client, pothole, library):
    original = PublicFeedbackFactory(service=pothole)
    repeat = PublicFeedbackFactory(service=pothole)
    missing = staff_client.post(
        page(repeat.pk), {"action": "merge", "merge-original": original.pk + 1000}
    )
    assert missing.status_code == 400 and 'id="id_merge-original_error"' in missing.content.decode()
    elsewhere = FeedbackFactory(service=library)
    other = staff_client.post(page(repeat.pk), {"action": "merge", "merge-original": elsewhere.pk})
    assert other.status_code == 400
    staff_client.post(page(repeat.pk), {"action": "merge", "merge-original": original.pk})
    repeat.refresh_from_db()
    assert repeat.status == Status.DUPLICATE and repeat.duplicate_of == original
    assert original.events.filter(kind=EventKind.DUPLICATE_ADDED).exists()


def test_feedback_out_of_reach_is_not_found(client, library, handler):
    feedback = FeedbackFactory(service=library)
    sign_in_past_second_factor(client, handler)
    assert client.get(page(feedback.pk)).status_code == 404
    assert client.post(page(feedback.pk), {"action": "hide", "hide-reason": "x"}).status_code == 404
    feedback.refresh_from_db()
    assert feedback.moderation == Moderation.UNMODERATED


def test_city_administrator_issues_and_revokes_keys(client, city_admin, handler):
    sign_in_past_second_factor(client, handler)
    assert client.get("/fi/feedback/staff/api-keys/").status_code == 403
    sign_in_past_second_factor(client, city_admin)
    issued = client.post("/fi/feedback/staff/api-keys/", {"name": "Palauteappi"})
    assert issued.status_code == 200
    api_key = ApiKey.objects.get()
    body = issued.content.decode()
    key = body.split('<p class="secret-key">')[1].split("</p>")[0]
    assert ApiKey.digest_of(key) == api_key.digest
    listing = client.get("/fi/feedback/staff/api-keys/").content.decode()
    assert key not in listing and api_key.prefix in listing
    client.post(f"/fi/feedback/staff/api-keys/{api_key.pk}/revoke/")
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert AuditEntry.objects.filter(action="feedback.api_key_revoked").exists()


def test_no_action_on_a_get(staff_client, pothole):
    feedback = FeedbackFactory(service=pothole)
    staff_client.get(page(feedback.pk), {"action": "hide", "hide-reason": "x"})
    assert Feedback.objects.get().moderation == Moderation.UNMODERATED


def test_front_page_and_staff_desk_lead_to_feedback(client, handler, culture_staff, city_admin):
    """Residents find feedback on the front page; on the staff desk, handlers of a
    division and city administrators find its tools, other staff do not."""
    front = client.get("/fi/").content.decode()
    assert 'href="/fi/feedback/"' in front and "Palaute kaupungille" in front
    other_staff = UserFactory(email="muu@example.fi", is_staff=True)
    for person, sees in ((handler, True), (city_admin, True), (other_staff, False)):
        sign_in_past_second_factor(client, person)
        desk = client.get("/fi/staff/").content.decode()
        assert ('href="/fi/feedback/staff/"' in desk) is sees, person
