"""Booking a meeting with a coach, confirming the e-mail address, moving, cancelling,
recording how it went, and the reminder the day before.

No double booking: a booking locks the coach's profile row (PostgreSQL) before it
checks the slot and inserts, so that attempts at one coach's slots queue and each sees
the others' committed rows; the constraints ``coaches_appointment_one_per_slot`` and
(PostgreSQL) ``coaches_appointment_no_overlap`` are the last word should anything get
past the check. On SQLite every transaction is IMMEDIATE (config/settings.py), so the
check and the insert run under the database's write lock.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from .. import notifications, permissions, tasks
from ..models import (
    CITY_TZ,
    OPEN_STATES,
    Appointment,
    AppointmentState,
    CoachKind,
    CoachProfile,
)
from ..selectors.slots import bookable_window, local_datetime, slot_of
from .companies import company_for
from .errors import CoachesError, check_length, refuse

# How long a slot is kept for someone who booked without an account and has not yet
# confirmed their e-mail address.
HOLD_MINUTES = 30
# Upcoming meetings one e-mail address may hold with coaches at once.
MAX_OPEN_APPOINTMENTS = 3
DETAILS_LENGTH = 2000
ACCESSIBILITY_LENGTH = 1000
NAME_LENGTH = 150
PHONE_LENGTH = 30
REMINDER_TIME = datetime.time(9, 0)


def _locked_profile(coach):
    return CoachProfile.objects.select_for_update().select_related("user").get(user=coach)


def covers(profile, district):
    """Does ``profile``'s coach take meetings for ``district``?"""
    return district.kind == district.Kind.DISTRICT and profile.user.has_role(
        permissions.ROLE_OF_KIND[profile.kind], district
    )


def _check_texts(*, name, details, accessibility_needs, phone):
    if not name.strip():
        refuse("name_required", _("Please tell us your name."))
    check_length(
        name, NAME_LENGTH, "name_too_long", _("A name can be at most %(count)s characters.")
    )
    check_length(
        details,
        DETAILS_LENGTH,
        "details_too_long",
        _("Please tell what you would like to talk about in at most %(count)s characters."),
    )
    check_length(
        accessibility_needs,
        ACCESSIBILITY_LENGTH,
        "accessibility_too_long",
        _("Please describe your accessibility needs in at most %(count)s characters."),
    )
    check_length(
        phone,
        PHONE_LENGTH,
        "phone_too_long",
        _("A phone number can be at most %(count)s characters."),
    )


def _check_choices(profile, topic, meeting_language):
    if topic is None or not topic.is_active or topic.audience != profile.kind:
        refuse("topic_not_offered", _("Please choose one of the topics listed."))
    if meeting_language not in profile.languages:
        refuse(
            "language_not_spoken",
            _("%(coach)s meets people in these languages: %(languages)s."),
            coach=profile.name,
            languages=profile.language_names,
        )


def _check_slot(profile, begins_at, now, *, moving=None):
    """The slot of ``profile`` at ``begins_at`` if it can be booked now, or refuse."""
    if begins_at < now:
        refuse("in_past", _("This time has already passed. Please choose a later time."))
    earliest, _first, last_day = bookable_window(profile, now)
    if begins_at < earliest:
        refuse(
            "too_soon",
            _("Meetings with %(coach)s can be booked until %(hours)s hours before they begin."),
            coach=profile.name,
            hours=profile.notice_hours,
        )
    if begins_at >= local_datetime(last_day + datetime.timedelta(days=1), datetime.time()):
        refuse(
            "too_far_ahead",
            _("Meetings can be booked until %(last_day)s. Please choose an earlier time."),
            last_day=last_day,
        )
    slot = slot_of(profile, begins_at)
    if slot is None:
        refuse(
            "not_a_slot",
            _("%(coach)s has no office hours at this time. Please choose one of the times listed."),
            coach=profile.name,
        )
    _release_expired_holds(profile.user, slot.begins_at, slot.ends_at, now)
    clashing = (
        Appointment.objects.holding(now)
        .filter(coach=profile.user)
        .meeting(slot.begins_at, slot.ends_at)
    )
    if moving is not None:
        clashing = clashing.exclude(pk=moving.pk)
    if clashing.exists():
        refuse(
            "already_booked", _("Someone has already booked this time. Please choose another time.")
        )
    return slot


