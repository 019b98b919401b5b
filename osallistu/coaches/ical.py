"""iCalendar (RFC 5545) for meetings with coaches and for events, made with the
``icalendar`` library as ``osallistu.premises.ical`` makes them for bookings: the file
attached to e-mails, the file of each event, and each district's feed of events.

Times are in UTC, so no VTIMEZONE is needed; each item has a UID that stays the same
through its life and a SEQUENCE that grows with each change people must follow, so
calendars update or remove it. Texts are in the active language: render inside
``translation.override``.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import Calendar
from icalendar import Event as VEvent

from osallistu.core.site import DEVELOPMENT_URL, absolute_url

from .models import AppointmentState

PRODID = "-//Osallistu//City coaches//EN"

APPOINTMENT_STATUS = {
    AppointmentState.PENDING: "TENTATIVE",
    AppointmentState.CONFIRMED: "CONFIRMED",
    AppointmentState.HELD: "CONFIRMED",
    AppointmentState.NO_SHOW: "CONFIRMED",
    AppointmentState.CANCELLED: "CANCELLED",
    AppointmentState.EXPIRED: "CANCELLED",
}


def _utc(moment):
    return moment.astimezone(datetime.UTC)


def _host():
    # Not the request's host: a calendar knows an item by its UID, which must not change
    # with the address a feed happens to be fetched from.
    return urlsplit(settings.SITE_URL or DEVELOPMENT_URL).hostname or "osallistu.invalid"


def location_of(place):
    if place.is_online:
        return pgettext("meeting", "Online")
    return f"{place.name}, {place.address}"


def appointment_vevent(appointment, now, *, manage_url=""):
    place = appointment.place
    details = [
        _("Topic: %(topic)s") % {"topic": appointment.topic.name},
        _("Meeting number: %(number)s") % {"number": appointment.pk},
    ]
    if place.is_online and appointment.state == AppointmentState.CONFIRMED:
        details.append(_("Join the meeting: %(link)s") % {"link": place.online_link})
    if appointment.cancel_reason:
        details.append(_("Reason: %(reason)s") % {"reason": appointment.cancel_reason})
    if manage_url:
        details.append(_("Move or cancel: %(url)s") % {"url": manage_url})
    event = VEvent()
    event.add("uid", f"coach-appointment-{appointment.pk}@{_host()}")
    event.add("dtstamp", _utc(now))
    event.add("dtstart", _utc(appointment.begins_at))
    event.add("dtend", _utc(appointment.ends_at))
    event.add("sequence", appointment.sequence)
    event.add("status", APPOINTMENT_STATUS[appointment.state])
    event.add("summary", _("Meeting with %(coach)s") % {"coach": appointment.coach})
    event.add("location", location_of(place))
    event.add("description", "\n".join(details))
    event.add("transp", "OPAQUE")
    return event


def event_location(event):
    if event.space_booking_id:
        unit = event.space_booking.space.unit
        return f"{event.space_booking.space.name}, {unit.name}, {unit.street_address}"
    return location_of(event.place)


def event_vevent(event, now):
    url = absolute_url(reverse("coaches:event", args=[event.pk]))
    details = [event.description] if event.description else []
    if event.cancel_reason:
        details.append(_("Cancelled: %(reason)s") % {"reason": event.cancel_reason})
    details.append(url)
    vevent = VEvent()
    vevent.add("uid", f"coach-event-{event.pk}@{_host()}")
    vevent.add("dtstamp", _utc(now))
    vevent.add("dtstart", _utc(event.begins_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    vevent.add("summary", event.title)
    vevent.add("location", event_location(event))
    vevent.add("description", "\n\n".join(details))
    vevent.add("url", url)
    vevent.add("transp", "OPAQUE")
    return vevent


def calendar(components, *, name=None, method=None):
    """A VCALENDAR of ``components`` as text with CRLF line ends."""
    made = Calendar()
    made.add("prodid", PRODID)
    made.add("version", "2.0")
    made.add("calscale", "GREGORIAN")
    if method:
        made.add("method", method)
    if name:
        made.add("x-wr-calname", name)
    for component in components:
        made.add_component(component)
    return made.to_ical().decode("utf-8")


def appointment_ics(appointment, *, manage_url="", now=None):
    now = now or timezone.now()
    return calendar([appointment_vevent(appointment, now, manage_url=manage_url)], method="PUBLISH")


def event_ics(event, *, now=None):
    now = now or timezone.now()
    return calendar([event_vevent(event, now)], method="PUBLISH")


def district_feed(district, events, *, now=None):
    now = now or timezone.now()
    name = _("Events in %(district)s") % {"district": district.name}
    return calendar([event_vevent(event, now) for event in events], name=name)
