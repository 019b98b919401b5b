"""Asking a coach: routing to the district's coach, answers and replies, notes only
coaches see, handing over, statuses and response times; and who sees which request
(role AND district, or handed over)."""

import datetime

import pytest
from django.core import mail

from osallistu.accounts.models import StaffRole
from osallistu.coaches import permissions
from osallistu.coaches.models import CoachKind, ContactRequest, RequestStatus
from osallistu.coaches.selectors import desk
from osallistu.coaches.services import CoachesError, requests
from osallistu.core import jobs
from tests.coaches.conftest import NOW
from tests.coaches.factories import make_coach
from tests.factories import StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
COMPANY = {"name": "Kahvila Kulma Oy", "business_id_value": "0112038-9", "sector": "food"}


def ask(asker, district, topic, **extra):
    return requests.ask_coach(
        asker=asker,
        district=district,
        kind=extra.pop("kind", CoachKind.CITY),
        topic=topic,
        question=extra.pop("question", "Miten teen ehdotuksen?"),
        now=extra.pop("now", NOW),
        **extra,
    )


def refused(code, function, **kwargs):
    with pytest.raises(CoachesError) as caught:
        function(**kwargs)
    assert caught.value.code == code, caught.value.message


@pytest.fixture
def east_coach(helsinki):
    return make_coach(helsinki["eastern"], email="east@example.fi")


def test_a_question_goes_to_the_districts_coach_who_gets_an_email(
    coach, east_coach, resident, topic, helsinki
):
    request = ask(resident, helsinki["central"], topic, phone="040 123 4567")
    assert request.assigned_to == coach and request.status == RequestStatus.NEW
    assert request.language == "sv"
    jobs.run_pending()
    (message,) = mail.outbox
    assert message.to == ["coach@example.fi"]
    assert f"/fi/coaches/desk/requests/{request.pk}/" in message.body


def test_of_two_coaches_of_a_district_the_less_busy_gets_it(coach, resident, topic, helsinki):
    ask(resident, helsinki["central"], topic)
    second = make_coach(helsinki["central"])
    assert ask(resident, helsinki["central"], topic).assigned_to == second
    # A city-wide coach with nothing to do still comes after the district's own.
    make_coach(helsinki["city"])
    assert ask(resident, helsinki["central"], topic).assigned_to == coach


def test_without_a_coach_the_question_waits_for_any(resident, topic, helsinki):
    request = ask(resident, helsinki["northern"], topic)
    assert request.assigned_to is None


def test_asking_needs_a_login_a_topic_of_the_kind_and_a_question(
    resident, topic, business_topic, helsinki
):
    from django.contrib.auth.models import AnonymousUser

    refused("not_signed_in", ask, asker=AnonymousUser(), district=helsinki["central"], topic=topic)
    refused(
        "topic_not_offered", ask, asker=resident, district=helsinki["central"], topic=business_topic
    )
    refused(
        "question_required",
        ask,
        asker=resident,
        district=helsinki["central"],
        topic=topic,
        question=" ",
    )
    refused(
        "text_too_long",
        ask,
        asker=resident,
        district=helsinki["central"],
        topic=topic,
        question="x" * 4001,
    )
    refused("not_a_district", ask, asker=resident, district=helsinki["city"], topic=topic)
    assert not ContactRequest.objects.exists()


def test_a_company_asks_the_business_coach(business_coach, resident, business_topic, helsinki):
    base = {
        "asker": resident,
        "district": helsinki["western"],
        "topic": business_topic,
        "kind": CoachKind.BUSINESS,
    }
    refused("company_required", ask, **base)
    refused(
        "invalid_business_id",
        ask,
        **base,
        company_details={
            **COMPANY,
            "business_id_value": "0112038-1",
            "district": helsinki["western"],
        },
    )
    request = ask(
        **base, wants_meeting=True, company_details={**COMPANY, "district": helsinki["western"]}
    )
    assert request.assigned_to == business_coach
    assert request.company.business_id == "0112038-9" and request.wants_meeting


def test_answer_reply_close_and_response_time(coach, resident, topic, helsinki):
    request = ask(resident, helsinki["central"], topic)
    jobs.run_pending()
    mail.outbox.clear()
    later = NOW + datetime.timedelta(hours=5)
    requests.answer_request(request=request, coach=coach, body="Näin teet sen.", now=later)
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    assert request.response_time == datetime.timedelta(hours=5)
    jobs.run_pending()
    (answer,) = mail.outbox
    assert answer.to == ["resident@example.fi"]
    assert answer.subject.startswith("Svar på din fråga")
    assert (
        "Näin teet sen." in answer.body and f"/sv/coaches/my-requests/{request.pk}/" in answer.body
    )
    requests.reply_as_asker(request=request, asker=resident, body="Kiitos, entä...", now=later)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
    # A second answer does not change the first response time.
    requests.answer_request(
        request=request,
        coach=coach,
        body="Vielä tämä.",
        status=RequestStatus.CLOSED,
        now=later + datetime.timedelta(days=1),
    )
    request.refresh_from_db()
    assert request.response_time == datetime.timedelta(hours=5)
    assert request.status == RequestStatus.CLOSED and request.closed_at is not None
    refused(
        "closed", requests.reply_as_asker, request=request, asker=resident, body="Vielä", now=later
    )
    stranger = UserFactory()
    refused("not_allowed", requests.close_as_asker, request=request, asker=stranger)
    times = desk.response_times(coach, now=later + datetime.timedelta(days=2))
    assert times["answered"] == 1 and times["median_hours"] == 5.0 and times["waiting"] == 0