def _release_expired_holds(coach, begins, ends, now):
    """Pending bookings whose hold has run out give their slot back."""
    Appointment.objects.filter(
        coach=coach, state=AppointmentState.PENDING, hold_until__lte=now
    ).meeting(begins, ends).update(state=AppointmentState.EXPIRED)


def _check_person(email, slot, now, *, moving=None):
    own = (
        Appointment.objects.holding(now)
        .filter(email__iexact=email)
        .meeting(slot.begins_at, slot.ends_at)
    )
    if moving is not None:
        own = own.exclude(pk=moving.pk)
    if own.exists():
        refuse("overlaps_own", _("You already have a meeting at this time."))
    if moving is None:
        upcoming = Appointment.objects.filter(
            email__iexact=email, state__in=OPEN_STATES, begins_at__gt=now
        ).filter(Q(state=AppointmentState.CONFIRMED) | Q(hold_until__gt=now))
        if upcoming.count() >= MAX_OPEN_APPOINTMENTS:
            refuse(
                "too_many",
                _(
                    "You already have %(count)s upcoming meetings with coaches, the most one "
                    "person may have. You can book again after one of them."
                ),
                count=MAX_OPEN_APPOINTMENTS,
            )


def _save(appointment, **kwargs):
    """Save; the unique constraint's refusal becomes "already booked"."""
    try:
        with transaction.atomic():
            appointment.save(**kwargs)
    except IntegrityError as error:
        # PostgreSQL names the constraint, SQLite its columns.
        text = str(error)
        if any(
            name in text
            for name in (
                "coaches_appointment_one_per_slot",
                "coaches_appointment_no_overlap",
                "coaches_appointment.coach_id",
            )
        ):
            refuse(
                "already_booked",
                _("Someone has already booked this time. Please choose another time."),
            )
        raise
    return appointment


def reminder_time(appointment):
    """09.00 Helsinki time on the day before the meeting."""
    day = appointment.begins_at.astimezone(CITY_TZ).date() - datetime.timedelta(days=1)
    return local_datetime(day, REMINDER_TIME)


def _schedule_reminder(appointment, now):
    when = reminder_time(appointment)
    if when > now:
        tasks.send_reminder.using(run_after=when).enqueue(
            appointment=appointment.pk, begins_at=appointment.begins_at.isoformat()
        )


def book_appointment(
    *,
    coach,
    district,
    begins_at,
    topic,
    meeting_language,
    person=None,
    name="",
    email="",
    phone="",
    email_language="fi",
    details="",
    accessibility_needs="",
    company_details=None,
    now=None,
):
    """Book the slot of ``coach`` that begins at ``begins_at`` for a meeting about
    ``district``'s matters.

    A signed-in ``person`` with an e-mail address is confirmed at once; otherwise the
    slot is held for ``HOLD_MINUTES`` and a link to confirm it goes to ``email``. A
    meeting with a business coach is for a company: ``company_details`` are the
    arguments of ``companies.company_for``. Refused
    with a ``CoachesError`` code: ``not_offered``, ``name_required``, ``*_too_long``,
    ``topic_not_offered``, ``language_not_spoken``, ``in_past``, ``too_soon``,
    ``too_far_ahead``, ``not_a_slot``, ``already_booked``, ``overlaps_own``, ``too_many``.
    """
    now = now or timezone.now()
    signed_in = person is not None and person.is_authenticated and bool(person.email)
    if signed_in:
        email = person.email
        name = name.strip() or str(person)
        email_language = person.preferred_language
    name, details, accessibility_needs, phone = (
        name.strip(),
        details.strip(),
        accessibility_needs.strip(),
        phone.strip(),
    )
    email = (email or "").strip().lower()
    if not email:
        refuse("email_required", _("Please give your e-mail address."))
    _check_texts(name=name, details=details, accessibility_needs=accessibility_needs, phone=phone)
    with transaction.atomic():
        profile = _locked_profile(coach)
        if not profile.is_published or not covers(profile, district):
            refuse("not_offered", _("This coach does not take bookings for this district."))
        _check_choices(profile, topic, meeting_language)
        company = None
        if profile.kind == CoachKind.BUSINESS:
            if not company_details:
                refuse("company_required", _("Please tell us about your company."))
            company = company_for(**company_details)
        slot = _check_slot(profile, begins_at, now)
        _check_person(email, slot, now)
        appointment = Appointment(
            coach=profile.user,
            coach_kind=profile.kind,
            district=district,
            begins_at=slot.begins_at,
            ends_at=slot.ends_at,
            place=slot.place,
            person=person if signed_in else None,
            name=name,
            email=email,
            phone=phone,
            email_language=email_language,
            meeting_language=meeting_language,
            topic=topic,
            details=details,
            accessibility_needs=accessibility_needs,
            company=company,
            state=AppointmentState.CONFIRMED if signed_in else AppointmentState.PENDING,
            confirmed_at=now if signed_in else None,
            hold_until=None if signed_in else now + datetime.timedelta(minutes=HOLD_MINUTES),
        )
        _save(appointment)
        audit.record(
            action="coaches.appointment_booked",
            actor=person if signed_in else None,
            target=appointment,
            data={"state": appointment.state, "begins_at": appointment.begins_at.isoformat()},
        )
        if signed_in:
            notifications.appointment_confirmed(appointment)
            _schedule_reminder(appointment, now)
        else:
            notifications.confirm_email(appointment)
            tasks.expire_hold.using(run_after=appointment.hold_until).enqueue(
                appointment=appointment.pk
            )
    return appointment


