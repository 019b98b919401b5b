"""Reads of premises: opening hours of a day, the availability search, a space's week
calendar, a person's bookings, the staff's queue and schedules, and usage figures.

The availability search answers in a handful of queries whatever the number of
spaces: the spaces, their weekly hours, the day's exceptions and the day's occupied
time are each read once, and the free slots are worked out in Python.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
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


def _opening_times(spaces, first_day, last_day, *, space_ids=None, unit_ids=None):
    """{(space id, date): [(opens, closes), …]} as wall-clock times, sorted, for
    ``spaces`` (objects with ``pk`` and ``unit_id``) and every day in the range. A
    day's exceptions of the space win over the unit's, and those over the weekly
    hours. Two queries; ``space_ids``/``unit_ids`` may be subqueries."""
    if space_ids is None:
        space_ids = [space.pk for space in spaces]
    if unit_ids is None:
        unit_ids = {space.unit_id for space in spaces}
    days = [first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    weekly = defaultdict(list)
    for space_id, weekday, opens, closes in OpeningHours.objects.filter(
        space_id__in=space_ids, weekday__in={day.weekday() for day in days}
    ).values_list("space_id", "weekday", "opens", "closes"):
        weekly[space_id, weekday].append((opens, closes))
    unit_exceptions = defaultdict(list)
    space_exceptions = defaultdict(list)
    for unit_id, space_id, date, opens, closes in OpeningException.objects.filter(
        unit_id__in=unit_ids, date__range=(first_day, last_day)
    ).values_list("unit_id", "space_id", "date", "opens", "closes"):
        if space_id is None:
            unit_exceptions[unit_id, date].append((opens, closes))
        else:
            space_exceptions[space_id, date].append((opens, closes))
    answer = {}
    for day in days:
        for space in spaces:
            rows = (
                space_exceptions.get((space.pk, day))
                or unit_exceptions.get((space.unit_id, day))
                or weekly.get((space.pk, day.weekday()), [])
            )
            answer[space.pk, day] = sorted(row for row in rows if row[0] is not None)
    return answer


def opening_hours_between(spaces, first_day, last_day):
    """{(space id, date): [(opens, closes), …]} as aware datetimes sorted by opening
    (see ``_opening_times``). Two queries."""
    return {
        (space_id, day): [
            (local_datetime(day, opens), local_datetime(day, closes)) for opens, closes in rows
        ]
        for (space_id, day), rows in _opening_times(list(spaces), first_day, last_day).items()
    }


def upcoming_exceptions(space, first_day, days=60):
    """Dates with other hours than usual in the coming ``days``: the space's own and its
    unit's."""
    return (
        OpeningException.objects.filter(
            unit_id=space.unit_id,
            date__range=(first_day, first_day + datetime.timedelta(days=days)),
        )
        .filter(Q(space__isnull=True) | Q(space=space))
        .order_by("date", "opens")
    )


def opening_hours_on(space, day):
    """The opening intervals of one space on one day."""
    return opening_hours_between([space], day, day)[space.pk, day]


def occupied_between(space_ids, begins, ends):
    """{space id: [(occupied_from, occupied_until), …]} of active rows meeting
    [begins, ends), sorted. One query of two index range scans: bookings last at most
    a day plus buffers, so they begin at most that long before ``begins``; blocked
    time, which may be long, is found by its end (a partial index). ``space_ids``
    may be a subquery."""
    active = Booking.objects.active().filter(
        space_id__in=space_ids, occupied_from__lt=ends, occupied_until__gt=begins
    )
    fields = ("space_id", "occupied_from", "occupied_until")
    bookings = (
        active.filter(kind=Booking.Kind.BOOKING, occupied_from__gte=begins - _LONGEST_OCCUPATION)
        .order_by()
        .values_list(*fields)
    )
    blocked = active.filter(kind=Booking.Kind.BLOCKED).order_by().values_list(*fields)
    answer = defaultdict(list)
    for space_id, occupied_from, occupied_until in bookings.union(blocked, all=True):
        answer[space_id].append((occupied_from, occupied_until))
    for intervals in answer.values():
        intervals.sort()
    return answer


