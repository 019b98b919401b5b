"""Bookable slots of coaches, worked out from their weekly office hours and the
exceptions of single dates, less the time already booked.

Office hours are wall-clock times in Helsinki. A day's hours run from the moment the
clock shows their beginning to the moment it shows their end, and are cut into slots
of real elapsed time: on the night clocks go forward (the last Sunday of March,
03.00 → 04.00) hours of 02.00–05.00 give two hours of slots, 02.00, 02.30, 04.00 and
04.30; on the night they go back (the last Sunday of October, 04.00 → 03.00) they give
four, with 03.00 and 03.30 twice. A beginning the clock skips is read as the moment
after the skip. Slots are compared and stored as instants, never as wall-clock
times, so the database's "one booking per slot" holds across the change.

A handful of queries whatever the number of coaches and days: the weekly hours, the
exceptions, their places and the booked time are each read once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from ..models import (
    CITY_TZ,
    Appointment,
    OfficeHours,
    OfficeHoursException,
    Place,
)

UTC = datetime.UTC


class Slot(NamedTuple):
    """One bookable time of a coach (a tuple: thousands are made for a page)."""

    coach_id: int
    begins_at: datetime.datetime
    ends_at: datetime.datetime
    place: Place

    @property
    def local_begins(self):
        return self.begins_at.astimezone(CITY_TZ)

    @property
    def local_ends(self):
        return self.ends_at.astimezone(CITY_TZ)

    @property
    def key(self):
        """The slot in a URL: its beginning in UTC, 20310304T080000Z."""
        return slot_key(self.begins_at)


def slot_key(moment):
    moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    )


def parse_slot_key(value):
    """The instant of a slot key, or None when ``value`` is not one."""
    try:
        return datetime.datetime.strptime(value or "", "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def local_datetime(day, time):
    """The instant the Helsinki clock shows ``time`` on ``day`` (the first one when it
    shows it twice, the moment after the skip when it never does)."""
    return datetime.datetime.combine(day, time, tzinfo=CITY_TZ).astimezone(UTC)


def local_today(now=None):
    return timezone.localtime(now or timezone.now(), CITY_TZ).date()


def cut(begins_at, ends_at, minutes):
    """[(begins, ends), …] of whole slots of ``minutes`` from ``begins_at`` on."""
    step = datetime.timedelta(minutes=minutes)
    slots = []
    start = begins_at
    while start + step <= ends_at:
        slots.append((start, start + step))
        start += step
    return slots


def hours_between(coach_ids, first_day, last_day):
    """{(coach id, date): [(begins_at, ends_at, slot minutes, place), …]} for every day
    from ``first_day`` to ``last_day``: the date's exceptions when it has any, otherwise
    the weekly hours valid that day. Three queries: the rows are read as values, and
    their places once each."""
    weekly = defaultdict(list)
    rows = (
        OfficeHours.objects.filter(coach_id__in=coach_ids, valid_from__lte=last_day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first_day))
        .values_list(
            "coach_id",
            "weekday",
            "begins",
            "ends",
            "slot_minutes",
            "place_id",
            "valid_from",
            "valid_until",
        )
    )
    for coach_id, weekday, *hours in rows:
        weekly[coach_id, weekday].append(hours)
    exceptions = defaultdict(list)
    for coach_id, date, *hours in OfficeHoursException.objects.filter(
        coach_id__in=coach_ids, date__range=(first_day, last_day)
    ).values_list("coach_id", "date", "begins", "ends", "slot_minutes", "place_id"):
        exceptions[coach_id, date].append(hours)
    place_ids = {hours[3] for rows in (*weekly.values(), *exceptions.values()) for hours in rows}
    places = Place.objects.in_bulk(place_ids - {None})
    answer = {}
    day = first_day
    while day <= last_day:
        for coach_id in coach_ids:
            if (coach_id, day) in exceptions:
                found = [row for row in exceptions[coach_id, day] if row[0] is not None]
            else:
                found = [
                    row[:4]
                    for row in weekly.get((coach_id, day.weekday()), ())
                    if row[4] <= day and (row[5] is None or day <= row[5])
                ]
            answer[coach_id, day] = sorted(
                (local_datetime(day, begins), local_datetime(day, ends), minutes, places[place])
                for begins, ends, minutes, place in found
            )
        day += datetime.timedelta(days=1)
    return answer


def all_slots(coach_ids, first_day, last_day):
    """{coach id: [Slot, …]} of every slot in the range, booked or not, by time."""
    answer = {coach_id: [] for coach_id in coach_ids}
    for (coach_id, _day), rows in sorted(
        hours_between(coach_ids, first_day, last_day).items(), key=lambda item: item[0][1]
    ):
        for begins_at, ends_at, minutes, place in rows:
            answer[coach_id].extend(
                Slot(coach_id, start, end, place) for start, end in cut(begins_at, ends_at, minutes)
            )
    return answer


def taken_between(coach_ids, begins, ends, now):
    """{coach id: [(begins_at, ends_at), …]} of appointments holding their time."""
    taken = defaultdict(list)
    rows = (
        Appointment.objects.holding(now)
        .filter(coach_id__in=coach_ids)
        .meeting(begins, ends)
        .values_list("coach_id", "begins_at", "ends_at")
    )
    for coach_id, begins_at, ends_at in rows:
        taken[coach_id].append((begins_at, ends_at))
    return taken


def _merged(intervals):
    """Sorted, disjoint union of (begins, ends) intervals."""
    merged = []
    for begins, ends in sorted(intervals):
        if merged and begins <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((begins, ends))
    return merged


def _without(slots, taken):
    """``slots`` (sorted by time) less those meeting any interval of ``taken``."""
    busy = _merged(taken)
    free = []
    index = 0
    for slot in slots:
        while index < len(busy) and busy[index][1] <= slot.begins_at:
            index += 1
        if index < len(busy) and busy[index][0] < slot.ends_at:
            continue
        free.append(slot)
    return free


def bookable_window(profile, now):
    """(earliest start, first day, last day) of bookable slots for ``profile``."""
    earliest = now + datetime.timedelta(hours=profile.notice_hours)
    first_day = local_today(now)
    last_day = first_day + datetime.timedelta(days=7 * profile.bookable_weeks - 1)
    return earliest, first_day, last_day


def free_slots(profiles, *, now=None):
    """{coach id: [Slot, …]} of the slots each coach of ``profiles`` offers now: from
    their notice period on, as many weeks ahead as they take bookings, less booked
    time. Four queries for any number of coaches."""
    now = now or timezone.now()
    profiles = list(profiles)
    if not profiles:
        return {}
    windows = {profile.user_id: bookable_window(profile, now) for profile in profiles}
    first_day = min(window[1] for window in windows.values())
    last_day = max(window[2] for window in windows.values())
    ids = list(windows)
    slots = all_slots(ids, first_day, last_day)
    range_begins = local_datetime(first_day, datetime.time())
    range_ends = local_datetime(last_day + datetime.timedelta(days=1), datetime.time())
    taken = taken_between(ids, range_begins, range_ends, now)
    answer = {}
    for coach_id, (earliest, _first, last) in windows.items():
        ends = local_datetime(last + datetime.timedelta(days=1), datetime.time())
        offered = [s for s in slots[coach_id] if s.begins_at >= earliest and s.begins_at < ends]
        answer[coach_id] = _without(offered, taken.get(coach_id, ()))
    return answer


def slot_of(profile, begins_at):
    """The slot of ``profile``'s coach that begins at ``begins_at``, booked or not, or
    None when the coach has no such slot."""
    day = begins_at.astimezone(CITY_TZ).date()
    candidates = all_slots([profile.user_id], day, day)
    for slot in candidates[profile.user_id]:
        if slot.begins_at == begins_at:
            return slot
    return None
