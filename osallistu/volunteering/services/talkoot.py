"""Residents' own talkoot: proposing one under the park clean-up service's rules, and
staff approving or refusing it.

The rules are settings (config/settings.py): proposed at least
``VOLUNTEERING_TALKOOT_MIN_DAYS_AHEAD`` and at most ``…_MAX_DAYS_AHEAD`` days ahead,
at most ``…_MAX_DAYS`` days long, and at most ``…_PER_DISTRICT_PER_DAY`` events (waiting
or approved) in one district on one day. The last rule spans rows, so proposals and
approvals of one district queue on the district's row before they count.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area
from osallistu.core import audit

from .. import notifications
from ..models import Talkoot
from ..permissions import may_decide_talkoot
from ..selectors import CITY_TZ
from .errors import refuse

COUNTED = (Talkoot.Status.WAITING, Talkoot.Status.APPROVED)


def rules():
    return {
        "min_days_ahead": settings.VOLUNTEERING_TALKOOT_MIN_DAYS_AHEAD,
        "max_days_ahead": settings.VOLUNTEERING_TALKOOT_MAX_DAYS_AHEAD,
        "max_days": settings.VOLUNTEERING_TALKOOT_MAX_DAYS,
        "per_district_per_day": settings.VOLUNTEERING_TALKOOT_PER_DISTRICT_PER_DAY,
    }


def check_dates(starts_on, ends_on, *, today):
    rule = rules()
    if ends_on < starts_on:
        refuse("invalid_dates", _("The last day cannot be before the first."))
    first = today + timedelta(days=rule["min_days_ahead"])
    last = today + timedelta(days=rule["max_days_ahead"])
    if starts_on < first:
        refuse(
            "too_soon",
            _(
                "Talkoot are proposed at least %(days)s days ahead, so that they can be "
                "approved and the equipment delivered: the first possible day is %(first)s."
            ),
            days=rule["min_days_ahead"],
            first=first,
        )
    if starts_on > last:
        refuse(
            "too_far",
            _("Talkoot are proposed at most %(days)s days ahead, so until %(last)s."),
            days=rule["max_days_ahead"],
            last=last,
        )
    if (ends_on - starts_on).days + 1 > rule["max_days"]:
        refuse(
            "too_long",
            _("A talkoot lasts at most %(days)s days."),
            days=rule["max_days"],
        )


def check_room(district, starts_on, ends_on, *, exclude=None):
    """Refuse a day of the district that already has the most events allowed."""
    limit = rules()["per_district_per_day"]
    others = Talkoot.objects.filter(
        district=district, status__in=COUNTED, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).values_list("starts_on", "ends_on")
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    others = list(others)
    day = starts_on
    while day <= ends_on:
        if sum(1 for first, last in others if first <= day <= last) >= limit:
            refuse(
                "district_day_full",
                _(
                    "%(district)s already has %(count)s talkoot on %(day)s, the most there "
                    "can be on one day. Please choose other days."
                ),
                district=district.name,
                count=limit,
                day=day,
            )
        day += timedelta(days=1)


def _lock_district(district):
    return Area.objects.select_for_update().get(pk=district.pk)


def propose_talkoot(
    *,
    proposer,
    title,
    description,
    district,
    place_text,
    starts_on,
    ends_on,
    expected_participants,
    latitude=None,
    longitude=None,
    equipment=(),
    equipment_notes="",
    now=None,
):
    """A resident proposes a talkoot; it waits for staff. Refusals: ``not_signed_in``,
    ``invalid_dates``, ``too_soon``, ``too_far``, ``too_long``, ``invalid_participants``,
    ``district_day_full``."""
    now = now or timezone.now()
    if proposer is None or not proposer.is_authenticated:
        refuse("not_signed_in", _("Please log in first."))
    today = timezone.localtime(now, CITY_TZ).date()
    check_dates(starts_on, ends_on, today=today)
    if expected_participants < 1:
        refuse("invalid_participants", _("Tell us how many people are expected (at least one)."))
    with transaction.atomic():
        district = _lock_district(district)
        check_room(district, starts_on, ends_on)
        talkoot = Talkoot.objects.create(
            proposer=proposer,
            title=title.strip(),
            description=description.strip(),
            district=district,
            place_text=place_text.strip(),
            latitude=latitude,
            longitude=longitude,
            starts_on=starts_on,
            ends_on=ends_on,
            expected_participants=expected_participants,
            equipment=sorted(set(equipment)),
            equipment_notes=equipment_notes.strip(),
            created_at=now,
        )
        audit.record(action="volunteering.talkoot_proposed", actor=proposer, target=talkoot)
        notifications.talkoot_received(talkoot)
    return talkoot


def _decided(talkoot, staff, status, reason, now):
    if not may_decide_talkoot(staff, talkoot.district):
        refuse("not_allowed", _("You do not decide on the talkoot of this district."))
    with transaction.atomic():
        district = _lock_district(talkoot.district)
        talkoot = Talkoot.objects.select_for_update().get(pk=talkoot.pk)
        if talkoot.status != Talkoot.Status.WAITING:
            refuse("already_decided", _("This talkoot has already been decided on."))
        if status == Talkoot.Status.APPROVED:
            if talkoot.ends_on < timezone.localtime(now, CITY_TZ).date():
                refuse("in_past", _("This talkoot's days have already passed."))
            check_room(district, talkoot.starts_on, talkoot.ends_on, exclude=talkoot)
        talkoot.status = status
        talkoot.decision_reason = reason
        talkoot.decided_by = staff
        talkoot.decided_at = now
        talkoot.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        audit.record(
            action=f"volunteering.talkoot_{status}",
            actor=staff,
            target=talkoot,
            data={"reason": reason} if reason else None,
        )
        notifications.talkoot_decided(talkoot)
    return talkoot


def approve_talkoot(*, talkoot, staff, note="", now=None):
    return _decided(talkoot, staff, Talkoot.Status.APPROVED, note.strip(), now or timezone.now())


def refuse_talkoot(*, talkoot, staff, reason, now=None):
    if not reason.strip():
        refuse("reason_required", _("Give the reason; the proposer is told it."))
    return _decided(talkoot, staff, Talkoot.Status.REFUSED, reason.strip(), now or timezone.now())


def cancel_talkoot(*, talkoot, user, now=None):
    """The proposer cancels their talkoot before its first day."""
    now = now or timezone.now()
    with transaction.atomic():
        talkoot = Talkoot.objects.select_for_update().get(pk=talkoot.pk)
        if talkoot.proposer_id != getattr(user, "pk", None):
            refuse("not_allowed", _("This is not your talkoot."))
        if talkoot.status not in COUNTED:
            refuse("not_active", _("This talkoot is not waiting or approved."))
        if talkoot.starts_on <= timezone.localtime(now, CITY_TZ).date():
            refuse("started", _("This talkoot has already begun."))
        talkoot.status = Talkoot.Status.CANCELLED
        talkoot.save(update_fields=["status"])
        audit.record(action="volunteering.talkoot_cancelled", actor=user, target=talkoot)
    return talkoot
