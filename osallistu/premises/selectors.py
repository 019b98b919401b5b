"""Reads of premises: opening hours of a day, the availability search, a space's week
calendar, a person's bookings, the staff's queue and schedules, and usage figures.

The availability search answers in a handful of queries whatever the number of
spaces: the spaces, their weekly hours, the day's exceptions and the day's occupied
time are each read once, and the free slots are worked out in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area

from .models import (
    MAX_BOOKING_MINUTES,
    MAX_BUFFER_MINUTES,
    Booking,
    BookingSeries,
    BookingState,
    CalendarFeed,
    Equipment,
    OpeningException,
    OpeningHours,
    Purpose,
    Space,
    Unit,
)

CITY_TZ = ZoneInfo(settings.TIME_ZONE)

# Accessibility filters of the search: key → (label, condition on Space).
ACCESSIBILITY_FILTERS = {
    "step_free": (
        _("Step-free entrance and access"),
        Q(step_free_access=True, unit__accessible_entrance=True),
    ),
    "accessible_toilet": (_("Accessible toilet"), Q(unit__accessible_toilet=True)),
    "induction_loop": (_("Induction loop"), Q(induction_loop=True)),
    "accessible_parking": (_("Accessible parking"), Q(unit__accessible_parking=True)),
}

# The longest a row's occupied time can be when it is a booking (not blocked time):
# the search reads the rows that begin at most this long before the day.
_LONGEST_OCCUPATION = datetime.timedelta(minutes=MAX_BOOKING_MINUTES + 2 * MAX_BUFFER_MINUTES)


@dataclass(frozen=True)
class Slot:
    begins_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass
class SpaceAvailability:
    """A space found by the search and its free slots of the requested length."""

    space: Space
    slots: list[Slot]


@dataclass(frozen=True)
class Busy:
    """Time taken in a space's calendar; who booked is shown only to that person."""

    begins_at: datetime.datetime
    ends_at: datetime.datetime
    kind: str  # "booking" or "blocked"
    state: str
    is_own: bool
    booking_id: int | None


@dataclass
class CalendarDay:
    date: datetime.date
    opening: list[tuple[datetime.datetime, datetime.datetime]]
    busy: list[Busy]
    free_slots: list[Slot]

    @property
    def is_closed(self):
        return not self.opening


@dataclass
class WeekCalendar:
    space: Space
    first_day: datetime.date
    days: list[CalendarDay]

    @property
    def previous_week(self):
        return self.first_day - datetime.timedelta(days=7)

    @property
    def next_week(self):
        return self.first_day + datetime.timedelta(days=7)


def local_datetime(day, time):
    """An aware datetime of wall-clock ``time`` on ``day`` in the city."""
    return datetime.datetime.combine(day, time, tzinfo=CITY_TZ)


def day_bounds(day):
    return local_datetime(day, datetime.time()), local_datetime(
        day + datetime.timedelta(days=1), datetime.time()
    )


def minutes_after_midnight(moment):
    local = timezone.localtime(moment, CITY_TZ)
    return local.hour * 60 + local.minute + (local.second or local.microsecond) / 60


# ---------------------------------------------------------------------------- hours


