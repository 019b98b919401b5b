"""E-mails of coaches, each in its reader's language: a person's meetings (with an
.ics file and the private link to move or cancel), answers to their requests, their
event sign-ups; and the coaches' notices of new requests, handovers and replies.
Called by the services inside their transaction: ``send_later`` queues the e-mail as
a job that exists only if the change is committed."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from osallistu.core.mail import send_later
from osallistu.core.site import absolute_url

from . import ical
from .models import CITY_TZ
from .selectors.public import coaches_of
from .tokens import appointment_token


def _url(name, *args):
    return absolute_url(reverse(name, args=args))


def when(begins_at, ends_at):
    begins = timezone.localtime(begins_at, CITY_TZ)
    ends = timezone.localtime(ends_at, CITY_TZ)
    day = f"{date_format(begins, 'l')} {date_format(begins, 'DATE_FORMAT')}"
    return f"{day} {begins:%H.%M}–{ends:%H.%M}"


def manage_url(appointment):
    return _url("coaches:appointment", appointment_token(appointment))


def _appointment_details(appointment):
    place = appointment.place
    lines = [
        _("Coach: %(coach)s") % {"coach": appointment.coach},
        _("Time: %(when)s") % {"when": when(appointment.begins_at, appointment.ends_at)},
        _("Place: %(place)s") % {"place": ical.location_of(place)},
        _("Topic: %(topic)s") % {"topic": appointment.topic.name},
        _("Meeting number: %(number)s") % {"number": appointment.pk},
    ]
    if place.accessibility_notes:
        lines.append(_("Accessibility: %(notes)s") % {"notes": place.accessibility_notes})
    return "\n".join(lines)


def _send_to_person(appointment, subject, intro, *, with_ics=True, link=True):
    url = manage_url(appointment)
    body = f"{intro}\n\n{_appointment_details(appointment)}\n"
    if link:
        body += "\n" + _("Move or cancel the meeting: %(url)s") % {"url": url} + "\n"
    attachments = (
        [("meeting.ics", ical.appointment_ics(appointment, manage_url=url), "text/calendar")]
        if with_ics
        else []
    )
    send_later(to=[appointment.email], subject=subject, body=body, attachments=attachments)


def _coach_language(user):
    return translation.override(user.preferred_language or settings.LANGUAGE_CODE)


def _notify_coach(appointment, subject, intro):
    coach = appointment.coach
    if not coach.email:
        return
    with _coach_language(coach):
        body = (
            f"{intro % {'name': appointment.name}}\n\n{_appointment_details(appointment)}\n\n"
            + _("Your desk: %(url)s") % {"url": _url("coaches:desk_appointment", appointment.pk)}
            + "\n"
        )
        send_later(to=[coach.email], subject=subject % {"name": appointment.name}, body=body)


def confirm_email(appointment):
    """Booked without an account: the link that confirms the e-mail address."""
    with translation.override(appointment.email_language):
        held = timezone.localtime(appointment.hold_until, CITY_TZ)
        intro = _(
            "Please confirm your meeting by opening this link by %(time)s. Until then the "
            "time is kept for you; if you do not confirm it, it is freed for others."
        ) % {"time": f"{held:%H.%M}"}
        send_later(
            to=[appointment.email],
            subject=_("Confirm your meeting with %(coach)s") % {"coach": appointment.coach},
            body=f"{intro}\n\n{_url('coaches:appointment_confirm', appointment_token(appointment))}"
            f"\n\n{_appointment_details(appointment)}\n",
        )


def appointment_confirmed(appointment):
    with translation.override(appointment.email_language):
        _send_to_person(
            appointment,
            _("Meeting booked: %(coach)s, %(when)s")
            % {
                "coach": appointment.coach,
                "when": when(appointment.begins_at, appointment.ends_at),
            },
            _("Your meeting is booked. The calendar file is attached."),
        )
    _notify_coach(
        appointment,
        _("New meeting booked by %(name)s"),
        _("%(name)s has booked a meeting with you."),
    )


def appointment_moved(appointment, *, was):
    with translation.override(appointment.email_language):
        intro = _(
            "Your meeting has been moved from %(was)s. The new calendar file is attached."
        ) % {"was": when(was, was + (appointment.ends_at - appointment.begins_at))}
        _send_to_person(
            appointment,
            _("Meeting moved: %(coach)s, %(when)s")
            % {
                "coach": appointment.coach,
                "when": when(appointment.begins_at, appointment.ends_at),
            },
            intro,
        )
    _notify_coach(
        appointment, _("Meeting moved by %(name)s"), _("%(name)s has moved their meeting.")
    )


def appointment_cancelled(appointment, *, by_coach):
    with translation.override(appointment.email_language):
        if by_coach:
            intro = (
                _("The coach has cancelled your meeting.")
                + "\n"
                + _("Reason: %(reason)s") % {"reason": appointment.cancel_reason}
            )
        else:
            intro = _("Your meeting has been cancelled.")
        _send_to_person(
            appointment,
            _("Meeting cancelled: %(coach)s, %(when)s")
            % {
                "coach": appointment.coach,
                "when": when(appointment.begins_at, appointment.ends_at),
            },
            intro,
            link=False,
        )
    if not by_coach:
        _notify_coach(
            appointment,
            _("Meeting cancelled by %(name)s"),
            _("%(name)s has cancelled their meeting."),
        )


def appointment_reminder(appointment):
    with translation.override(appointment.email_language):
        _send_to_person(
            appointment,
            _("Reminder: meeting with %(coach)s tomorrow") % {"coach": appointment.coach},
            _(
                "A reminder of your meeting tomorrow. If you cannot come, please cancel it so "
                "that someone else can have the time."
            ),
        )


# ---------------------------------------------------------------------------- requests


def _request_recipients(request):
    """The coach a request is assigned to, or every coach of its kind and district."""
    if request.assigned_to is not None:
        return [request.assigned_to]
    return [profile.user for profile in coaches_of(request.district, request.kind)]


def _to_coaches(users, subject, body_of):
    for user in users:
        if not user.email:
            continue
        with _coach_language(user):
            send_later(to=[user.email], subject=subject(), body=body_of())


def request_received(request):
    def body():
        return (
            _("A new contact request of %(district)s: %(topic)s")
            % {"district": request.district.name, "topic": request.topic.name}
            + "\n\n"
            + _("Open it at your desk: %(url)s") % {"url": _url("coaches:desk_request", request.pk)}
            + "\n"
        )

    _to_coaches(
        _request_recipients(request),
        lambda: _("New contact request: %(topic)s") % {"topic": request.topic.name},
        body,
    )


def request_replied(request, message):
    _to_coaches(
        _request_recipients(request),
        lambda: _("The asker has replied: request %(number)s") % {"number": request.pk},
        lambda: (
            _("Open it at your desk: %(url)s") % {"url": _url("coaches:desk_request", request.pk)}
            + "\n"
        ),
    )


def request_handed_over(request, handover):
    def body():
        text = _("%(coach)s has handed you a contact request of %(district)s.") % {
            "coach": handover.from_coach,
            "district": request.district.name,
        }
        if handover.note:
            text += "\n\n" + handover.note
        return (
            text
            + "\n\n"
            + _("Open it at your desk: %(url)s") % {"url": _url("coaches:desk_request", request.pk)}
            + "\n"
        )

    _to_coaches(
        [handover.to_coach],
        lambda: _("A contact request handed to you: %(topic)s") % {"topic": request.topic.name},
        body,
    )


def request_answered(request, message):
    asker = request.asker
    if asker is None or not asker.email:
        return
    with translation.override(request.language or asker.preferred_language):
        body = (
            _("%(coach)s has answered your question:") % {"coach": message.author}
            + f"\n\n{message.body}\n\n"
            + _("Read and reply under My requests: %(url)s")
            % {"url": _url("coaches:my_request", request.pk)}
            + "\n"
        )
        send_later(
            to=[asker.email],
            subject=_("Answer to your question: %(topic)s") % {"topic": request.topic.name},
            body=body,
        )


# ---------------------------------------------------------------------------- events


def _event_details(event):
    lines = [
        event.title,
        _("Time: %(when)s") % {"when": when(event.begins_at, event.ends_at)},
        _("Place: %(place)s") % {"place": ical.event_location(event)},
        _url("coaches:event", event.pk),
    ]
    return "\n".join(lines)


def signed_up(signup):
    person = signup.person
    if not person.email:
        return
    event = signup.event
    with translation.override(person.preferred_language):
        send_later(
            to=[person.email],
            subject=_("You have signed up: %(event)s") % {"event": event.title},
            body=_("You have signed up for this event. The calendar file is attached.")
            + f"\n\n{_event_details(event)}\n",
            attachments=[("event.ics", ical.event_ics(event), "text/calendar")],
        )


def _to_signed_up(event, subject, intro):
    for signup in event.signups.filter(cancelled_at__isnull=True).select_related("person"):
        person = signup.person
        # A past sign-up of someone removed still counts, but reaches nobody.
        if person is None or not person.email:
            continue
        with translation.override(person.preferred_language):
            send_later(
                to=[person.email],
                subject=subject() % {"event": event.title},
                body=f"{intro()}\n\n{_event_details(event)}\n",
                attachments=[("event.ics", ical.event_ics(event), "text/calendar")],
            )


def event_changed(event):
    _to_signed_up(
        event,
        lambda: _("Event changed: %(event)s"),
        lambda: _(
            "The time or place of an event you have signed up for has changed. The new "
            "calendar file is attached."
        ),
    )


def event_cancelled(event):
    _to_signed_up(
        event,
        lambda: _("Event cancelled: %(event)s"),
        lambda: (
            _("An event you have signed up for has been cancelled.")
            + "\n"
            + _("Reason: %(reason)s") % {"reason": event.cancel_reason}
        ),
    )
