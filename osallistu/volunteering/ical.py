"""iCalendar (RFC 5545) of a shift, made with the ``icalendar`` library as premises
does: one event, times in UTC, a UID that stays the same through the shift's life."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from osallistu.core.site import DEVELOPMENT_URL, absolute_url

PRODID = "-//Osallistu//Volunteering//EN"


def utc(moment):
    return moment.astimezone(datetime.UTC)


def shift_uid(shift):
    host = urlsplit(settings.SITE_URL or DEVELOPMENT_URL).hostname or "osallistu.invalid"
    return f"volunteering-shift-{shift.pk}@{host}"


def shift_event(shift, now, *, url=""):
    opportunity = shift.opportunity
    details = [
        _("Organiser: %(name)s") % {"name": opportunity.organiser.name},
        _("Contact person: %(name)s, %(email)s")
        % {"name": opportunity.contact_name, "email": opportunity.contact_email},
    ]
    if shift.status == shift.Status.CANCELLED:
        details.append(_("The shift has been cancelled."))
    if url:
        details.append(url)
    event = Event()
    event.add("uid", shift_uid(shift))
    event.add("dtstamp", utc(now))
    event.add("dtstart", utc(shift.starts_at))
    event.add("dtend", utc(shift.ends_at))
    event.add("sequence", shift.sequence)
    event.add("status", "CANCELLED" if shift.status == shift.Status.CANCELLED else "CONFIRMED")
    event.add("summary", opportunity.title)
    place = shift.place_text or opportunity.place_text
    if place:
        event.add("location", place)
    if opportunity.latitude is not None:
        event.add("geo", (float(opportunity.latitude), float(opportunity.longitude)))
    event.add("description", "\n".join(details))
    return event


def shift_ics(shift, *, now=None):
    """A VCALENDAR with the shift, as text with CRLF line ends."""
    now = now or timezone.now()
    made = Calendar()
    made.add("prodid", PRODID)
    made.add("version", "2.0")
    made.add("calscale", "GREGORIAN")
    made.add("method", "PUBLISH")
    url = absolute_url(reverse("volunteering:opportunity", args=[shift.opportunity.pk]))
    made.add_component(shift_event(shift, now, url=url))
    return made.to_ical().decode("utf-8")