def opening_hours_between(spaces, first_day, last_day):
    """{(space id, date): [(opens, closes), …]} for every space and day in the range,
    as aware datetimes sorted by opening. A day's exceptions of the space win over the
    unit's, and those over the weekly hours. Two queries."""
    spaces = list(spaces)
    space_ids = [space.pk for space in spaces]
    weekly = defaultdict(list)
    for space_id, weekday, opens, closes in OpeningHours.objects.filter(
        space_id__in=space_ids
    ).values_list("space_id", "weekday", "opens", "closes"):
        weekly[space_id, weekday].append((opens, closes))
    unit_exceptions = defaultdict(list)
    space_exceptions = defaultdict(list)
    for unit_id, space_id, date, opens, closes in OpeningException.objects.filter(
        unit_id__in={space.unit_id for space in spaces}, date__range=(first_day, last_day)
    ).values_list("unit_id", "space_id", "date", "opens", "closes"):
        if space_id is None:
            unit_exceptions[unit_id, date].append((opens, closes))
        else:
            space_exceptions[space_id, date].append((opens, closes))
    answer = {}
    day = first_day
    while day <= last_day:
        for space in spaces:
            rows = (
                space_exceptions.get((space.pk, day))
                or unit_exceptions.get((space.unit_id, day))
                or weekly.get((space.pk, day.weekday()), [])
            )
            answer[space.pk, day] = sorted(
                (local_datetime(day, opens), local_datetime(day, closes))
                for opens, closes in rows
                if opens is not None
            )
        day += datetime.timedelta(days=1)
    return answer


def opening_hours_on(space, day):
    """The opening intervals of one space on one day."""
    return opening_hours_between([space], day, day)[space.pk, day]


def occupied_between(space_ids, begins, ends):
    """{space id: [(occupied_from, occupied_until), …]} of active rows meeting
    [begins, ends). One query, using the index on occupied_from: bookings last at
    most a day plus buffers, and long blocked time is found by its end."""
    rows = (
        Booking.objects.active()
        .filter(space_id__in=space_ids, occupied_from__lt=ends, occupied_until__gt=begins)
        .filter(
            Q(occupied_from__gte=begins - _LONGEST_OCCUPATION)
            | Q(kind=Booking.Kind.BLOCKED, occupied_until__gt=begins)
        )
        .values_list("space_id", "occupied_from", "occupied_until")
    )
    answer = defaultdict(list)
    for space_id, occupied_from, occupied_until in rows:
        answer[space_id].append((occupied_from, occupied_until))
    for intervals in answer.values():
        intervals.sort()
    return answer


