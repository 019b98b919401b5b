"""A person leaves coaches' records: when their account is deleted, and when their
records have outlived the retention period (``osallistu.coaches.personal_data``).

What the city counts stays: an appointment keeps its coach, district, time, topic and
outcome, a request its kind, district, topic, status and times, an event sign-up
counts as a participant. The person goes: their name, addresses, what they wrote, and
the conversation with the coach. Upcoming appointments and sign-ups are cancelled by
the same services the person would use, so the coach is told and the slot or place
freed.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from osallistu.core import audit

from ..models import (
    OPEN_STATES,
    OPEN_STATUSES,
    Appointment,
    ContactRequest,
    EventSignup,
    RequestHandover,
    RequestMessage,
    RequestNote,
    RequestStatus,
)
from . import appointments, events
from .errors import CoachesError


def open_requests(user):
    """The person's requests a coach is still handling: they stand in the way of
    deleting the account until they are answered or closed."""
    return (
        ContactRequest.objects.filter(asker=user, status__in=OPEN_STATUSES)
        .select_related("topic")
        .order_by("created_at")
    )


def anonymise_appointments(appointments_of):
    return appointments_of.update(
        person=None,
        name="",
        email="",
        phone="",
        details="",
        accessibility_needs="",
        cancel_reason="",
    )


def anonymise_signups(signups):
    return signups.update(person=None, accessibility_needs="")


def anonymise_requests(requests, now):
    """Keep the requests' kind, district, topic and times; the question, the phone
    number and the conversation go, and a request the asker can no longer follow is
    closed."""
    ids = list(requests.values_list("pk", flat=True))
    if not ids:
        return 0
    RequestMessage.objects.filter(request__in=ids).delete()
    RequestNote.objects.filter(request__in=ids).delete()
    kept = ContactRequest.objects.filter(pk__in=ids)
    kept.exclude(status=RequestStatus.CLOSED).update(
        status=RequestStatus.CLOSED, closed_at=now, updated_at=now
    )
    kept.update(asker=None, question="", phone="")
    # Handovers between coaches stay; what a coach wrote about the person goes.
    RequestHandover.objects.filter(request__in=ids).update(note="")
    return len(ids)


def remove_person(*, user, now=None):
    """Take ``user`` out of coaches' records as their account is deleted: upcoming
    appointments and event sign-ups are cancelled as they would cancel them, the rest
    kept without them. Returns ``(cancelled, kept)``. Requests still being handled must
    be closed first (``open_requests``)."""
    now = now or timezone.now()
    cancelled = 0
    with transaction.atomic():
        upcoming = Appointment.objects.filter(
            person=user, state__in=OPEN_STATES, begins_at__gt=now
        ).order_by("begins_at")
        for appointment in upcoming:
            try:
                appointments.cancel_appointment(appointment=appointment, user=user, now=now)
                cancelled += 1
            except CoachesError:
                # Cancelled or begun meanwhile: kept below like any past one.
                pass
        coming = EventSignup.objects.filter(
            person=user,
            cancelled_at__isnull=True,
            event__begins_at__gt=now,
            event__cancelled_at__isnull=True,
        ).select_related("event")
        for signup in coming:
            try:
                events.cancel_signup(signup=signup, person=user, now=now)
                cancelled += 1
            except CoachesError:
                pass
        kept = anonymise_appointments(Appointment.objects.filter(person=user))
        kept += anonymise_signups(EventSignup.objects.filter(person=user))
        kept += anonymise_requests(ContactRequest.objects.filter(asker=user), now)
        if cancelled or kept:
            audit.record(
                action="coaches.person_removed",
                data={"cancelled": cancelled, "kept_without_person": kept},
            )
    return cancelled, kept


def apply_retention(*, appointments_before=None, signups_before=None, requests_before=None):
    """Records past their retention period leave the person out as ``remove_person``
    does. Each argument is the moment before which that kind of record has expired
    (None: not this time). Returns how many records were anonymised; running it again
    finds nothing more."""
    now = timezone.now()
    done = 0
    with transaction.atomic():
        if appointments_before is not None:
            done += anonymise_appointments(
                Appointment.objects.filter(ends_at__lt=appointments_before).filter(
                    Q(person__isnull=False) | ~Q(email="")
                )
            )
        if signups_before is not None:
            done += anonymise_signups(
                EventSignup.objects.filter(event__ends_at__lt=signups_before, person__isnull=False)
            )
        if requests_before is not None:
            done += anonymise_requests(
                ContactRequest.objects.exclude(status__in=OPEN_STATUSES).filter(
                    updated_at__lt=requests_before, asker__isnull=False
                ),
                now,
            )
    return done
