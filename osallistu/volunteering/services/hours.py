"""Attendance and hours, confirmed by the organiser after a shift has begun."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from ..models import MAX_HOURS, SignUp
from .errors import refuse
from .organisers import require_member
from .signups import _lock_shift

Attendance = SignUp.Attendance


def record_attendance(*, shift, member, entries, now=None):
    """Record who came and for how long. ``entries`` maps a sign-up to
    ``(attendance, hours)``: ``attended`` with hours above 0, ``absent`` without, or
    ``""`` (not recorded) to undo. Only confirmed sign-ups of the shift are counted:
    a place still waiting for a guardian's consent does not."""
    now = now or timezone.now()
    require_member(member, shift.opportunity.organiser)
    with transaction.atomic():
        shift = _lock_shift(shift)
        if shift.starts_at > now:
            refuse("not_yet", _("Attendance is recorded once the shift has begun."))
        changed = []
        for signup, (attendance, hours) in entries.items():
            signup = SignUp.objects.select_for_update().get(pk=signup.pk)
            if signup.shift_id != shift.pk:
                refuse("not_allowed", _("This sign-up is not for this shift."))
            if attendance and signup.status != SignUp.Status.CONFIRMED:
                refuse(
                    "not_confirmed",
                    _("%(name)s had no confirmed place on this shift."),
                    name=signup.name,
                )
            if attendance == Attendance.ATTENDED:
                if hours is None or not (Decimal(0) < hours <= MAX_HOURS):
                    refuse(
                        "invalid_hours",
                        _("Give the hours of %(name)s: more than 0 and at most %(max)s."),
                        name=signup.name,
                        max=MAX_HOURS,
                    )
            else:
                hours = None
            if (signup.attendance, signup.hours) == (attendance, hours):
                continue
            signup.attendance = attendance
            signup.hours = hours
            signup.attendance_by = member if attendance else None
            signup.attendance_at = now if attendance else None
            signup.save(update_fields=["attendance", "hours", "attendance_by", "attendance_at"])
            audit.record(
                action="volunteering.attendance_recorded",
                actor=member,
                target=signup,
                data={"attendance": attendance, "hours": str(hours) if hours else None},
            )
            changed.append(signup)
    return changed