class _Clock:
    """Minutes of one day counted from its local midnight as time passes (elapsed
    minutes, right on the days clocks change), and back to aware datetimes."""

    def __init__(self, day):
        self.day = day
        self.midnight = local_datetime(day, datetime.time()).astimezone(datetime.UTC)

    def minutes(self, moment):
        return (moment.astimezone(datetime.UTC) - self.midnight).total_seconds() / 60

    def moment(self, minutes):
        return (self.midnight + datetime.timedelta(minutes=minutes)).astimezone(CITY_TZ)

    def interval(self, opens, closes):
        """(opens, closes, shift) in elapsed minutes of wall-clock times; the shift
        turns elapsed minutes into wall-clock ones for slot boundaries."""
        start = self.minutes(local_datetime(self.day, opens))
        end = self.minutes(local_datetime(self.day, closes))
        return start, end, opens.hour * 60 + opens.minute - start


def _free_starts(rules, intervals, occupied, *, minutes, window, earliest, first_only=False):
    """Start minutes of free bookings of ``minutes`` on the space's slot boundaries
    (wall clock, from midnight) inside ``intervals`` and ``window``, at or after
    ``earliest``, whose time with the space's buffers meets none of ``occupied``
    (sorted, non-overlapping (from, until) minutes). Linear in slots and rows."""
    slot = rules.slot_minutes
    if minutes < rules.min_minutes or minutes > rules.max_minutes or minutes % slot:
        return []
    before, after = rules.buffer_before_minutes, rules.buffer_after_minutes
    starts = []
    index = 0
    for opens, closes, shift in intervals:
        first = math.ceil(max(opens, window[0], earliest))
        end = min(closes, window[1])
        moment = first + (-(first + shift)) % slot
        while moment + minutes <= end:
            taken_from, taken_until = moment - before, moment + minutes + after
            while index < len(occupied) and occupied[index][1] <= taken_from:
                index += 1
            if index < len(occupied) and occupied[index][0] < taken_until:
                # Jump to the first boundary whose buffer clears this row.
                clear = math.ceil(occupied[index][1] + before)
                moment = clear + (-(clear + shift)) % slot
                continue
            starts.append(moment)
            if first_only:
                return starts
            moment += slot
    return starts


def _day_slots(rules, clock, opening, occupied, *, minutes, window, now, today, first_only=False):
    """Free slots of one space on ``clock.day`` as minutes (see ``_free_starts``)."""
    if clock.day > today + datetime.timedelta(days=rules.max_days_ahead):
        return []
    return _free_starts(
        rules,
        [clock.interval(opens, closes) for opens, closes in opening],
        [(clock.minutes(start), clock.minutes(end)) for start, end in occupied],
        minutes=minutes or rules.min_minutes,
        window=window,
        earliest=clock.minutes(now),
        first_only=first_only,
    )


# ---------------------------------------------------------------------------- search


def searchable_spaces(
    *, district=None, people=None, equipment=(), purpose=None, accessibility=(), unit_type=None
):
    """Published spaces matching the search's fixed criteria with their units and
    districts, in the order the search lists them (district, unit, name)."""
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
    return spaces.order_by("unit__district__number", "unit__name", "name", "pk")


@dataclass(frozen=True)
class _Rules:
    pk: int
    unit_id: int
    min_minutes: int
    max_minutes: int
    slot_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    max_days_ahead: int


