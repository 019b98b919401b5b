"""Writes of premises: booking, handling, cancelling, recurring series, blocked time
and calendar feeds.

Every function does one action in one transaction, writes an audit entry and raises
``BookingError`` with a ``code`` and a message the person can read, in the language
active when it is shown.

No double booking: a booking locks its booker's row and its space's row (PostgreSQL)
before it checks for overlaps and inserts, so that attempts at the same space queue
and each sees the others' committed rows; the exclusion constraint
``booking_no_overlap`` is the last word should anything get past the check. On SQLite
every transaction is IMMEDIATE (config/settings.py), so the check and the insert run
under the database's single write lock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from osallistu.areas.selectors import demographics_of
from osallistu.core import audit
from osallistu.core.errors import DomainError

from . import notifications, selectors
from .models import (
    ACTIVE_STATES,
    AuthenticationLevel,
    BlockedTime,
    Booking,
    BookingSeries,
    BookingState,
    CalendarFeed,
    Confirmation,
    Space,
    new_feed_token,
)
from .selectors import CITY_TZ, local_datetime

DESCRIPTION_LENGTH = Booking._meta.get_field("description").max_length
ASSOCIATION_LENGTH = Booking._meta.get_field("association").max_length


class BookingError(DomainError):
    """A booking action was refused."""


def format_duration(minutes):
    """``90`` → "1 h 30 min" in the active language."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return " ".join(parts) or ngettext("%(count)d minute", "%(count)d minutes", 0) % {"count": 0}


def _render(message, params):
    rendered = {}
    for name, value in params.items():
        if isinstance(value, datetime.datetime):
            rendered[name] = date_format(timezone.localtime(value, CITY_TZ), "DATETIME_FORMAT")
        elif isinstance(value, datetime.date):
            rendered[name] = date_format(value, "DATE_FORMAT")
        elif name.endswith("minutes"):
            rendered[name] = format_duration(value)
        else:
            rendered[name] = value
    return str(message) % rendered


_render_lazy = lazy(_render, str)


def _refuse(code, message, **params):
    raise BookingError(_render_lazy(message, params) if params else message, code=code)


# ---------------------------------------------------------------------------- rules


def check_booker(space, booker):
    """Refuse a person who may not book ``space`` (signed in, identified)."""
    if booker is None or not booker.is_authenticated or not booker.is_active:
        _refuse("not_signed_in", _("Please log in to book a space."))
    if space.authentication == AuthenticationLevel.STRONG and not booker.is_strongly_identified:
        _refuse(
            "not_identified",
            _(
                "This space can be booked only by people who have proved who they are: "
                "with online banking, a mobile certificate or at a library."
            ),
        )


def check_times(space, begins_at, ends_at, *, now, opening=None):
    """Refuse a time that breaks the space's rules (everything except overlaps).

    ``opening`` is the day's opening intervals when the caller has read them already.
    """
    if begins_at >= ends_at:
        _refuse("invalid_times", _("The booking must end after it begins."))
    if begins_at < now:
        _refuse("in_past", _("This time has already passed. Please choose a later time."))
    today = timezone.localtime(now, CITY_TZ).date()
    last_day = today + datetime.timedelta(days=space.max_days_ahead)
    local_begins = timezone.localtime(begins_at, CITY_TZ)
    if local_begins.date() > last_day:
        _refuse(
            "too_far_ahead",
            _("This space can be booked at most %(days)s days ahead, so until %(last_day)s."),
            days=space.max_days_ahead,
            last_day=last_day,
        )
    minutes = (ends_at - begins_at).total_seconds() / 60
    on_boundary = (
        selectors.minutes_after_midnight(begins_at) % space.slot_minutes == 0
        and minutes % space.slot_minutes == 0
    )
    if not on_boundary:
        _refuse(
            "not_on_slot",
            _(
                "In this space a booking begins and ends at a multiple of %(slot_minutes)s "
                "from midnight, for example at 17.00 or 17.30 when that is 30 minutes."
            ),
            slot_minutes=space.slot_minutes,
        )
    if minutes < space.min_minutes:
        _refuse(
            "too_short",
            _("A booking of this space must last at least %(min_minutes)s."),
            min_minutes=space.min_minutes,
        )
    if minutes > space.max_minutes:
        _refuse(
            "too_long",
            _("A booking of this space can last at most %(max_minutes)s."),
            max_minutes=space.max_minutes,
        )
    if opening is None:
        opening = selectors.opening_hours_on(space, local_begins.date())
    if not any(opens <= begins_at and ends_at <= closes for opens, closes in opening):
        if not opening:
            _refuse(
                "outside_opening_hours",
                _("The space is closed on %(day)s. Please choose another day."),
                day=local_begins.date(),
            )
        hours = ", ".join(
            f"{opens.astimezone(CITY_TZ):%H.%M}–{closes.astimezone(CITY_TZ):%H.%M}"
            for opens, closes in opening
        )
        _refuse(
            "outside_opening_hours",
            _(
                "The time is outside the space's opening hours. On %(day)s it can be "
                "booked %(hours)s."
            ),
            day=local_begins.date(),
            hours=hours,
        )


