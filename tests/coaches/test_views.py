"""The pages: districts and the postal-code lookup, booking without an account from the
e-mail's link to cancelling, asking and My requests, events, and the coach's desk behind
the second factor with role AND district."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.coaches.models import Appointment, AppointmentState, ContactRequest, Event
from osallistu.coaches.tokens import appointment_token
from osallistu.core import jobs
from tests.coaches.factories import make_coach
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def page(response):
    return response.content.decode()


def first_slot_link(html):
    found = re.search(r'href="(/fi/districts/central/book/[^"]+\?at=(\d{8}T\d{6}Z))"', html)
    return found.group(1), found.group(2)


def test_the_lookup_sends_a_postal_code_to_its_district(client, helsinki):
    response = client.get("/fi/districts/?postal_code=00530")
    assert response.status_code == 302
    assert response["Location"] == "/fi/districts/central/?postal_code=00530"
    html = page(client.get(response["Location"]))
    assert "Postinumero 00530 (Kallio) kuuluu suurpiiriin Keskinen." in html
    for wrong, message in [
        ("12345", "12345 ei ole Helsingin postinumero"),
        ("123", "Postinumero on viisi numeroa"),
        ("abcde", "Postinumero on viisi numeroa"),
    ]:
        html = page(client.get(f"/fi/districts/?postal_code={wrong}"))
        assert message in html, wrong
        assert 'aria-invalid="true"' in html


def test_the_district_page_shows_coaches_their_slots_events_and_the_sections(
    client, coach, business_coach, place, helsinki, settings
):
    html = page(client.get("/fi/districts/central/"))
    assert "Keskinen" in html
    assert html.index("Stadiluotsi") < html.index("Yritysluotsi")  # the city coach first
    link, key = first_slot_link(html)
    assert link == f"/fi/districts/central/book/{coach.coach_profile.slug}/?at={key}"
    assert "Osallistuva budjetointi" in html and "Varattavat kaupungin tilat" in html
    assert "/fi/districts/central/events.ics" in html
    assert client.get("/fi/districts/helsinki/").status_code == 404
    assert client.get("/fi/districts/nowhere/").status_code == 404
    # The front page links to districts.
    assert 'href="/fi/districts/"' in page(client.get("/fi/"))


def test_booking_without_an_account_confirming_and_cancelling(client, coach, topic, helsinki):
    link, key = first_slot_link(page(client.get("/fi/districts/central/")))
    form = page(client.get(link))
    assert 'name="email"' in form and f'value="{key}"' in form
    response = client.post(
        link.split("?")[0],
        {
            "at": key,
            "topic": topic.pk,
            "meeting_language": "fi",
            "name": "Vieras Varaaja",
            "email": "vieras@example.fi",
            "details": "",
            "accessibility_needs": "Induktiosilmukka",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/fi/coaches/booked/"
    appointment = Appointment.objects.get()
    assert appointment.state == AppointmentState.PENDING and appointment.person is None
    jobs.run_pending()
    (message,) = mail.outbox
    confirm = re.search(
        r"http://testserver(/fi/coaches/appointments/[^/]+/confirm/)", message.body
    ).group(1)
    # Opening the link shows a button; only pressing it confirms.
    assert "Vahvista tapaaminen" in page(client.get(confirm))
    assert Appointment.objects.get().state == AppointmentState.PENDING
    response = client.post(confirm)
    token = appointment_token(appointment)
    assert response["Location"] == f"/fi/coaches/appointments/{token}/"
    assert Appointment.objects.get().state == AppointmentState.CONFIRMED
    ics = client.get(f"/fi/coaches/appointments/{token}/meeting.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"STATUS:CONFIRMED" in ics.content
    response = client.post(f"/fi/coaches/appointments/{token}/cancel/", {"reason": ""})
    assert response.status_code == 302
    assert Appointment.objects.get().state == AppointmentState.CANCELLED
    assert client.get("/fi/coaches/appointments/1:forged/").status_code == 404


def test_a_signed_in_person_is_booked_at_once_and_sees_it_under_my_requests(
    client, coach, topic, resident, helsinki
):
    client.force_login(resident)
    link, key = first_slot_link(page(client.get("/fi/districts/central/")))
    assert 'name="email"' not in page(client.get(link))
    response = client.post(
        link.split("?")[0], {"at": key, "topic": topic.pk, "meeting_language": "sv", "name": ""}
    )
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/fi/coaches/appointments/{appointment_token(appointment)}/"
    assert appointment.state == AppointmentState.CONFIRMED and appointment.person == resident
    html = page(client.get("/fi/coaches/my-requests/"))
    assert f"/fi/coaches/appointments/{appointment_token(appointment)}/" in html


def test_a_taken_or_made_up_time_is_refused_clearly(client, coach, topic, resident, helsinki):
    link, key = first_slot_link(page(client.get("/fi/districts/central/")))
    client.force_login(resident)
    data = {"at": key, "topic": topic.pk, "meeting_language": "fi"}
    client.post(link.split("?")[0], data)
    other = UserFactory(email="other@example.fi")
    client.force_login(other)
    html = page(client.post(link.split("?")[0], data))
    assert "Joku on jo varannut tämän ajan." in html
    response = client.get(link.split("?")[0] + "?at=20310304T081500Z")
    assert response.status_code == 302
    assert Appointment.objects.count() == 1
    # A bad value in a field is shown next to it, and nothing is lost.
    html = page(
        client.post(
            link.split("?")[0], {**data, "meeting_language": "xx", "details": "Tärkeä asia"}
        )
    )
    assert "Tärkeä asia" in html and 'aria-invalid="true"' in html


def test_asking_needs_a_login_and_lands_under_my_requests(client, coach, topic, resident, helsinki):
    response = client.get("/fi/districts/central/ask/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(resident)
    response = client.post(
        "/fi/districts/central/ask/", {"topic": topic.pk, "question": "Mitä teen?", "phone": ""}
    )
    request = ContactRequest.objects.get()
    assert response["Location"] == f"/fi/coaches/my-requests/{request.pk}/"
    assert request.assigned_to == coach
    assert "Mitä teen?" in page(client.get(response["Location"]))
    # Someone else's request is not found.
    client.force_login(UserFactory())
    assert client.get(f"/fi/coaches/my-requests/{request.pk}/").status_code == 404


def test_a_company_asks_the_business_coach(
    client, business_coach, business_topic, resident, helsinki
):
    client.force_login(resident)
    data = {
        "company_name": "Kahvila Kulma Oy",
        "business_id": "0112038-8",
        "sector": "food",
        "company_district": helsinki["western"].pk,
        "topic": business_topic.pk,
        "wants_meeting": "meeting",
        "question": "Mitä lupia kahvila tarvitsee?",
    }
    html = page(client.post("/fi/districts/western/ask/business/", data))
    assert "Y-tunnus on seitsemän numeroa" in html and "Mitä lupia kahvila tarvitsee?" in html
    response = client.post(
        "/fi/districts/western/ask/business/", {**data, "business_id": "0112038-9"}
    )
    request = ContactRequest.objects.get()
    assert response.status_code == 302 and request.assigned_to == business_coach
    assert request.company.name == "Kahvila Kulma Oy" and request.wants_meeting


def test_the_desk_needs_the_second_factor_and_a_coach_role(client, coach, helsinki):
    response = client.get("/fi/coaches/desk/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(coach)
    response = client.get("/fi/coaches/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    sign_in_past_second_factor(client, coach)
    assert client.get("/fi/coaches/desk/").status_code == 200
    moderator = UserFactory(is_staff=True)
    StaffRoleFactory(
        user=moderator, role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["central"]
    )
    sign_in_past_second_factor(client, moderator)
    assert client.get("/fi/coaches/desk/").status_code == 403


def test_a_coach_answers_from_the_desk_and_cannot_open_another_districts_request(
    client, coach, topic, resident, helsinki
):
    from osallistu.coaches.services import requests

    central = requests.ask_coach(
        asker=resident, district=helsinki["central"], kind="city", topic=topic, question="Q?"
    )
    eastern = requests.ask_coach(
        asker=resident, district=helsinki["eastern"], kind="city", topic=topic, question="E?"
    )
    sign_in_past_second_factor(client, coach)
    html = page(client.get("/fi/coaches/desk/"))
    assert f"/fi/coaches/desk/requests/{central.pk}/" in html
    assert f"/fi/coaches/desk/requests/{eastern.pk}/" not in html
    assert client.get(f"/fi/coaches/desk/requests/{eastern.pk}/").status_code == 404
    response = client.post(
        f"/fi/coaches/desk/requests/{central.pk}/",
        {"action": "answer", "answer-body": "Vastaus tähän.", "answer-status": "answered"},
    )
    assert response.status_code == 302
    central.refresh_from_db()
    assert central.status == "answered"
    client.force_login(resident)
    assert "Vastaus tähän." in page(client.get(f"/fi/coaches/my-requests/{central.pk}/"))


def test_staff_publish_an_event_with_sign_up_from_the_desk(
    client, coach, place, resident, helsinki
):
    sign_in_past_second_factor(client, coach)
    form = page(client.get("/fi/coaches/desk/events/new/"))
    assert (
        f'value="{helsinki["central"].pk}"' in form
        and f'value="{helsinki["eastern"].pk}"' not in form
    )
    day = (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    data = {
        "kind": "workshop",
        "district": helsinki["central"].pk,
        "title_fi": "Työpaja",
        "title_sv": "Verkstad",
        "title_en": "Workshop",
        "date": day,
        "begins": "17:00",
        "ends": "19:00",
        "place": place.pk,
        "languages": ["fi", "sv"],
        "signup_required": "on",
        "capacity": "12",
        "publish": "on",
    }
    response = client.post(
        "/fi/coaches/desk/events/new/", {**data, "district": helsinki["eastern"].pk}
    )
    assert response.status_code == 200 and not Event.objects.exists()
    response = client.post("/fi/coaches/desk/events/new/", data)
    event = Event.objects.get()
    assert response["Location"] == f"/fi/coaches/desk/events/{event.pk}/"
    assert event.published_at and event.capacity == 12
    client.force_login(resident)
    assert client.post(f"/fi/coaches/events/{event.pk}/sign-up/", {}).status_code == 302
    event.refresh_from_db()
    assert event.signup_count == 1
    assert f"/fi/coaches/events/{event.pk}/" in page(client.get("/fi/districts/central/"))
    assert client.get(f"/fi/coaches/events/{event.pk}/event.ics").status_code == 200


def test_office_hours_page_of_ones_own_and_a_city_admin_choosing_a_coach(
    client, coach, place, helsinki
):
    sign_in_past_second_factor(client, coach)
    html = page(client.get("/fi/coaches/desk/hours/"))
    assert "tiistai" in html
    other = make_coach(helsinki["eastern"])
    # A coach cannot open another coach's hours by naming them.
    html = page(client.get(f"/fi/coaches/desk/hours/?coach={other.coach_profile.slug}"))
    assert other.coach_profile.name not in html
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    sign_in_past_second_factor(client, admin)
    assert other.coach_profile.name in page(
        client.get(f"/fi/coaches/desk/hours/?coach={other.coach_profile.slug}")
    )
    for unknown in ("no-such-coach", "aino\x00", "a/b"):
        assert client.get("/fi/coaches/desk/hours/", {"coach": unknown}).status_code == 404


def test_the_companies_page_is_for_business_coaches_admins_and_reporters(
    client, coach, business_coach, helsinki
):
    sign_in_past_second_factor(client, coach)
    assert client.get("/fi/coaches/desk/companies/").status_code == 403
    sign_in_past_second_factor(client, business_coach)
    assert "Kirjaa yrityskontakti" in page(client.get("/fi/coaches/desk/companies/"))
    reporter = StaffRoleFactory(role=StaffRole.Role.REPORTER).user
    sign_in_past_second_factor(client, reporter)
    html = page(client.get("/fi/coaches/desk/companies/"))
    assert "Kirjaa yrityskontakti" not in html
    assert client.post("/fi/coaches/desk/companies/", {}).status_code == 403
    assert client.get("/fi/coaches/desk/activity/").status_code == 200


def test_the_menus_offer_only_pages_that_open(client, coach, business_coach, helsinki):
    """A city coach has no companies page, a reporter no desk: neither is offered a
    link that answers 403. A reporter finds the activity from the staff desk."""
    menu = re.compile(r'<nav aria-label="Luotsi">(.*?)</nav>', re.S)
    sign_in_past_second_factor(client, coach)
    links = menu.search(page(client.get("/fi/coaches/desk/"))).group(1)
    assert "/fi/coaches/desk/activity/" in links
    assert "/fi/coaches/desk/companies/" not in links
    assert "/fi/coaches/desk/activity/" not in page(client.get("/fi/staff/"))
    sign_in_past_second_factor(client, business_coach)
    links = menu.search(page(client.get("/fi/coaches/desk/"))).group(1)
    assert "/fi/coaches/desk/companies/" in links
    reporter = StaffRoleFactory(role=StaffRole.Role.REPORTER).user
    sign_in_past_second_factor(client, reporter)
    assert "/fi/coaches/desk/activity/" in page(client.get("/fi/staff/"))
    links = menu.search(page(client.get("/fi/coaches/desk/activity/"))).group(1)
    assert "/fi/coaches/desk/companies/" in links
    assert "/fi/coaches/desk/requests/" not in links
    assert client.get("/fi/coaches/desk/").status_code == 403


def test_a_coach_without_a_name_is_shown_by_role_never_by_login_address(client, helsinki):
    coach = make_coach(helsinki["eastern"], email="kirjautuminen@hel.example")
    coach.full_name = ""
    coach.save(update_fields=["full_name"])
    page = client.get("/fi/districts/eastern/").content.decode()
    assert "kirjautuminen@hel.example" not in page
    assert coach.coach_profile.get_kind_display() in page
