"""Opportunities and their shifts, as an organiser's members make and change them,
and the organiser's messages to a shift."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from .. import notifications, tasks
from ..models import ACTIVE, HOLDING, Opportunity, Shift, ShiftMessage, SignUp
from .errors import refuse
from .organisers import require_member
from .signups import _cancel, _fill_places, _lock_shift

REMINDER_BEFORE = tasks.REMINDER_BEFORE


def save_opportunity(*, organiser, member, fields, themes=(), languages=(), opportunity=None):
    """Make a draft opportunity of ``organiser``, or change ``opportunity``. ``fields``
    are the model's fields by name (texts per language as ``title_fi``…)."""
    require_member(member, organiser)
    with transaction.atomic():
        if opportunity is None:
            opportunity = Opportunity(organiser=organiser, created_by=member)
        else:
            opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
            if opportunity.organiser_id != organiser.pk:
                refuse("not_allowed", _("You do not manage this organiser's opportunities."))
        for name, value in fields.items():
            setattr(opportunity, name, value.strip() if isinstance(value, str) else value)
        if not opportunity.under_18_allowed:
            opportunity.youth_min_age = None
        if opportunity.remote and not opportunity.place_text:
            opportunity.latitude = opportunity.longitude = None
        created = opportunity.pk is None
        opportunity.save()
        opportunity.themes.set(themes)
        opportunity.languages.set(languages)
        audit.record(
            action="volunteering.opportunity_created"
            if created
            else "volunteering.opportunity_changed",
            actor=member,
            target=opportunity,
        )
    return opportunity


def publish_opportunity(*, opportunity, member, now=None):
    now = now or timezone.now()
    require_member(member, opportunity.organiser)
    with transaction.atomic():
        opportunity = (
            Opportunity.objects.select_for_update()
            .select_related("organiser")
            .get(pk=opportunity.pk)
        )
        if not opportunity.organiser.is_verified:
            refuse(
                "organiser_not_verified",
                _(
                    "The organiser has not been verified yet. The opportunity can be "
                    "published once the city has verified the organiser."
                ),
            )
        opportunity.status = Opportunity.Status.PUBLISHED
        opportunity.published_at = opportunity.published_at or now
        opportunity.save(update_fields=["status", "published_at"])
        audit.record(action="volunteering.opportunity_published", actor=member, target=opportunity)
    return opportunity


def close_opportunity(*, opportunity, member):
    """Take an opportunity off the search. Its shifts and sign-ups stay as they are."""
    require_member(member, opportunity.organiser)
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        opportunity.status = Opportunity.Status.CLOSED
        opportunity.save(update_fields=["status"])
        audit.record(action="volunteering.opportunity_closed", actor=member, target=opportunity)
    return opportunity


def _check_times(starts_at, ends_at, now):
    if ends_at <= starts_at:
        refuse("invalid_times", _("The shift must end after it begins."))
    if starts_at <= now:
        refuse("in_past", _("The shift must begin in the future."))


def _queue_reminder(shift, now):
    remind_at = shift.starts_at - REMINDER_BEFORE
    if remind_at > now:
        tasks.remind_shift.using(run_after=remind_at).enqueue(
            shift=shift.pk, starts_at=shift.starts_at.isoformat()
        )


def add_shift(*, opportunity, member, starts_at, ends_at, capacity, place_text="", now=None):
    now = now or timezone.now()
    require_member(member, opportunity.organiser)
    _check_times(starts_at, ends_at, now)
    with transaction.atomic():
        shift = Shift.objects.create(
            opportunity=opportunity,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            place_text=place_text.strip(),
        )
        audit.record(
            action="volunteering.shift_added",
            actor=member,
            target=shift,
            data={"capacity": capacity},
        )
        _queue_reminder(shift, now)
    return shift


def update_shift(*, shift, member, starts_at, ends_at, capacity, place_text="", now=None):
    """Change a shift's time, place or places. Fewer places than are taken is refused;
    more move the waiting list up; a new time is e-mailed to everyone on it."""
    now = now or timezone.now()
    require_member(member, shift.opportunity.organiser)
    with transaction.atomic():
        shift = _lock_shift(shift)
        if shift.status != Shift.Status.OPEN:
            refuse("shift_cancelled", _("This shift has been cancelled."))
        moved = (starts_at, ends_at) != (shift.starts_at, shift.ends_at)
        if moved:
            _check_times(starts_at, ends_at, now)
        if capacity < shift.taken:
            refuse(
                "capacity_below_taken",
                _("%(taken)s places are already taken: the shift needs at least that many."),
                taken=shift.taken,
            )
        shift.starts_at, shift.ends_at = starts_at, ends_at
        shift.capacity = capacity
        shift.place_text = place_text.strip()
        shift.sequence += int(moved)
        shift.save(update_fields=["starts_at", "ends_at", "capacity", "place_text", "sequence"])
        audit.record(
            action="volunteering.shift_changed",
            actor=member,
            target=shift,
            data={"capacity": capacity, "moved": moved},
        )
        _fill_places(shift, now)
        if moved:
            SignUp.objects.filter(shift=shift, status__in=ACTIVE).update(reminded_at=None)
            _queue_reminder(shift, now)
            for signup in shift.signups.active().select_related("volunteer"):
                notifications.shift_changed(signup)
    return shift


def cancel_shift(*, shift, member, reason, now=None):
    """Cancel a shift: every sign-up is cancelled and told the reason."""
    now = now or timezone.now()
    require_member(member, shift.opportunity.organiser)
    if not reason.strip():
        refuse("reason_required", _("Give the reason; the volunteers are told it."))
    with transaction.atomic():
        shift = _lock_shift(shift)
        if shift.status != Shift.Status.OPEN:
            refuse("shift_cancelled", _("This shift has already been cancelled."))
        shift.status = Shift.Status.CANCELLED
        shift.cancel_reason = reason.strip()
        shift.sequence += 1
        shift.save(update_fields=["status", "cancel_reason", "sequence"])
        signups = list(shift.signups.active().select_for_update(of=("self",)))
        for signup in signups:
            _cancel(shift, signup, because=SignUp.CancelledBecause.SHIFT_CANCELLED, now=now)
            notifications.shift_cancelled(signup)
        audit.record(
            action="volunteering.shift_cancelled",
            actor=member,
            target=shift,
            data={"signups": len(signups)},
        )
    return shift


def message_shift(*, shift, member, subject, body, include_waiting=False, now=None):
    """E-mail everyone holding a place on ``shift`` (and the waiting list when asked)."""
    now = now or timezone.now()
    require_member(member, shift.opportunity.organiser)
    if not subject.strip() or not body.strip():
        refuse("message_empty", _("Write a subject and a message."))
    statuses = [*HOLDING, SignUp.Status.WAITING] if include_waiting else list(HOLDING)
    with transaction.atomic():
        signups = list(shift.signups.filter(status__in=statuses).select_related("volunteer"))
        message = ShiftMessage.objects.create(
            shift=shift,
            sender=member,
            subject=subject.strip(),
            body=body.strip(),
            include_waiting=include_waiting,
            recipients=len(signups),
            sent_at=now,
        )
        for signup in signups:
            notifications.organiser_message(signup, message)
        audit.record(
            action="volunteering.shift_messaged",
            actor=member,
            target=shift,
            data={"message": message.pk, "recipients": len(signups)},
        )
    return message