def check_attendees(space, attendees):
    if attendees < 1:
        _refuse("invalid_attendees", _("Tell us how many people are coming (at least one)."))
    if attendees > space.capacity:
        _refuse(
            "over_capacity",
            _(
                "At most %(capacity)s people fit in this space; you told us %(attendees)s. "
                "Please choose a bigger space."
            ),
            capacity=space.capacity,
            attendees=attendees,
        )


def check_details(space, purpose, description, association):
    """Refuse a purpose the space is not for, and texts longer than can be kept."""
    if purpose is not None and not space.purposes.filter(pk=purpose.pk).exists():
        _refuse(
            "purpose_not_offered",
            _("This space is not meant for that use. Please choose another space."),
        )
    if len(description.strip()) > DESCRIPTION_LENGTH:
        _refuse(
            "description_too_long",
            _("Please tell what happens in at most %(count)s characters."),
            count=DESCRIPTION_LENGTH,
        )
    if len(association.strip()) > ASSOCIATION_LENGTH:
        _refuse(
            "association_too_long",
            _("The association's name can be at most %(count)s characters."),
            count=ASSOCIATION_LENGTH,
        )


def check_free_of_charge(space, association, free_of_charge_requested):
    if not free_of_charge_requested:
        return
    if not space.free_for_associations:
        _refuse(
            "free_of_charge_not_offered",
            _("This space cannot be used free of charge."),
        )
    if not association.strip():
        _refuse(
            "association_required",
            _("Free-of-charge use is for associations: please give your association's name."),
        )


def check_own_overlap(booker, begins_at, ends_at):
    """Refuse an overlap with the booker's own active bookings in any space."""
    own = (
        Booking.objects.active()
        .bookings()
        .filter(booker=booker, begins_at__lt=ends_at, ends_at__gt=begins_at)
        .select_related("space")
        .first()
    )
    if own is not None:
        _refuse(
            "overlaps_own",
            _("You already have a booking at this time: %(space)s, %(begins)s."),
            space=own.space.name,
            begins=own.begins_at,
        )


def check_active_limit(space, booker, *, now):
    """Refuse a booking past the space's limit of upcoming bookings per person."""
    if not space.max_active_bookings:
        return
    if selectors.active_booking_count(booker, space, now) >= space.max_active_bookings:
        _refuse(
            "too_many_active",
            _(
                "You already have %(count)s upcoming bookings in this space, the most "
                "one person may have. You can book again after one of them."
            ),
            count=space.max_active_bookings,
        )


def check_not_booked(space, occupied_from, occupied_until, *, exclude_pk=None):
    clashing = Booking.objects.occupying(occupied_from, occupied_until).filter(space=space)
    if exclude_pk is not None:
        clashing = clashing.exclude(pk=exclude_pk)
    if clashing.exists():
        _refuse(
            "already_booked",
            _("Someone has already booked this time. Please choose another time."),
        )