def test_notes_are_for_coaches_only(coach, resident, topic, helsinki):
    from osallistu.coaches.selectors import public

    request = ask(resident, helsinki["central"], topic)
    requests.add_note(request=request, coach=coach, body="Soitin takaisin.", now=NOW)
    assert [note.body for note in desk.notes_of(request)] == ["Soitin takaisin."]
    assert public.messages_of(request) == []
    refused("note_required", requests.add_note, request=request, coach=coach, body="")


def test_a_coach_sees_only_their_districts_requests_unless_handed_one(
    coach, east_coach, resident, topic, helsinki
):
    central = ask(resident, helsinki["central"], topic)
    eastern = ask(resident, helsinki["eastern"], topic)
    assert list(desk.visible_requests(coach)) == [central]
    assert list(desk.visible_requests(east_coach)) == [eastern]
    assert not permissions.may_handle_request(east_coach, central)
    refused("not_allowed", requests.answer_request, request=central, coach=east_coach, body="Hei")
    refused("not_allowed", requests.add_note, request=central, coach=east_coach, body="Hei")
    refused(
        "not_allowed", requests.hand_over, request=central, coach=east_coach, to_coach=east_coach
    )
    # Handed over, it is the eastern coach's too; the central coach still sees it.
    requests.hand_over(
        request=central, coach=coach, to_coach=east_coach, note="Itäinen asia.", now=NOW
    )
    assert set(desk.visible_requests(east_coach)) == {central, eastern}
    assert central in desk.visible_requests(coach)
    requests.answer_request(request=central, coach=east_coach, body="Autan.", now=NOW)
    jobs.run_pending()
    assert any(m.to == ["east@example.fi"] and "Itäinen asia." in m.body for m in mail.outbox)


def test_handing_over_is_to_another_coach(coach, east_coach, resident, topic, helsinki):
    request = ask(resident, helsinki["central"], topic)
    refused("same_coach", requests.hand_over, request=request, coach=coach, to_coach=coach)
    refused("not_a_coach", requests.hand_over, request=request, coach=coach, to_coach=resident)
    moderator = UserFactory(is_staff=True)
    StaffRoleFactory(
        user=moderator, role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["central"]
    )
    refused("not_a_coach", requests.hand_over, request=request, coach=coach, to_coach=moderator)
    assert coach not in [p.user for p in desk.handover_targets(coach)]
    assert east_coach in [p.user for p in desk.handover_targets(coach)]


def test_city_and_business_coaches_see_their_own_kind(
    coach, business_coach, resident, topic, business_topic, helsinki
):
    city_request = ask(resident, helsinki["central"], topic)
    business_request = ask(
        resident,
        helsinki["central"],
        business_topic,
        kind=CoachKind.BUSINESS,
        company_details={**COMPANY, "district": helsinki["central"]},
    )
    assert list(desk.visible_requests(coach)) == [city_request]
    assert list(desk.visible_requests(business_coach)) == [business_request]


def test_city_admins_see_every_request_and_others_none(coach, resident, topic, helsinki):
    request = ask(resident, helsinki["central"], topic)
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    assert list(desk.visible_requests(admin)) == [request]
    moderator = UserFactory(is_staff=True)
    StaffRoleFactory(
        user=moderator, role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["central"]
    )
    assert not desk.visible_requests(moderator).exists()
    assert not desk.visible_requests(resident).exists()
    assert not permissions.may_use_desk(moderator) and not permissions.may_use_desk(resident)


def test_statuses(coach, resident, topic, helsinki):
    request = ask(resident, helsinki["central"], topic)
    refused(
        "not_answered",
        requests.set_status,
        request=request,
        coach=coach,
        status=RequestStatus.ANSWERED,
    )
    refused("invalid_status", requests.set_status, request=request, coach=coach, status="lost")
    requests.set_status(request=request, coach=coach, status=RequestStatus.IN_PROGRESS, now=NOW)
    requests.set_status(request=request, coach=coach, status=RequestStatus.CLOSED, now=NOW)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.closed_at == NOW
    requests.set_status(request=request, coach=coach, status=RequestStatus.NEW, now=NOW)
    request.refresh_from_db()
    assert request.closed_at is None
