"""iCalendar (RFC 5545) for bookings, made with the ``icalendar`` library: the file
attached to e-mails and a person's private feed.

Times are in UTC, so no VTIMEZONE is needed; every event has a UID that stays the same
through the booking's life and a SEQUENCE that grows with each change, so calendars
update or remove the event. Texts are in the active language: render inside
``translation.override``.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from osallistu.core.site import DEVELOPMENT_URL

from .models import BookingState
from .selectors import feed_bookings

PRODID = "-//Osallistu//City premises//EN"

STATUS = {
    BookingState.CREATED: "TENTATIVE",
    BookingState.REQUIRES_HANDLING: "TENTATIVE",
    BookingState.CONFIRMED: "CONFIRMED",
    BookingState.DENIED: "CANCELLED",
    BookingState.CANCELLED: "CANCELLED",
}


def utc(moment):
    return moment.astimezone(datetime.UTC)


def booking_uid(booking):
    # Not the request's host: a calendar knows an event by its UID, which must not change
    # with the address a feed happens to be fetched from.
    host = urlsplit(settings.SITE_URL or DEVELOPMENT_URL).hostname or "osallistu.invalid"
    return f"premises-booking-{booking.pk}@{host}"


def sequence(booking):
    """0 when made, one more for a staff decision and one more for a cancellation."""
    return int(booking.handled_at is not None) + int(booking.state == BookingState.CANCELLED)


def booking_event(booking, now):
    space = booking.space
    unit = space.unit
    details = []
    if booking.description:
        details.append(booking.description)
    details.append(_("Booking number: %(number)s") % {"number": booking.pk})
    details.append(_("State: %(state)s") % {"state": booking.get_state_display()})
    if booking.state_reason:
        details.append(_("Reason: %(reason)s") % {"reason": booking.state_reason})
    modified = booking.cancelled_at or booking.handled_at or booking.created_at or now
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", utc(now))
    event.add("last-modified", utc(modified))
    event.add("dtstart", utc(booking.begins_at))
    event.add("dtend", utc(booking.ends_at))
    event.add("sequence", sequence(booking))
    event.add("status", STATUS[booking.state])
    event.add("summary", f"{space.name}, {unit.name}")
    event.add("location", f"{unit.street_address}, {unit.postal_code} {_('Helsinki')}")
    event.add("description", "\n".join(details))
    event.add("transp", "OPAQUE")
    return event


def calendar(bookings, *, name=None, method=None, now=None):
    """A VCALENDAR with one VEVENT per booking, as text with CRLF line ends."""
    now = now or timezone.now()
    made = Calendar()
    made.add("prodid", PRODID)
    made.add("version", "2.0")
    made.add("calscale", "GREGORIAN")
    if method:
        made.add("method", method)
    if name:
        made.add("x-wr-calname", name)
    for booking in bookings:
        made.add_component(booking_event(booking, now))
    return made.to_ical().decode("utf-8")


def booking_ics(booking, *, now=None):
    """The .ics attached to e-mails about one booking."""
    return calendar([booking], method="PUBLISH", now=now)


def bookings_ics(bookings, *, now=None):
    """The .ics attached to e-mails about several bookings (a series)."""
    return calendar(bookings, method="PUBLISH", now=now)


def feed_ics(user, *, now=None):
    """A person's private feed of bookings (see ``selectors.feed_bookings``)."""
    return calendar(feed_bookings(user, now=now), name=_("My bookings of city premises"), now=now)