def _lock(space, booker=None):
    """Queue writers per person and per space; see the module's docstring."""
    if booker is not None:
        get_user_model().objects.select_for_update().filter(pk=booker.pk).first()
    return Space.objects.select_for_update(of=("self",)).select_related("unit").get(pk=space.pk)


def _insert(booking):
    """Save a new row; the exclusion constraint's refusal becomes "already booked"."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if "booking_no_overlap" in str(error):
            _refuse(
                "already_booked",
                _("Someone has already booked this time. Please choose another time."),
            )
        raise
    return booking


def _new_booking(space, booker, begins_at, ends_at, **fields):
    minutes = (ends_at - begins_at).total_seconds() / 60
    price = space.price_for(minutes)
    handled = space.confirmation == Confirmation.HANDLED or fields.get("free_of_charge_requested")
    # Who books, as they were on the day: monitoring's figures never change afterwards.
    district, age_group = demographics_of(booker, timezone.localdate())
    return Booking(
        booker_district_id=district,
        booker_age_group=age_group,
        space=space,
        kind=Booking.Kind.BOOKING,
        booker=booker,
        created_by=booker,
        begins_at=begins_at,
        ends_at=ends_at,
        occupied_from=begins_at - space.buffer_before,
        occupied_until=ends_at + space.buffer_after,
        price=price,
        state=BookingState.REQUIRES_HANDLING if handled else BookingState.CONFIRMED,
        **fields,
    )


# ---------------------------------------------------------------------------- booking


def create_booking(
    *,
    space,
    booker,
    begins_at,
    ends_at,
    attendees,
    purpose=None,
    description="",
    association="",
    free_of_charge_requested=False,
    now=None,
):
    """Book ``space`` for ``booker`` from ``begins_at`` to ``ends_at`` (aware datetimes).

    Checks, each refused with its own ``BookingError`` code: ``not_signed_in``,
    ``not_identified``, ``unavailable``, ``invalid_times``, ``in_past``,
    ``too_far_ahead``, ``not_on_slot``, ``too_short``, ``too_long``,
    ``outside_opening_hours``, ``invalid_attendees``, ``over_capacity``,
    ``purpose_not_offered``, ``description_too_long``, ``association_too_long``,
    ``free_of_charge_not_offered``, ``association_required``, ``overlaps_own``,
    ``too_many_active``, ``already_booked``.

    The booking is confirmed at once, or waits for staff (``requires_handling``) when
    the space is handled by staff or free-of-charge use is applied for. The booker
    gets an e-mail (with an .ics file when confirmed).
    """
    now = now or timezone.now()
    check_booker(space, booker)
    with transaction.atomic():
        space = _lock(space, booker)
        if not (space.is_published and space.unit.is_published):
            _refuse("unavailable", _("This space cannot be booked at the moment."))
        check_times(space, begins_at, ends_at, now=now)
        check_attendees(space, attendees)
        check_details(space, purpose, description, association)
        check_free_of_charge(space, association, free_of_charge_requested)
        check_own_overlap(booker, begins_at, ends_at)
        check_active_limit(space, booker, now=now)
        booking = _new_booking(
            space,
            booker,
            begins_at,
            ends_at,
            purpose=purpose,
            description=description.strip(),
            attendees=attendees,
            association=association.strip(),
            free_of_charge_requested=free_of_charge_requested,
        )
        check_not_booked(space, booking.occupied_from, booking.occupied_until)
        _insert(booking)
        audit.record(
            action="premises.booking_created",
            actor=booker,
            target=booking,
            data={"state": booking.state, "price": str(booking.price)},
        )
        notifications.booking_created(booking)
    return booking


def _locked_booking(booking):
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("space", "space__unit", "booker", "series")
        .get(pk=booking.pk)
    )


def _require_manager(staff, unit):
    if not selectors.can_manage(staff, unit):
        _refuse("not_allowed", _("You do not handle the bookings of this unit."))


def _confirm(booking, staff, free_of_charge, now):
    """Confirm a booking that waited for handling, free of charge when ``free_of_charge``
    (None: as the booker asked). Returns whether it was made free."""
    if free_of_charge is None:
        free_of_charge = booking.free_of_charge_requested
    if free_of_charge:
        booking.price = 0
    booking.state = BookingState.CONFIRMED
    booking.handled_by = staff
    booking.handled_at = now
    booking.save(update_fields=["state", "price", "handled_by", "handled_at"])
    return free_of_charge


def approve_booking(*, booking, staff, free_of_charge=None, now=None):
    """Confirm a booking waiting for handling. ``free_of_charge`` grants (True) or
    refuses (False) a free-of-charge application; by default it is granted when
    applied for. The booker gets an e-mail with an .ics file."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(booking)
        _require_manager(staff, booking.space.unit)
        if booking.state != BookingState.REQUIRES_HANDLING:
            _refuse("not_waiting", _("This booking is not waiting for handling."))
        free_of_charge = _confirm(booking, staff, free_of_charge, now)
        audit.record(
            action="premises.booking_approved",
            actor=staff,
            target=booking,
            on_behalf_of=booking.booker,
            data={"free_of_charge": bool(free_of_charge), "price": str(booking.price)},
        )
        notifications.booking_approved(booking)
    return booking


