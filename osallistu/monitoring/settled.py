"""Settled years: when a year's figures no longer change, and how its stored rows
(``SettledFigures``) are read together with the live rows of the years after it.

A year is settled once SETTLING_MONTHS full months have passed since it ended (in the
city's time). What can still change a year's figures after it ended, source by source:

- bookings run ahead into the next year, but a booking counts in the year its time
  begins, and it is confirmed or denied before that: the year is final on 1 January;
- feedback counts as due, and as answered on time, within the week promised after it
  was sent: December's feedback is final in the second week of January, however late
  it is handled;
- initiatives count in the year the city decided them, however many months the answer
  took, and paper support lists in the year they were confirmed: final when recorded;
- organisers confirm volunteers' attendance and hours, coaches record who came to
  their events and mark meetings held, and staff enter paper ballots, in the days or
  weeks after.

Three months cover all of these with a margin, and stay well inside the shortest
retention that takes people out of the counts (a year, e.g. volunteers' sign-ups), so
the stored year is what it was. What a deleted account or a retention rule changes
later in the records does not change a stored year: it is the snapshot the issue asks
for. Years after the last settled one are always counted live, so a store that is
stale or ahead never shows an unsettled year.
"""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from .indicators import INDICATORS
from .models import SettledFigures

SETTLING_MONTHS = 3
# The live rows of the years since the last settled one are counted again after this
# many seconds: a page, a download and the open data API asked within it share them.
LIVE_SECONDS = 300


def last_settled_year(today=None):
    """The latest year whose figures are settled on ``today`` (the city's date)."""
    today = today or timezone.localdate()
    return today.year - 1 if today.month > SETTLING_MONTHS else today.year - 2


def year_start(year):
    """The first moment of ``year`` in the city's time, as the sources' ``since``."""
    return timezone.make_aware(datetime.datetime(year, 1, 1))


def sources():
    """Every source the indicators read, each once, in the indicators' order."""
    found = []
    for indicator in INDICATORS:
        for source in (indicator.source, indicator.group_source):
            if source is not None and source not in found:
                found.append(source)
    return found


def source_name(source):
    return f"{source.__module__}.{source.__name__}"


# JSON holds neither durations (booked time) nor decimals (volunteering hours); they are
# kept exactly, so that a stored row equals the live one.
def encode(rows):
    return [{key: _encoded(value) for key, value in row.items()} for row in rows]


def _encoded(value):
    if isinstance(value, datetime.timedelta):
        return {"microseconds": value // datetime.timedelta(microseconds=1)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def decode(rows):
    return [{key: _decoded(value) for key, value in row.items()} for row in rows]


def _decoded(value):
    if isinstance(value, dict):
        if "microseconds" in value:
            return datetime.timedelta(microseconds=value["microseconds"])
        return Decimal(value["decimal"])
    return value


def stored_through(years, last):
    """The last year up to ``last`` to which ``years`` (stored years of one source and
    scope) run without a gap from their first; None when none is stored."""
    through = None
    for year in sorted(year for year in years if year <= last):
        if through is not None and year != through + 1:
            break
        through = year
    return through


def live_key(source, district, since_year):
    """The shared cache's key of ``source``'s live rows for ``district`` (None: the whole
    city) from ``since_year`` (None: every year)."""
    scope = "city" if district is None else district.pk
    return f"monitoring:live:{source_name(source)}:{scope}:{since_year or 'all'}"


def reader(*, district=None, today=None):
    """Reads each source once for ``district`` (None: the whole city), every year: the
    stored rows of its settled years and the live rows since the first year not stored.
    The stored rows of every source come in one query, on the first read, and so do the
    live rows counted in the last LIVE_SECONDS (from the shared cache); a source
    without them is counted and its rows kept there."""
    last = last_settled_year(today)
    stored = None
    recent = None
    read = {}

    def first_live_year(source):
        through = stored_through(stored.get(source_name(source), {}), last)
        return None if through is None else through + 1

    def rows_of(source):
        nonlocal stored, recent
        if stored is None:
            stored = {}
            kept = SettledFigures.objects.filter(district=district, year__lte=last)
            for name, year, rows in kept.values_list("source", "year", "rows"):
                stored.setdefault(name, {})[year] = rows
            recent = cache.get_many(
                [live_key(each, district, first_live_year(each)) for each in sources()]
            )
        if source not in read:
            since_year = first_live_year(source)
            key = live_key(source, district, since_year)
            if key in recent:
                live = recent[key]
            else:
                since = None if since_year is None else year_start(since_year)
                live = source(since=since, district=district)
                cache.set(key, live, LIVE_SECONDS)
            years = stored.get(source_name(source), {})
            settled = [
                row
                for year in sorted(years)
                if since_year is not None and year < since_year
                for row in decode(years[year])
            ]
            read[source] = settled + live
        return read[source]

    return rows_of