class SearchResults(list):
    """A page of ``SpaceAvailability``; ``total`` is how many spaces have free slots
    in all."""

    total = 0


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
    offset=0,
    limit=None,
):
    """Spaces with at least one free slot on ``day``, each with its free slots, as a
    ``SearchResults`` list (``offset``/``limit`` for a page; ``.total`` counts all).

    ``time_from``/``time_until`` (wall-clock times) bound the whole booking;
    ``duration_minutes`` is the booking's length (each space's shortest booking when
    not given); ``people`` the attendees; ``equipment`` Equipment rows or ids that
    must all be there; ``purpose`` a Purpose or id; ``accessibility`` keys of
    ``ACCESSIBILITY_FILTERS``. Slots lie in the future and within each space's
    booking horizon. Five queries: the spaces' rules, weekly hours, the day's
    exceptions, the day's occupied time, and the page's spaces with their units.
    """
    now = now or timezone.now()
    matching = searchable_spaces(
        district=district,
        people=people,
        equipment=equipment,
        purpose=purpose,
        accessibility=accessibility,
        unit_type=unit_type,
    )
    rules = [
        _Rules(*row)
        for row in matching.values_list(
            "pk",
            "unit_id",
            "min_minutes",
            "max_minutes",
            "slot_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "max_days_ahead",
        )
    ]
    results = SearchResults()
    if not rules:
        return results
    space_ids = matching.values("pk")
    opening = _opening_times(
        rules, day, day, space_ids=space_ids, unit_ids=matching.values("unit_id")
    )
    begins, ends = day_bounds(day)
    occupied = occupied_between(space_ids, begins, ends)
    clock = _Clock(day)
    window = (
        clock.minutes(local_datetime(day, time_from)) if time_from else 0,
        clock.minutes(local_datetime(day, time_until)) if time_until else clock.minutes(ends),
    )
    today = timezone.localtime(now, CITY_TZ).date()
    found = []
    for space in rules:
        on_page = len(found) >= offset and (limit is None or len(found) < offset + limit)
        starts = _day_slots(
            space,
            clock,
            opening[space.pk, day],
            occupied.get(space.pk, ()),
            minutes=duration_minutes,
            window=window,
            now=now,
            today=today,
            first_only=not on_page,
        )
        if starts:
            found.append((space, starts))
    page = found[offset : None if limit is None else offset + limit]
    spaces = Space.objects.select_related("unit", "unit__district").in_bulk(
        [space.pk for space, _starts in page]
    )
    for space, starts in page:
        length = datetime.timedelta(minutes=duration_minutes or space.min_minutes)
        results.append(
            SpaceAvailability(
                spaces[space.pk],
                [Slot(clock.moment(start), clock.moment(start) + length) for start in starts],
            )
        )
    results.total = len(found)
    return results


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
    opening = _opening_times([space], first_day, last_day)
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
    for offset in range(7):
        day = first_day + datetime.timedelta(days=offset)
        day_begins, day_ends = day_bounds(day)
        clock = _Clock(day)
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
        starts = _day_slots(
            space,
            clock,
            opening[space.pk, day],
            occupied,
            minutes=None,
            window=(0, clock.minutes(day_ends)),
            now=now,
            today=today,
        )
        length = datetime.timedelta(minutes=space.min_minutes)
        days.append(
            CalendarDay(
                date=day,
                opening=[
                    (local_datetime(day, opens), local_datetime(day, closes))
                    for opens, closes in opening[space.pk, day]
                ],
                busy=busy,
                free_slots=[
                    Slot(clock.moment(start), clock.moment(start) + length) for start in starts
                ],
            )
        )
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


def may_manage_premises(user):
    """City administrators and premises managers (of a district or the whole city) have
    the premises desk, even before their district has units."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    roles = [StaffRole.Role.CITY_ADMIN, StaffRole.Role.PREMISES_MANAGER]
    return user.is_superuser or StaffRole.objects.filter(user=user, role__in=roles).exists()


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


def bookings_by_group(*, since=None, until=None, district=None):
    """Confirmed bookings of residents and associations for monitoring: ``[{year,
    district, age_group, channel, people, bookings, duration}]`` by the year the booked
    time begins, the booker's home district and age group kept with the booking, and
    whether it was made for an association (``channel``); ``people`` is the number of
    different bookers, ``duration`` the time booked. One query; no names."""
    rows = Booking.objects.filter(kind=Booking.Kind.BOOKING, state=BookingState.CONFIRMED)
    if since is not None:
        rows = rows.filter(begins_at__gte=since)
    if until is not None:
        rows = rows.filter(begins_at__lt=until)
    if district is not None:
        rows = rows.filter(booker_district=district)
    return list(
        rows.annotate(
            year=ExtractYear("begins_at"),
            channel=Case(
                When(association="", then=Value("resident")),
                default=Value("association"),
                output_field=CharField(),
            ),
        )
        .values("year", "channel", district=F("booker_district"), age_group=F("booker_age_group"))
        .annotate(
            people=Count("booker", distinct=True),
            bookings=Count("id"),
            duration=Sum(
                ExpressionWrapper(F("ends_at") - F("begins_at"), output_field=DurationField())
            ),
        )
        .order_by()
    )