def deny_booking(*, booking, staff, reason, now=None):
    """Deny a booking waiting for handling, with a reason the booker reads."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason_required", _("Please write the reason for the booker."))
    with transaction.atomic():
        booking = _locked_booking(booking)
        _require_manager(staff, booking.space.unit)
        if booking.state != BookingState.REQUIRES_HANDLING:
            _refuse("not_waiting", _("This booking is not waiting for handling."))
        booking.state = BookingState.DENIED
        booking.state_reason = reason
        booking.handled_by = staff
        booking.handled_at = now
        booking.save(update_fields=["state", "state_reason", "handled_by", "handled_at"])
        audit.record(
            action="premises.booking_denied",
            actor=staff,
            target=booking,
            on_behalf_of=booking.booker,
            data={"reason": reason},
        )
        notifications.booking_denied(booking)
    return booking


def cancellation_deadline(booking):
    """Until when the booker may cancel."""
    return booking.begins_at - datetime.timedelta(hours=booking.space.cancellable_hours_before)


def _cancel(booking, user, reason, now, *, as_staff):
    if booking.state not in ACTIVE_STATES:
        _refuse("not_active", _("This booking has already been cancelled or denied."))
    if booking.ends_at <= now:
        _refuse("already_over", _("This booking is already over."))
    if not as_staff and now > cancellation_deadline(booking):
        _refuse(
            "too_late_to_cancel",
            _("This booking can be cancelled only until %(deadline)s. Please contact the unit."),
            deadline=cancellation_deadline(booking),
        )
    booking.state = BookingState.CANCELLED
    booking.state_reason = reason
    booking.cancelled_by = user
    booking.cancelled_at = now
    booking.save(update_fields=["state", "state_reason", "cancelled_by", "cancelled_at"])


def _cancel_as(booking, user):
    """Is ``user`` cancelling as the booker (False) or as staff (True)? Refuse others."""
    if booking.booker_id == user.pk:
        return False
    if selectors.can_manage(user, booking.space.unit):
        return True
    _refuse("not_allowed", _("You can cancel only your own bookings."))


def cancel_booking(*, booking, user, reason="", now=None):
    """Cancel a booking: the booker until the space's cancellation deadline, staff of
    the unit at any time before its end with a reason the booker reads."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        booking = _locked_booking(booking)
        as_staff = _cancel_as(booking, user)
        if as_staff and not reason:
            _refuse("reason_required", _("Please write the reason for the booker."))
        _cancel(booking, user, reason, now, as_staff=as_staff)
        audit.record(
            action="premises.booking_cancelled",
            actor=user,
            target=booking,
            on_behalf_of=booking.booker if as_staff else None,
            data={"reason": reason, "by_staff": as_staff},
        )
        notifications.booking_cancelled(booking, by_staff=as_staff)
    return booking


