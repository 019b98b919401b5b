"""iCalendar (RFC 5545) for bookings: the file attached to e-mails and a person's
private feed.

Lines end in CRLF and are folded at 75 octets without splitting a character; text is
escaped (backslash, semicolon, comma, newline); times are in UTC, so no VTIMEZONE is
needed; every event has a UID that stays the same through the booking's life and a
SEQUENCE that grows with each change, so calendars update or remove the event.
Texts are in the active language: render inside ``translation.override``.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BookingState
from .selectors import feed_bookings

PRODID = "-//Osallistu//City premises//EN"

_STATUS = {
    BookingState.CREATED: "TENTATIVE",
    BookingState.REQUIRES_HANDLING: "TENTATIVE",
    BookingState.CONFIRMED: "CONFIRMED",
    BookingState.DENIED: "CANCELLED",
    BookingState.CANCELLED: "CANCELLED",
}


def escape_text(value):
    """TEXT value escaping of RFC 5545 section 3.3.11."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Fold one content line into lines of at most 75 octets (RFC 5545 3.1); each
    continuation line begins with a space."""
    pieces = []
    current = b""
    for character in line:
        encoded = character.encode("utf-8")
        if len(current) + len(encoded) > 75:
            pieces.append(current)
            current = b" "
        current += encoded
    pieces.append(current)
    return "\r\n".join(piece.decode("utf-8") for piece in pieces)


def utc_stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def booking_uid(booking):
    host = urlsplit(settings.SITE_URL).hostname or "osallistu.invalid"
    return f"premises-booking-{booking.pk}@{host}"


def sequence(booking):
    """0 when made, one more for a staff decision and one more for a cancellation."""
    return int(booking.handled_at is not None) + int(booking.state == BookingState.CANCELLED)


def _event_lines(booking, now):
    space = booking.space
    unit = space.unit
    summary = f"{space.name}, {unit.name}"
    details = []
    if booking.description:
        details.append(booking.description)
    details.append(_("Booking number: %(number)s") % {"number": booking.pk})
    details.append(_("State: %(state)s") % {"state": booking.get_state_display()})
    if booking.state_reason:
        details.append(_("Reason: %(reason)s") % {"reason": booking.state_reason})
    city = _("Helsinki")
    location = f"{unit.street_address}, {unit.postal_code} {city}"
    modified = booking.cancelled_at or booking.handled_at or booking.created_at or now
    return [
        "BEGIN:VEVENT",
        f"UID:{booking_uid(booking)}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"LAST-MODIFIED:{utc_stamp(modified)}",
        f"DTSTART:{utc_stamp(booking.begins_at)}",
        f"DTEND:{utc_stamp(booking.ends_at)}",
        f"SEQUENCE:{sequence(booking)}",
        f"STATUS:{_STATUS[booking.state]}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def calendar(bookings, *, name=None, method=None, now=None):
    """A VCALENDAR with one VEVENT per booking, as text with CRLF line ends."""
    now = now or timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        lines.append(f"METHOD:{method}")
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for booking in bookings:
        lines.extend(_event_lines(booking, now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def booking_ics(booking, *, now=None):
    """The .ics attached to e-mails about one booking."""
    return calendar([booking], method="PUBLISH", now=now)


def bookings_ics(bookings, *, now=None):
    """The .ics attached to e-mails about several bookings (a series)."""
    return calendar(bookings, method="PUBLISH", now=now)


def feed_ics(user, *, now=None):
    """A person's private feed of bookings (see ``selectors.feed_bookings``)."""
    return calendar(feed_bookings(user, now=now), name=_("My bookings of city premises"), now=now)