def _free_slots(space, opening, occupied, *, minutes, window, earliest, latest_day):
    """Slots of ``minutes`` on whole slot boundaries inside the opening intervals and
    ``window``, starting at or after ``earliest``, not meeting ``occupied`` (with
    this space's buffers around the new booking)."""
    if minutes < space.min_minutes or minutes > space.max_minutes:
        return []
    if minutes % space.slot_minutes:
        return []
    length = datetime.timedelta(minutes=minutes)
    step = datetime.timedelta(minutes=space.slot_minutes)
    slots = []
    for opens, closes in opening:
        if opens.date() > latest_day:
            continue
        start = max(opens, window[0], earliest)
        end = min(closes, window[1])
        # Round the start up to a slot boundary counted from local midnight.
        midnight = local_datetime(opens.date(), datetime.time())
        offset = (start - midnight).total_seconds() / 60
        boundary = -(-offset // space.slot_minutes) * space.slot_minutes
        moment = midnight + datetime.timedelta(minutes=boundary)
        while moment + length <= end:
            taken_from = moment - space.buffer_before
            taken_until = moment + length + space.buffer_after
            clash = next(
                (
                    (busy_from, busy_until)
                    for busy_from, busy_until in occupied
                    if busy_from < taken_until and busy_until > taken_from
                ),
                None,
            )
            if clash is None:
                slots.append(Slot(moment, moment + length))
                moment += step
            else:
                # Jump past the clash to the next boundary.
                moment += step
                while moment - space.buffer_before < clash[1]:
                    moment += step
    return slots


# ---------------------------------------------------------------------------- search


def searchable_spaces(
    *, district=None, people=None, equipment=(), purpose=None, accessibility=(), unit_type=None
):
    """Published spaces matching the search's fixed criteria, with unit and district."""
    spaces = Space.objects.published().select_related("unit", "unit__district")
    if district is not None:
        spaces = spaces.filter(unit__district_id=getattr(district, "pk", district))
    if unit_type:
        spaces = spaces.filter(unit__type=unit_type)
    if people:
        spaces = spaces.filter(capacity__gte=people)
    for item in equipment:
        spaces = spaces.filter(
            Exists(
                Space.equipment.through.objects.filter(
                    space_id=OuterRef("pk"), equipment_id=getattr(item, "pk", item)
                )
            )
        )
    if purpose is not None:
        spaces = spaces.filter(
            Exists(
                Space.purposes.through.objects.filter(
                    space_id=OuterRef("pk"), purpose_id=getattr(purpose, "pk", purpose)
                )
            )
        )
    for key in accessibility:
        spaces = spaces.filter(ACCESSIBILITY_FILTERS[key][1])
    return spaces.order_by("unit__district__number", "unit__name", "name")


def search_availability(
    *,
    day,
    district=None,
    time_from=None,
    time_until=None,
    duration_minutes=None,
    people=None,
    equipment=(),
    purpose=None,
    accessibility=(),
    unit_type=None,
    now=None,
):
    """Spaces with at least one free slot on ``day``, each with its free slots.

    ``time_from``/``time_until`` (wall-clock times) bound the whole booking;
    ``duration_minutes`` is the booking's length (each space's shortest booking when
    not given); ``people`` the attendees; ``equipment`` Equipment rows or ids that
    must all be there; ``purpose`` a Purpose or id; ``accessibility`` keys of
    ``ACCESSIBILITY_FILTERS``. Slots lie in the future and within each space's
    booking horizon. Four queries.
    """
    now = now or timezone.now()
    spaces = list(
        searchable_spaces(
            district=district,
            people=people,
            equipment=equipment,
            purpose=purpose,
            accessibility=accessibility,
            unit_type=unit_type,
        )
    )
    if not spaces:
        return []
    begins, ends = day_bounds(day)
    window = (
        local_datetime(day, time_from) if time_from else begins,
        local_datetime(day, time_until) if time_until else ends,
    )
    opening = opening_hours_between(spaces, day, day)
    occupied = occupied_between([space.pk for space in spaces], begins, ends)
    today = timezone.localtime(now, CITY_TZ).date()
    found = []
    for space in spaces:
        slots = _free_slots(
            space,
            opening[space.pk, day],
            occupied.get(space.pk, []),
            minutes=duration_minutes or space.min_minutes,
            window=window,
            earliest=now,
            latest_day=today + datetime.timedelta(days=space.max_days_ahead),
        )
        if slots:
            found.append(SpaceAvailability(space, slots))
    return found


def space_detail(slug):
    """A published space with its unit, purposes, equipment and photos, or None."""
    return (
        Space.objects.published()
        .select_related("unit", "unit__district")
        .prefetch_related("purposes", "equipment", "photos", "unit__photos", "opening_hours")
        .filter(slug=slug)
        .first()
    )


def week_calendar(space, first_day, *, user=None, now=None):
    """Seven days from ``first_day``: opening hours, busy time and free slots of the
    space's shortest booking. Busy time says whose it is only to that person."""
    now = now or timezone.now()
    last_day = first_day + datetime.timedelta(days=6)
    opening = opening_hours_between([space], first_day, last_day)
    begins, _ends = day_bounds(first_day)
    _begins, ends = day_bounds(last_day)
    rows = list(
        Booking.objects.active()
        .filter(space=space, occupied_from__lt=ends, occupied_until__gt=begins)
        .values_list(
            "id",
            "kind",
            "state",
            "booker_id",
            "begins_at",
            "ends_at",
            "occupied_from",
            "occupied_until",
        )
        .order_by("occupied_from")
    )
    occupied = [(row[6], row[7]) for row in rows]
    user_id = user.pk if user is not None and user.is_authenticated else None
    today = timezone.localtime(now, CITY_TZ).date()
    days = []
    day = first_day
    while day <= last_day:
        day_begins, day_ends = day_bounds(day)
        busy = [
            Busy(
                begins_at=row[4],
                ends_at=row[5],
                kind=row[1],
                state=row[2],
                is_own=user_id is not None and row[3] == user_id,
                booking_id=row[0] if user_id is not None and row[3] == user_id else None,
            )
            for row in rows
            if row[4] < day_ends and row[5] > day_begins
        ]
        days.append(
            CalendarDay(
                date=day,
                opening=opening[space.pk, day],
                busy=busy,
                free_slots=_free_slots(
                    space,
                    opening[space.pk, day],
                    occupied,
                    minutes=space.min_minutes,
                    window=(day_begins, day_ends),
                    earliest=now,
                    latest_day=today + datetime.timedelta(days=space.max_days_ahead),
                ),
            )
        )
        day += datetime.timedelta(days=1)
    return WeekCalendar(space=space, first_day=first_day, days=days)


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def search_choices():
    """Districts, purposes and equipment for the search form, each one query."""
    return {
        "districts": list(Area.objects.districts()),
        "purposes": list(Purpose.objects.all()),
        "equipment": list(Equipment.objects.all()),
        "accessibility": [(key, label) for key, (label, _q) in ACCESSIBILITY_FILTERS.items()],
    }


# ---------------------------------------------------------------------------- people


def bookings_of(user, *, now=None):
    """A person's bookings: (upcoming, past), each with space and unit; cancelled and
    denied ones included so the person sees what happened."""
    now = now or timezone.now()
    bookings = (
        Booking.objects.bookings()
        .filter(booker=user)
        .select_related("space", "space__unit", "purpose", "series")
    )
    upcoming = list(bookings.filter(ends_at__gt=now).order_by("begins_at"))
    past = list(bookings.filter(ends_at__lte=now).order_by("-begins_at")[:50])
    return upcoming, past


def booking_of(user, pk):
    """One booking of ``user`` (None when it is not theirs)."""
    return (
        Booking.objects.bookings()
        .select_related("space", "space__unit", "purpose", "series")
        .filter(booker=user, pk=pk)
        .first()
    )


def series_of(user, pk):
    return (
        BookingSeries.objects.select_related("space", "space__unit")
        .filter(booker=user, pk=pk)
        .first()
    )


def active_booking_count(user, space, now):
    """Upcoming active bookings of ``user`` in ``space``; a series counts as one."""
    upcoming = Booking.objects.active().bookings().filter(booker=user, space=space, ends_at__gt=now)
    singles = upcoming.filter(series__isnull=True).count()
    series = upcoming.filter(series__isnull=False).values("series").distinct().count()
    return singles + series


def calendar_feed_of(user):
    """The person's feed row, or None before they have asked for one."""
    return CalendarFeed.objects.filter(user=user).first()


def feed_owner(token):
    """The person whose private feed ``token`` opens, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_bookings(user, *, now=None):
    """Bookings in a person's feed: from 30 days back on, cancelled ones included so
    that calendars remove them."""
    now = now or timezone.now()
    return (
        Booking.objects.bookings()
        .filter(booker=user, ends_at__gte=now - datetime.timedelta(days=30))
        .select_related("space", "space__unit")
        .order_by("begins_at")
    )


# ---------------------------------------------------------------------------- staff


def managed_units(user):
    """Units ``user`` may handle: every unit for city administrators and city-wide
    premises managers, the district's units for a district's premises manager."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    roles = StaffRole.objects.filter(user=user)
    city_wide = roles.filter(
        Q(role=StaffRole.Role.CITY_ADMIN)
        | Q(role=StaffRole.Role.PREMISES_MANAGER)
        & (Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY))
    )
    if city_wide.exists():
        return Unit.objects.all()
    return Unit.objects.filter(
        district__in=roles.filter(role=StaffRole.Role.PREMISES_MANAGER).values("area")
    )