# ---------------------------------------------------------------------------- series


@dataclass
class SeriesDate:
    """One date of a planned series and whether it can be booked."""

    date: datetime.date
    begins_at: datetime.datetime
    ends_at: datetime.datetime
    code: str  # "ok" or a BookingError code
    message: str  # lazy; empty when ok

    @property
    def ok(self):
        return self.code == "ok"


@dataclass
class SeriesPreview:
    dates: list[SeriesDate]

    @property
    def bookable(self):
        return [item for item in self.dates if item.ok]

    @property
    def conflicts(self):
        return [item for item in self.dates if not item.ok]


MAX_SERIES_DATES = 52


def series_dates(first_date, last_date, weekday=None):
    """The dates of a weekly series: ``first_date``'s weekday unless told."""
    if weekday is not None:
        first_date += datetime.timedelta(days=(weekday - first_date.weekday()) % 7)
    dates = []
    day = first_date
    while day <= last_date:
        dates.append(day)
        day += datetime.timedelta(weeks=1)
    return dates


def _check_series_shape(space, booker, first_date, last_date, begins, ends):
    check_booker(space, booker)
    if ends <= begins:
        _refuse("invalid_times", _("The booking must end after it begins."))
    if last_date < first_date:
        _refuse("invalid_dates", _("The last date must not be before the first."))
    if len(series_dates(first_date, last_date)) > MAX_SERIES_DATES:
        _refuse(
            "series_too_long",
            _("A series can have at most %(count)s dates."),
            count=MAX_SERIES_DATES,
        )


def preview_series(*, space, booker, first_date, last_date, begins, ends, attendees, now=None):
    """Which dates of a weekly series (``first_date``'s weekday, wall-clock ``begins``
    to ``ends``) can be booked, and why the others cannot, before anything is booked.
    Raises ``BookingError`` only for problems of the whole series."""
    now = now or timezone.now()
    _check_series_shape(space, booker, first_date, last_date, begins, ends)
    check_attendees(space, attendees)
    check_active_limit(space, booker, now=now)
    dates = series_dates(first_date, last_date)
    opening = selectors.opening_hours_between([space], dates[0], dates[-1])
    answer = []
    for day in dates:
        begins_at, ends_at = local_datetime(day, begins), local_datetime(day, ends)
        try:
            check_times(space, begins_at, ends_at, now=now, opening=opening[space.pk, day])
            check_own_overlap(booker, begins_at, ends_at)
            check_not_booked(space, begins_at - space.buffer_before, ends_at + space.buffer_after)
        except BookingError as error:
            answer.append(SeriesDate(day, begins_at, ends_at, error.code, error.message))
        else:
            answer.append(SeriesDate(day, begins_at, ends_at, "ok", ""))
    return SeriesPreview(answer)


