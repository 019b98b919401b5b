"""Booking a meeting with a coach: the rules, booking without an account, confirming,
cancelling, moving, the reminder, and the e-mails in the person's language with .ics."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation
from icalendar import Calendar

from osallistu.coaches import tasks
from osallistu.coaches.models import Appointment, AppointmentState, CoachProfile
from osallistu.coaches.services import CoachesError, appointments
from osallistu.coaches.tokens import appointment_id, appointment_token
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from tests.coaches.conftest import NOW, at
from tests.factories import UserFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


def book(
    coach, district, begins_at, topic, *, person=None, email="guest@example.fi", now=NOW, **extra
):
    arguments = {
        "coach": coach,
        "district": district,
        "begins_at": begins_at,
        "topic": topic,
        "meeting_language": "fi",
        "person": person,
        "name": "Guest Person",
        "email": email,
        "email_language": "en",
        "now": now,
    }
    arguments.update(extra)
    return appointments.book_appointment(**arguments)


def refused(code, function, *args, **kwargs):
    with pytest.raises(CoachesError) as caught:
        function(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def run_jobs():
    jobs.run_pending()
    return list(mail.outbox)


def test_signed_in_booking_is_confirmed_with_an_email_in_their_language_and_ics(
    coach, resident, topic, helsinki
):
    appointment = book(coach, helsinki["central"], at(1, 10, 30), topic, person=resident, email="")
    assert appointment.state == AppointmentState.CONFIRMED
    assert appointment.email == "resident@example.fi" and appointment.email_language == "sv"
    assert appointment.ends_at == at(1, 11)
    sent = run_jobs()
    to_person = [m for m in sent if m.to == ["resident@example.fi"]]
    to_coach = [m for m in sent if m.to == ["coach@example.fi"]]
    assert len(to_person) == 1 and len(to_coach) == 1
    message = to_person[0]
    assert message.subject.startswith("Mötet är bokat")
    token = appointment_token(appointment)
    assert f"/sv/coaches/appointments/{token}/" in message.body
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("meeting.ics", "text/calendar")
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert event["DTSTART"].dt == at(1, 10, 30)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]) == f"coach-appointment-{appointment.pk}@127.0.0.1"
    assert str(event["SUMMARY"]).startswith("Möte med")
    # The coach is told in the coach's own language.
    assert to_coach[0].subject.startswith("Uusi tapaaminen")
    assert AuditEntry.objects.filter(action="coaches.appointment_booked").count() == 1


def test_booking_without_an_account_holds_the_slot_until_the_email_is_confirmed(
    coach, topic, helsinki
):
    appointment = book(coach, helsinki["central"], at(1, 10), topic)
    assert appointment.state == AppointmentState.PENDING
    assert appointment.hold_until == NOW + datetime.timedelta(minutes=appointments.HOLD_MINUTES)
    (message,) = run_jobs()
    assert message.to == ["guest@example.fi"]
    assert message.subject.startswith("Confirm your meeting")
    token = appointment_token(appointment)
    assert f"/en/coaches/appointments/{token}/confirm/" in message.body
    assert not message.attachments
    # Someone else cannot take the held slot.
    refused(
        "already_booked",
        book,
        coach,
        helsinki["central"],
        at(1, 10),
        topic,
        email="other@example.fi",
    )
    appointments.confirm_appointment(
        appointment=appointment, now=NOW + datetime.timedelta(minutes=10)
    )
    appointment.refresh_from_db()
    assert appointment.state == AppointmentState.CONFIRMED and appointment.hold_until is None
    mail.outbox.clear()
    (confirmed, to_coach) = run_jobs()
    assert confirmed.subject.startswith("Meeting booked") and confirmed.attachments
    assert to_coach.to == ["coach@example.fi"]
    # Confirming twice (a second click) changes nothing.
    appointments.confirm_appointment(
        appointment=appointment, now=NOW + datetime.timedelta(minutes=11)
    )
    assert Appointment.objects.get().state == AppointmentState.CONFIRMED


def test_a_hold_that_ran_out_frees_the_slot_and_then_cannot_be_confirmed(coach, topic, helsinki):
    first = book(coach, helsinki["central"], at(1, 10), topic)
    later = NOW + datetime.timedelta(minutes=31)
    second = book(coach, helsinki["central"], at(1, 10), topic, email="quick@example.fi", now=later)
    first.refresh_from_db()
    assert first.state == AppointmentState.EXPIRED
    error = refused("hold_expired", appointments.confirm_appointment, appointment=first, now=later)
    with translation.override("en"):
        assert "already booked" in str(error)
    assert second.state == AppointmentState.PENDING


def test_a_hold_that_ran_out_is_still_confirmed_when_the_slot_is_free(coach, topic, helsinki):
    first = book(coach, helsinki["central"], at(1, 10), topic)
    assert tasks.expire_hold.call(appointment=first.pk) == {"expired": False}  # not yet
    appointments.expire_hold(appointment_id=first.pk, now=NOW + datetime.timedelta(hours=1))
    first.refresh_from_db()
    assert first.state == AppointmentState.EXPIRED
    appointments.confirm_appointment(appointment=first, now=NOW + datetime.timedelta(hours=1))
    first.refresh_from_db()
    assert first.state == AppointmentState.CONFIRMED


@pytest.mark.parametrize(
    ("begins_at", "code"),
    [
        (at(-6, 10), "in_past"),
        (at(0, 14), "not_a_slot"),  # Monday: no office hours
        (at(1, 10, 15), "not_a_slot"),  # between slots
        (at(1, 12), "not_a_slot"),  # when the hours have ended
        (at(57, 10), "too_far_ahead"),  # the ninth Tuesday
    ],
)
def test_times_that_are_not_bookable(coach, topic, helsinki, begins_at, code):
    refused(code, book, coach, helsinki["central"], begins_at, topic)


def test_booking_closes_before_the_meeting(coach, topic, helsinki):
    refused("too_soon", book, coach, helsinki["central"], at(1, 10), topic, now=at(1, 8, 30))
    assert book(coach, helsinki["central"], at(1, 10, 30), topic, now=at(1, 8, 30))


def test_the_eighth_tuesday_is_the_last_bookable(coach, topic, helsinki):
    assert book(coach, helsinki["central"], at(50, 10), topic)


def test_coach_district_topic_and_language_must_fit(
    coach, business_coach, topic, business_topic, helsinki
):
    refused("not_offered", book, coach, helsinki["eastern"], at(1, 10), topic)
    refused("not_offered", book, coach, helsinki["city"], at(1, 10), topic)
    refused("topic_not_offered", book, coach, helsinki["central"], at(1, 10), business_topic)
    topic.is_active = False
    topic.save()
    refused("topic_not_offered", book, coach, helsinki["central"], at(1, 10), topic)
    topic.is_active = True
    topic.save()
    refused(
        "language_not_spoken",
        book,
        coach,
        helsinki["central"],
        at(1, 10),
        topic,
        meeting_language="ru",
    )
    CoachProfile.objects.filter(user=coach).update(is_published=False)
    refused("not_offered", book, coach, helsinki["central"], at(1, 10), topic)


def test_business_meetings_are_for_a_company_with_a_valid_business_id(
    business_coach, business_topic, helsinki
):
    refused("company_required", book, business_coach, helsinki["western"], at(2, 9), business_topic)
    company = {"name": "Kahvila Kulma Oy", "sector": "food", "district": helsinki["western"]}
    refused(
        "invalid_business_id",
        book,
        business_coach,
        helsinki["western"],
        at(2, 9),
        business_topic,
        company_details={**company, "business_id_value": "0112038-8"},
    )
    made = book(
        business_coach,
        helsinki["western"],
        at(2, 9, 45),
        business_topic,
        company_details={**company, "business_id_value": "0112038-9"},
    )
    assert made.company.business_id == "0112038-9"
    assert made.ends_at == at(2, 10, 30)


def test_texts_are_checked_not_cut(coach, topic, helsinki):
    refused("name_required", book, coach, helsinki["central"], at(1, 10), topic, name="  ")
    refused(
        "details_too_long", book, coach, helsinki["central"], at(1, 10), topic, details="x" * 2001
    )
    refused(
        "accessibility_too_long",
        book,
        coach,
        helsinki["central"],
        at(1, 10),
        topic,
        accessibility_needs="x" * 1001,
    )
    refused("email_required", book, coach, helsinki["central"], at(1, 10), topic, email="")
    assert not Appointment.objects.exists()


def test_one_person_one_meeting_at_a_time_and_three_upcoming(coach, helsinki, place, topic):
    from tests.coaches.factories import hours, make_coach

    other = make_coach(helsinki["central"], hours=[hours(1, (10, 0), (16, 0), place)])
    book(coach, helsinki["central"], at(1, 10), topic)
    refused("overlaps_own", book, other, helsinki["central"], at(1, 10), topic)
    book(other, helsinki["central"], at(1, 13), topic, email="GUEST@example.fi")
    book(other, helsinki["central"], at(8, 13), topic)
    refused("too_many", book, other, helsinki["central"], at(15, 13), topic)


def test_the_database_refuses_a_second_booking_of_a_slot(coach, topic, helsinki):
    first = book(coach, helsinki["central"], at(1, 10), topic)
    copy = Appointment.objects.get(pk=first.pk)
    copy.pk = None
    copy.email = "other@example.fi"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    copy.state = AppointmentState.CANCELLED
    copy.save()  # a cancelled one holds nothing


def test_the_person_cancels_with_the_link_and_the_coach_with_a_reason(
    coach, resident, topic, helsinki
):
    mine = book(coach, helsinki["central"], at(1, 10), topic, person=resident)
    appointments.cancel_appointment(appointment=mine, now=NOW)
    mine.refresh_from_db()
    assert mine.state == AppointmentState.CANCELLED and mine.sequence == 1
    refused("not_open", appointments.cancel_appointment, appointment=mine, now=NOW)
    # The slot is free again.
    again = book(coach, helsinki["central"], at(1, 10), topic, person=resident)
    refused(
        "reason_required", appointments.cancel_appointment, appointment=again, user=coach, now=NOW
    )
    stranger = UserFactory(is_staff=True)
    refused(
        "not_allowed",
        appointments.cancel_appointment,
        appointment=again,
        user=stranger,
        reason="x",
        now=NOW,
    )
    mail.outbox.clear()
    jobs.run_pending()
    mail.outbox.clear()
    appointments.cancel_appointment(appointment=again, user=coach, reason="Olen sairaana.", now=NOW)
    (message,) = run_jobs()
    assert message.subject.startswith("Mötet är inställt")
    assert "Olen sairaana." in message.body
    (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    later = book(coach, helsinki["central"], at(8, 10), topic, person=resident)
    refused("already_begun", appointments.cancel_appointment, appointment=later, now=at(8, 10, 5))


def test_moving_to_another_free_slot_keeps_the_uid_and_a_new_reminder(
    coach, resident, topic, helsinki
):
    mine = book(coach, helsinki["central"], at(1, 10), topic, person=resident)
    book(coach, helsinki["central"], at(1, 11), topic, email="taken@example.fi")
    refused(
        "already_booked",
        appointments.move_appointment,
        appointment=mine,
        begins_at=at(1, 11),
        now=NOW,
    )
    refused(
        "not_a_slot",
        appointments.move_appointment,
        appointment=mine,
        begins_at=at(1, 11, 15),
        now=NOW,
    )
    refused(
        "same_time", appointments.move_appointment, appointment=mine, begins_at=at(1, 10), now=NOW
    )
    run_jobs()
    mail.outbox.clear()
    moved = appointments.move_appointment(appointment=mine, begins_at=at(8, 11, 30), now=NOW)
    assert (moved.begins_at, moved.ends_at, moved.sequence) == (at(8, 11, 30), at(8, 12), 1)
    # The old slot is free, the new one is not.
    assert book(coach, helsinki["central"], at(1, 10), topic, email="next@example.fi")
    refused(
        "already_booked",
        book,
        coach,
        helsinki["central"],
        at(8, 11, 30),
        topic,
        email="x@example.fi",
    )
    sent = run_jobs()
    message = next(m for m in sent if m.to == ["resident@example.fi"])
    assert message.subject.startswith("Mötet har flyttats")
    (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert event["DTSTART"].dt == at(8, 11, 30) and int(event["SEQUENCE"]) == 1
    reminders = tasks.send_reminder.jobs().order_by("run_after")
    assert [job.run_after for job in reminders] == [at(0, 9), at(7, 9)]
    refused(
        "too_late_to_move",
        appointments.move_appointment,
        appointment=moved,
        begins_at=at(15, 10),
        now=at(8, 10),
    )


def test_the_reminder_goes_once_the_day_before_and_not_for_a_moved_time(
    coach, resident, topic, helsinki
):
    mine = book(coach, helsinki["central"], at(8, 10), topic, person=resident)
    (job,) = tasks.send_reminder.jobs()
    assert job.run_after == at(7, 9)  # 9.00 on the Monday before
    old_time = mine.begins_at.isoformat()
    run_jobs()
    mail.outbox.clear()
    assert appointments.send_reminder(
        appointment_id=mine.pk, begins_at=mine.begins_at, now=at(7, 9)
    )
    assert not appointments.send_reminder(
        appointment_id=mine.pk, begins_at=mine.begins_at, now=at(7, 9)
    )
    (message,) = run_jobs()
    assert message.subject.startswith("Påminnelse")
    assert message.attachments
    moved = appointments.move_appointment(appointment=mine, begins_at=at(15, 10), now=at(7, 10))
    assert moved.reminded_at is None
    # The reminder of the old time finds the meeting moved and sends nothing.
    assert tasks.send_reminder.call(appointment=mine.pk, begins_at=old_time) == {"sent": False}


def test_no_reminder_when_booked_after_the_reminder_time(coach, resident, topic, helsinki):
    book(coach, helsinki["central"], at(1, 11), topic, person=resident, now=at(0, 10))
    assert not tasks.send_reminder.jobs().exists()


def test_the_coach_records_whether_the_meeting_was_held(coach, resident, topic, helsinki):
    mine = book(coach, helsinki["central"], at(1, 10), topic, person=resident)
    refused(
        "not_begun", appointments.record_outcome, appointment=mine, staff=coach, held=True, now=NOW
    )
    done = appointments.record_outcome(appointment=mine, staff=coach, held=False, now=at(1, 11))
    assert done.state == AppointmentState.NO_SHOW
    stranger = UserFactory(is_staff=True)
    refused(
        "not_allowed",
        appointments.record_outcome,
        appointment=mine,
        staff=stranger,
        held=True,
        now=at(1, 11),
    )


def test_the_private_link_is_signed(coach, topic, helsinki):
    mine = book(coach, helsinki["central"], at(1, 10), topic)
    token = appointment_token(mine)
    assert appointment_id(token) == mine.pk
    assert appointment_id(f"{mine.pk + 1}:{token.split(':', 1)[1]}") is None
    assert appointment_id("1:forged") is None
    assert appointment_id(str(mine.pk)) is None
