"""A coach's office hours and the exceptions of single dates.

A change never strands a booked meeting: after it, every meeting still to come must
begin at a slot of the new hours, or the change is refused and the coach is told to
move or cancel those meetings first (their people are e-mailed when they do).
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from .. import permissions
from ..models import (
    CITY_TZ,
    SLOT_MINUTES_MAX,
    SLOT_MINUTES_MIN,
    Appointment,
    CoachProfile,
    OfficeHours,
    OfficeHoursException,
)
from ..selectors.slots import all_slots, local_today
from .errors import check_length, refuse

REASON_LENGTH = 150


def _minutes(begins, ends):
    return (ends.hour * 60 + ends.minute) - (begins.hour * 60 + begins.minute)


def _check_allowed(staff, coach):
    if not permissions.may_keep_hours(staff, coach):
        refuse("not_allowed", _("You can keep only your own office hours."))
    profile = CoachProfile.objects.select_for_update().filter(user=coach).first()
    if profile is None:
        refuse("no_profile", _("This person has no coach page yet."))
    return profile


def _check_times(begins, ends, slot_minutes, place):
    if begins is None or ends is None or ends <= begins:
        refuse("invalid_times", _("Office hours must end after they begin."))
    if not SLOT_MINUTES_MIN <= slot_minutes <= SLOT_MINUTES_MAX:
        refuse("invalid_slot", _("A meeting lasts from 10 minutes to 4 hours."))
    if _minutes(begins, ends) < slot_minutes:
        refuse("shorter_than_slot", _("The office hours are shorter than one meeting."))
    if place is None:
        refuse("place_required", _("Please choose the place."))


def _check_appointments_fit(coach, first_day, last_day, now):
    """Refuse when a meeting still to come between the days no longer begins at a slot."""
    begins = datetime.datetime.combine(first_day, datetime.time(), tzinfo=CITY_TZ)
    ends = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time(), tzinfo=CITY_TZ
    )
    booked = list(
        Appointment.objects.holding(now)
        .filter(coach=coach, begins_at__gte=max(begins, now), begins_at__lt=ends)
        .order_by("begins_at")
    )
    if not booked:
        return
    slots = {slot.begins_at for slot in all_slots([coach.pk], first_day, last_day)[coach.pk]}
    stranded = [appointment for appointment in booked if appointment.begins_at not in slots]
    if stranded:
        refuse(
            "appointments_booked",
            _(
                "%(count)s booked meetings would fall outside the office hours, the first on "
                "%(first)s. Move or cancel them first."
            ),
            count=len(stranded),
            first=stranded[0].begins_at,
        )


def _last_booked_day(coach, now):
    last = (
        Appointment.objects.holding(now)
        .filter(coach=coach, begins_at__gte=now)
        .order_by("-begins_at")
        .values_list("begins_at", flat=True)
        .first()
    )
    return last.astimezone(CITY_TZ).date() if last else None


def add_office_hours(
    *,
    staff,
    coach,
    weekday,
    begins,
    ends,
    slot_minutes,
    place,
    valid_from,
    valid_until=None,
    now=None,
):
    """Weekly office hours of ``coach``; refused when they overlap other hours of the
    same weekday in the same period."""
    now = now or timezone.now()
    _check_times(begins, ends, slot_minutes, place)
    if weekday not in range(7):
        refuse("invalid_weekday", _("Please choose the weekday."))
    if valid_from < local_today(now):
        refuse("in_past", _("Office hours cannot begin in the past."))
    if valid_until is not None and valid_until < valid_from:
        refuse("invalid_dates", _("The last day must not be before the first."))
    with transaction.atomic():
        _check_allowed(staff, coach)
        overlapping = OfficeHours.objects.filter(
            coach=coach, weekday=weekday, begins__lt=ends, ends__gt=begins
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        if valid_until is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_until)
        if overlapping.exists():
            refuse("overlaps", _("These hours overlap other office hours on the same weekday."))
        hours = OfficeHours.objects.create(
            coach=coach,
            weekday=weekday,
            begins=begins,
            ends=ends,
            slot_minutes=slot_minutes,
            place=place,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        audit.record(action="coaches.hours_added", actor=staff, target=hours)
    return hours


def end_office_hours(*, staff, hours, last_day, now=None):
    """Stop weekly office hours after ``last_day`` (hours that had not begun by then are
    removed)."""
    now = now or timezone.now()
    today = local_today(now)
    if last_day < today - datetime.timedelta(days=1):
        refuse("in_past", _("The last day cannot be in the past."))
    with transaction.atomic():
        _check_allowed(staff, hours.coach)
        hours = OfficeHours.objects.select_for_update().get(pk=hours.pk)
        if hours.valid_until is not None and hours.valid_until <= last_day:
            refuse("already_ends", _("These office hours end by then already."))
        removed = hours.valid_from > last_day
        if removed:
            hours.delete()
        else:
            hours.valid_until = last_day
            hours.save(update_fields=["valid_until"])
        last_booked = _last_booked_day(hours.coach, now)
        if last_booked is not None:
            _check_appointments_fit(hours.coach, today, last_booked, now)
        audit.record(
            action="coaches.hours_ended",
            actor=staff,
            target=hours.coach,
            data={"weekday": hours.weekday, "last_day": last_day.isoformat(), "removed": removed},
        )
    return hours


def add_exception(
    *,
    staff,
    coach,
    date,
    begins=None,
    ends=None,
    slot_minutes=30,
    place=None,
    reasons=None,
    now=None,
):
    """Other office hours on ``date`` (``begins``–``ends`` at ``place``), or none at all
    when no times are given. ``reasons`` are the reason in fi, sv and en
    (``{"reason_fi": …}``), shown to residents."""
    now = now or timezone.now()
    reasons = {key: (value or "").strip() for key, value in (reasons or {}).items()}
    for value in reasons.values():
        check_length(
            value,
            REASON_LENGTH,
            "reason_too_long",
            _("A reason can be at most %(count)s characters."),
        )
    closed = begins is None and ends is None
    if not closed:
        _check_times(begins, ends, slot_minutes, place)
    if date < local_today(now):
        refuse("in_past", _("The date cannot be in the past."))
    with transaction.atomic():
        _check_allowed(staff, coach)
        same_day = OfficeHoursException.objects.filter(coach=coach, date=date)
        if closed and same_day.exists():
            refuse("day_has_exceptions", _("This date has other hours already. Remove them first."))
        if not closed and same_day.filter(begins__isnull=True).exists():
            refuse("day_closed", _("This date has no office hours. Remove that first."))
        if not closed and same_day.filter(begins__lt=ends, ends__gt=begins).exists():
            refuse("overlaps", _("These hours overlap other hours of the same date."))
        exception = OfficeHoursException.objects.create(
            coach=coach,
            date=date,
            begins=None if closed else begins,
            ends=None if closed else ends,
            slot_minutes=slot_minutes,
            place=None if closed else place,
            **{key: value for key, value in reasons.items() if key.startswith("reason_")},
        )
        _check_appointments_fit(coach, date, date, now)
        audit.record(
            action="coaches.exception_added",
            actor=staff,
            target=exception,
            data={"date": date.isoformat(), "closed": closed},
        )
    return exception


def remove_exception(*, staff, exception, now=None):
    """Remove an exception; the date has its weekly hours again (or the date's other
    exceptions)."""
    now = now or timezone.now()
    with transaction.atomic():
        _check_allowed(staff, exception.coach)
        date, coach = exception.date, exception.coach
        if date < local_today(now):
            refuse("in_past", _("Past dates stay as they were."))
        audit.record(
            action="coaches.exception_removed",
            actor=staff,
            target=exception,
            data={"date": date.isoformat()},
        )
        exception.delete()
        _check_appointments_fit(coach, date, date, now)
    return date