def create_series(
    *,
    space,
    booker,
    first_date,
    last_date,
    begins,
    ends,
    attendees,
    dates,
    purpose=None,
    description="",
    association="",
    free_of_charge_requested=False,
    now=None,
):
    """Book the ``dates`` the booker accepted from ``preview_series`` as one series.

    All or nothing: if any of them has been taken since the preview, nothing is
    booked and ``BookingError`` (``series_changed``) names the date, so the person
    can look at the preview again. A series counts as one booking towards the
    space's limit per person. One e-mail covers the whole series.
    """
    now = now or timezone.now()
    _check_series_shape(space, booker, first_date, last_date, begins, ends)
    planned = set(series_dates(first_date, last_date))
    dates = sorted(set(dates))
    if not dates or not set(dates) <= planned:
        _refuse("invalid_dates", _("Choose at least one date of the series."))
    with transaction.atomic():
        space = _lock(space, booker)
        if not (space.is_published and space.unit.is_published):
            _refuse("unavailable", _("This space cannot be booked at the moment."))
        check_attendees(space, attendees)
        check_details(space, purpose, description, association)
        check_free_of_charge(space, association, free_of_charge_requested)
        check_active_limit(space, booker, now=now)
        series = BookingSeries.objects.create(
            space=space,
            booker=booker,
            weekday=first_date.weekday(),
            begins=begins,
            ends=ends,
            first_date=dates[0],
            last_date=dates[-1],
        )
        opening = selectors.opening_hours_between([space], dates[0], dates[-1])
        bookings = []
        for day in dates:
            begins_at, ends_at = local_datetime(day, begins), local_datetime(day, ends)
            try:
                check_times(space, begins_at, ends_at, now=now, opening=opening[space.pk, day])
                check_own_overlap(booker, begins_at, ends_at)
                booking = _new_booking(
                    space,
                    booker,
                    begins_at,
                    ends_at,
                    purpose=purpose,
                    description=description.strip(),
                    attendees=attendees,
                    association=association.strip(),
                    free_of_charge_requested=free_of_charge_requested,
                    series=series,
                )
                check_not_booked(space, booking.occupied_from, booking.occupied_until)
                _insert(booking)
            except BookingError as error:
                raise BookingError(
                    _render_lazy(
                        _("%(day)s can no longer be booked: %(reason)s"),
                        {"day": day, "reason": error.message},
                    ),
                    code="series_changed",
                ) from error
            bookings.append(booking)
        audit.record(
            action="premises.series_created",
            actor=booker,
            target=series,
            data={"dates": [day.isoformat() for day in dates], "state": bookings[0].state},
        )
        notifications.series_created(series, bookings)
    return series


def cancel_series(*, series, user, reason="", now=None):
    """Cancel every upcoming active booking of a series at once: the booker those
    still before their cancellation deadline, staff all of them with a reason.
    Returns the cancelled bookings."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("space", "space__unit", "booker")
            .filter(series=series, state__in=ACTIVE_STATES, ends_at__gt=now)
            .order_by("begins_at")
        )
        if not bookings:
            _refuse("nothing_to_cancel", _("This series has no upcoming bookings to cancel."))
        as_staff = _cancel_as(bookings[0], user)
        if as_staff and not reason:
            _refuse("reason_required", _("Please write the reason for the booker."))
        cancelled = []
        for booking in bookings:
            if not as_staff and now > cancellation_deadline(booking):
                continue  # too late for this one; the person is told which remain
            _cancel(booking, user, reason, now, as_staff=as_staff)
            cancelled.append(booking)
        if not cancelled:
            _refuse(
                "too_late_to_cancel",
                _("The remaining dates are too close to be cancelled. Please contact the unit."),
            )
        audit.record(
            action="premises.series_cancelled",
            actor=user,
            target=series,
            on_behalf_of=series.booker if as_staff else None,
            data={"bookings": [b.pk for b in cancelled], "reason": reason},
        )
        notifications.series_cancelled(series, cancelled, by_staff=as_staff)
    return cancelled


def _waiting_dates(series, staff):
    bookings = list(
        Booking.objects.select_for_update(of=("self",))
        .select_related("space", "space__unit", "booker")
        .filter(series=series, state=BookingState.REQUIRES_HANDLING)
        .order_by("begins_at")
    )
    if not bookings:
        _refuse("not_waiting", _("No date of this series is waiting for handling."))
    _require_manager(staff, bookings[0].space.unit)
    return bookings


def approve_series(*, series, staff, free_of_charge=None, now=None):
    """Confirm every date of a series that waits for handling, with one e-mail.
    ``free_of_charge`` as in ``approve_booking``. Returns the confirmed bookings."""
    now = now or timezone.now()
    with transaction.atomic():
        bookings = _waiting_dates(series, staff)
        for booking in bookings:
            _confirm(booking, staff, free_of_charge, now)
        audit.record(
            action="premises.series_approved",
            actor=staff,
            target=series,
            on_behalf_of=series.booker,
            data={"bookings": [b.pk for b in bookings]},
        )
        notifications.series_handled(series, bookings)
    return bookings


def deny_series(*, series, staff, reason, now=None):
    """Deny every date of a series that waits for handling, with a reason and one
    e-mail. Returns the denied bookings."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason_required", _("Please write the reason for the booker."))
    with transaction.atomic():
        bookings = _waiting_dates(series, staff)
        for booking in bookings:
            booking.state = BookingState.DENIED
            booking.state_reason = reason
            booking.handled_by = staff
            booking.handled_at = now
            booking.save(update_fields=["state", "state_reason", "handled_by", "handled_at"])
        audit.record(
            action="premises.series_denied",
            actor=staff,
            target=series,
            on_behalf_of=series.booker,
            data={"bookings": [b.pk for b in bookings], "reason": reason},
        )
        notifications.series_handled(series, bookings)
    return bookings