def can_manage(user, unit):
    """May ``user`` handle bookings and block time in ``unit``?"""
    return managed_units(user).filter(pk=unit.pk).exists()


def handling_queue(user):
    """Bookings waiting for handling in the units ``user`` manages, soonest first."""
    return (
        Booking.objects.filter(
            state=BookingState.REQUIRES_HANDLING, space__unit__in=managed_units(user)
        )
        .select_related("space", "space__unit", "booker", "purpose", "series")
        .order_by("begins_at")
    )


def unit_day_schedule(unit, day):
    """Every space of ``unit`` with its opening hours and active rows of ``day``
    (bookings with their bookers, blocked time), for staff."""
    begins, ends = day_bounds(day)
    spaces = list(
        unit.spaces.order_by("name").prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.active()
                .filter(occupied_from__lt=ends, occupied_until__gt=begins)
                .select_related("booker", "purpose")
                .order_by("begins_at"),
                to_attr="day_bookings",
            )
        )
    )
    opening = opening_hours_between(spaces, day, day)
    return [(space, opening[space.pk, day], space.day_bookings) for space in spaces]


def blocked_times(unit, *, now=None):
    """Upcoming blocked time in ``unit``'s spaces."""
    now = now or timezone.now()
    return (
        Booking.objects.active()
        .blocked()
        .filter(space__unit=unit, ends_at__gt=now)
        .select_related("space", "created_by")
        .order_by("begins_at")
    )