def _locked(appointment):
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("coach", "place", "topic", "district")
        .get(pk=appointment.pk)
    )


def confirm_appointment(*, appointment, now=None):
    """Confirm a booking made without an account, from the link sent to its e-mail
    address. Idempotent. After the hold has run out it is still confirmed when the slot
    is free (``hold_expired`` when it is not)."""
    now = now or timezone.now()
    with transaction.atomic():
        profile = _locked_profile(appointment.coach)
        appointment = _locked(appointment)
        if appointment.state == AppointmentState.CONFIRMED:
            return appointment
        if appointment.state not in (AppointmentState.PENDING, AppointmentState.EXPIRED):
            refuse("not_pending", _("This booking can no longer be confirmed."))
        if appointment.state == AppointmentState.EXPIRED or appointment.hold_until <= now:
            try:
                _check_slot(profile, appointment.begins_at, now, moving=appointment)
            except CoachesError as error:
                refuse(
                    "hold_expired",
                    _(
                        "The time was kept for you for %(minutes)s minutes and can no longer "
                        "be confirmed: %(reason)s"
                    ),
                    minutes=HOLD_MINUTES,
                    reason=error.message,
                )
        appointment.state = AppointmentState.CONFIRMED
        appointment.confirmed_at = now
        appointment.hold_until = None
        _save(appointment, update_fields=["state", "confirmed_at", "hold_until"])
        audit.record(action="coaches.appointment_confirmed", target=appointment)
        notifications.appointment_confirmed(appointment)
        _schedule_reminder(appointment, now)
    return appointment


def _acting_as_coach(appointment, user):
    """Is ``user`` acting as staff on ``appointment`` (True), or as the person who booked
    it (False)? ``user`` is None when the private link from the e-mail is used."""
    if user is None or appointment.person_id == user.pk:
        return False
    if permissions.may_handle_appointment(user, appointment):
        return True
    refuse("not_allowed", _("You can change only your own meetings."))


