"""iCalendar correctness (RFC 5545) and the e-mails bookers get, in their language."""

import re

import pytest
from django.core import mail
from django.utils import translation
from icalendar import Calendar

from osallistu.core import jobs
from osallistu.premises import ical, services
from osallistu.premises.models import Confirmation
from tests.premises.conftest import NOW, at

pytestmark = pytest.mark.django_db


def unfold(text):
    return text.replace("\r\n ", "")


def test_booking_ics_is_well_formed(space, booker):
    space.name_fi = "Sali, iso; 1"
    space.save()
    booking = services.create_booking(
        space=space,
        booker=booker,
        begins_at=at(1, 17),
        ends_at=at(1, 19),
        attendees=5,
        description="Kerhon vuosikokous, jossa valitaan hallitus ja käsitellään " * 3,
        now=NOW,
    )
    with translation.override("fi"):  # texts are in the active language
        text = ical.booking_ics(booking, now=NOW)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode()) <= 75
    lines = unfold(text).split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "METHOD:PUBLISH" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert f"UID:premises-booking-{booking.pk}@127.0.0.1" in lines
    # 17:00 in Helsinki in March is 15:00 UTC.
    assert "DTSTART:20310304T150000Z" in lines
    assert "DTEND:20310304T170000Z" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert "STATUS:CONFIRMED" in lines and "SEQUENCE:0" in lines
    assert any(line.startswith("SUMMARY:Sali\\, iso\\; 1\\, ") for line in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    # Read back by a calendar, the texts are as written: folding and escaping undone.
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Sali, iso; 1, ")
    assert str(event["DESCRIPTION"]).startswith("Kerhon vuosikokous, jossa valitaan")
    assert "Varausnumero" in str(event["DESCRIPTION"]).splitlines()[1]


def test_cancellation_keeps_the_uid_and_raises_the_sequence(space, booker):
    booking = services.create_booking(
        space=space, booker=booker, begins_at=at(2, 17), ends_at=at(2, 19), attendees=5, now=NOW
    )
    before = unfold(ical.booking_ics(booking, now=NOW))
    services.cancel_booking(booking=booking, user=booker, now=NOW)
    booking.refresh_from_db()
    after = unfold(ical.booking_ics(booking, now=NOW))
    uid = f"UID:premises-booking-{booking.pk}@127.0.0.1"
    assert uid in before and uid in after
    assert "STATUS:CANCELLED" in after and "SEQUENCE:1" in after


def test_private_feed_lists_the_persons_bookings(space, booker):
    services.create_booking(
        space=space, booker=booker, begins_at=at(1, 17), ends_at=at(1, 19), attendees=5, now=NOW
    )
    services.create_booking(
        space=space, booker=booker, begins_at=at(2, 17), ends_at=at(2, 19), attendees=5, now=NOW
    )
    text = ical.feed_ics(booker, now=NOW)
    assert text.count("BEGIN:VEVENT") == 2
    assert "METHOD:" not in text
    assert "X-WR-CALNAME:" in text


def test_confirmation_email_in_the_bookers_language_with_ics(space, identified):
    # ``identified`` prefers Swedish.
    services.create_booking(
        space=space, booker=identified, begins_at=at(1, 17), ends_at=at(1, 19), attendees=5, now=NOW
    )
    jobs.run_pending()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["identified@example.fi"]
    assert message.subject.startswith("Bokningen är bekräftad: Mötesrum")
    assert "/sv/premises/" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename == "booking.ics" and mimetype == "text/calendar"
    assert "STATUS:CONFIRMED" in content and "SUMMARY:Mötesrum" in content


def test_handling_emails_receipt_approval_denial_and_cancellation(space, booker, manager):
    space.confirmation = Confirmation.HANDLED
    space.save()
    first = services.create_booking(
        space=space, booker=booker, begins_at=at(2, 10), ends_at=at(2, 12), attendees=5, now=NOW
    )
    second = services.create_booking(
        space=space, booker=booker, begins_at=at(3, 10), ends_at=at(3, 12), attendees=5, now=NOW
    )
    services.approve_booking(booking=first, staff=manager, now=NOW)
    services.deny_booking(booking=second, staff=manager, reason="Päällekkäinen tapahtuma", now=NOW)
    services.cancel_booking(booking=first, user=manager, reason="Vesivahinko", now=NOW)
    jobs.run_pending()
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Varaus vastaanotettu: " + space.name_fi,
        "Varaus vastaanotettu: " + space.name_fi,
        "Varaus vahvistettu: " + space.name_fi,
        "Varaus hylätty: " + space.name_fi,
        "Varaus peruttu: " + space.name_fi,
    ]
    assert not mail.outbox[0].attachments
    assert "Päällekkäinen tapahtuma" in mail.outbox[3].body
    assert "Vesivahinko" in mail.outbox[4].body
    assert "STATUS:CANCELLED" in mail.outbox[4].attachments[0][1]