# ---------------------------------------------------------------------------- figures


@dataclass
class UsageRow:
    key: object  # a Space, an Area, a Purpose or None (no purpose given)
    bookings: int
    hours: float


@dataclass
class UsageFigures:
    first_day: datetime.date
    last_day: datetime.date
    by_space: list[UsageRow] = field(default_factory=list)
    by_district: list[UsageRow] = field(default_factory=list)
    by_purpose: list[UsageRow] = field(default_factory=list)

    @property
    def total_bookings(self):
        return sum(row.bookings for row in self.by_district)

    @property
    def total_hours(self):
        return sum(row.hours for row in self.by_district)


def _hours(duration):
    if duration is None:
        return 0.0
    if isinstance(duration, datetime.timedelta):
        return round(duration.total_seconds() / 3600, 2)
    return round(duration / 3_600_000_000, 2)  # microseconds on some backends


def usage_figures(*, first_day, last_day, district=None):
    """Confirmed booked hours and bookings that begin between ``first_day`` and
    ``last_day`` (inclusive, the city's dates), by space, district and purpose,
    largest first. Blocked time, denied, cancelled and unhandled bookings do not
    count. Three grouped queries."""
    begins, _ends = day_bounds(first_day)
    _begins, ends = day_bounds(last_day)
    rows = Booking.objects.bookings().filter(
        state=BookingState.CONFIRMED, begins_at__gte=begins, begins_at__lt=ends
    )
    if district is not None:
        rows = rows.filter(space__unit__district_id=getattr(district, "pk", district))
    duration = Sum(F("ends_at") - F("begins_at"))

    def grouped(key):
        return {
            row[key]: (row["n"], _hours(row["duration"]))
            for row in rows.order_by().values(key).annotate(n=Count("id"), duration=duration)
        }

    by_space = grouped("space_id")
    by_district = grouped("space__unit__district_id")
    by_purpose = grouped("purpose_id")
    spaces = Space.objects.select_related("unit").in_bulk(list(by_space))
    areas = Area.objects.in_bulk(list(by_district))
    purposes = Purpose.objects.in_bulk([key for key in by_purpose if key is not None])

    def ordered(groups, objects):
        answer = [
            UsageRow(objects.get(key) if key is not None else None, n, hours)
            for key, (n, hours) in groups.items()
        ]
        return sorted(answer, key=lambda row: (-row.hours, -row.bookings, str(row.key)))

    return UsageFigures(
        first_day=first_day,
        last_day=last_day,
        by_space=ordered(by_space, spaces),
        by_district=ordered(by_district, areas),
        by_purpose=ordered(by_purpose, purposes),
    )