# ---------------------------------------------------------------------------- staff


def block_time(*, space, staff, begins_at, ends_at, reason, now=None):
    """Keep ``space`` out of booking from ``begins_at`` to ``ends_at`` (no buffers).
    Refused (``already_booked``) when active bookings meet the time: staff cancel
    those first, with a reason their bookers read."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason_required", _("Please write why the time is blocked."))
    if len(reason) > DESCRIPTION_LENGTH:
        _refuse(
            "description_too_long",
            _("Please write the reason in at most %(count)s characters."),
            count=DESCRIPTION_LENGTH,
        )
    if begins_at >= ends_at:
        _refuse("invalid_times", _("The blocked time must end after it begins."))
    if ends_at <= now:
        _refuse("in_past", _("This time has already passed. Please choose a later time."))
    with transaction.atomic():
        space = _lock(space)
        _require_manager(staff, space.unit)
        clashing = (
            Booking.objects.occupying(begins_at, ends_at).filter(space=space).order_by("begins_at")
        )
        first = clashing.first()
        if first is not None:
            _refuse(
                "already_booked",
                _(
                    "The time meets %(count)s active bookings or blocked times, the first "
                    "on %(begins)s. Cancel them first."
                ),
                count=clashing.count(),
                begins=first.begins_at,
            )
        blocked = BlockedTime(
            space=space,
            kind=Booking.Kind.BLOCKED,
            created_by=staff,
            description=reason,
            begins_at=begins_at,
            ends_at=ends_at,
            occupied_from=begins_at,
            occupied_until=ends_at,
            state=BookingState.CONFIRMED,
            attendees=0,
        )
        _insert(blocked)
        audit.record(
            action="premises.time_blocked",
            actor=staff,
            target=blocked,
            data={"reason": reason},
        )
    return blocked


def unblock_time(*, blocked, staff, now=None):
    """Free blocked time again."""
    now = now or timezone.now()
    with transaction.atomic():
        blocked = _locked_booking(blocked)
        if blocked.kind != Booking.Kind.BLOCKED:
            _refuse("not_blocked", _("This is not blocked time."))
        _require_manager(staff, blocked.space.unit)
        if blocked.state not in ACTIVE_STATES:
            _refuse("not_active", _("This time is no longer blocked."))
        blocked.state = BookingState.CANCELLED
        blocked.cancelled_by = staff
        blocked.cancelled_at = now
        blocked.save(update_fields=["state", "cancelled_by", "cancelled_at"])
        audit.record(action="premises.time_unblocked", actor=staff, target=blocked)
    return blocked


# ---------------------------------------------------------------------------- feeds


def calendar_feed_for(user):
    """The person's private feed, made on first use."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.get_or_create(user=user)
        if created:
            audit.record(action="premises.feed_created", actor=user, target=feed)
    return feed


def renew_calendar_feed(user):
    """A new feed address; the old one stops working at once."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(user=user)
        feed.token = new_feed_token()
        feed.save(update_fields=["token", "created_at"])
        audit.record(action="premises.feed_renewed", actor=user, target=feed)
    return feed