def cancel_appointment(*, appointment, user=None, reason="", now=None):
    """Cancel a meeting: the person who booked it (with the link, or signed in) until it
    begins, the coach with a reason the person reads."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    check_length(
        reason,
        1000,
        "reason_too_long",
        _("Please write the reason in at most %(count)s characters."),
    )
    with transaction.atomic():
        appointment = _locked(appointment)
        as_coach = _acting_as_coach(appointment, user)
        if as_coach and not reason:
            refuse("reason_required", _("Please write the reason for the person."))
        if appointment.state not in OPEN_STATES:
            refuse("not_open", _("This meeting has already been cancelled or held."))
        if appointment.begins_at <= now:
            refuse("already_begun", _("This meeting has already begun."))
        appointment.state = AppointmentState.CANCELLED
        appointment.cancelled_at = now
        appointment.cancelled_by = user if user is not None and user.is_authenticated else None
        appointment.cancel_reason = reason
        appointment.sequence += 1
        appointment.save(
            update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason", "sequence"]
        )
        audit.record(
            action="coaches.appointment_cancelled",
            actor=user,
            target=appointment,
            on_behalf_of=appointment.person if as_coach else None,
            data={"by_coach": as_coach, "reason": reason},
        )
        notifications.appointment_cancelled(appointment, by_coach=as_coach)
    return appointment


def move_appointment(*, appointment, begins_at, user=None, now=None):
    """Move a confirmed meeting to another free slot of the same coach, until the
    coach's notice period before it begins."""
    now = now or timezone.now()
    with transaction.atomic():
        profile = _locked_profile(appointment.coach)
        appointment = _locked(appointment)
        as_coach = _acting_as_coach(appointment, user)
        if appointment.state != AppointmentState.CONFIRMED:
            refuse("not_confirmed", _("Only a confirmed meeting can be moved."))
        if appointment.begins_at < now + datetime.timedelta(hours=profile.notice_hours):
            refuse(
                "too_late_to_move",
                _(
                    "This meeting begins too soon to be moved. Please cancel it or contact "
                    "the coach."
                ),
            )
        if begins_at == appointment.begins_at:
            refuse("same_time", _("The meeting is already at this time."))
        slot = _check_slot(profile, begins_at, now, moving=appointment)
        _check_person(appointment.email, slot, now, moving=appointment)
        was = appointment.begins_at
        appointment.begins_at = slot.begins_at
        appointment.ends_at = slot.ends_at
        appointment.place = slot.place
        appointment.sequence += 1
        appointment.reminded_at = None
        _save(
            appointment,
            update_fields=["begins_at", "ends_at", "place", "sequence", "reminded_at"],
        )
        audit.record(
            action="coaches.appointment_moved",
            actor=user,
            target=appointment,
            on_behalf_of=appointment.person if as_coach else None,
            data={"from": was.isoformat(), "to": appointment.begins_at.isoformat()},
        )
        notifications.appointment_moved(appointment, was=was)
        _schedule_reminder(appointment, now)
    return appointment


def record_outcome(*, appointment, staff, held, now=None):
    """Record whether a meeting that has begun was held or the person did not come."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = _locked(appointment)
        if not permissions.may_handle_appointment(staff, appointment):
            refuse("not_allowed", _("This meeting is not one of yours."))
        if appointment.begins_at > now:
            refuse("not_begun", _("The meeting has not begun yet."))
        if appointment.state not in (
            AppointmentState.CONFIRMED,
            AppointmentState.HELD,
            AppointmentState.NO_SHOW,
        ):
            refuse("not_confirmed", _("Only a confirmed meeting can be marked held."))
        appointment.state = AppointmentState.HELD if held else AppointmentState.NO_SHOW
        appointment.save(update_fields=["state"])
        audit.record(
            action="coaches.appointment_outcome",
            actor=staff,
            target=appointment,
            data={"state": appointment.state},
        )
    return appointment


def send_reminder(*, appointment_id, begins_at, now=None):
    """Send the reminder of a confirmed meeting once, if it still begins at
    ``begins_at`` (a moved meeting has its own reminder). Returns whether it was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("coach", "place", "topic", "district")
            .filter(pk=appointment_id)
            .first()
        )
        if (
            appointment is None
            or appointment.state != AppointmentState.CONFIRMED
            or appointment.begins_at != begins_at
            or appointment.reminded_at is not None
            or appointment.begins_at <= now
        ):
            return False
        appointment.reminded_at = now
        appointment.save(update_fields=["reminded_at"])
        notifications.appointment_reminder(appointment)
    return True


def expire_hold(*, appointment_id, now=None):
    """Give back the slot of a booking whose e-mail was not confirmed in time."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment_id, state=AppointmentState.PENDING, hold_until__lte=now
        ).update(state=AppointmentState.EXPIRED)
    return bool(updated)
