"""Reads of volunteering: the search, an opportunity with its shifts, a volunteer's
sign-ups and hours, an organiser's work, staff's queues, and figures for monitoring.

The search answers in a fixed number of queries however many opportunities and shifts
there are: the matching upcoming shifts grouped by opportunity (one query for the
count, one for the page, places left and the next shift computed by the database),
then the page's opportunities with their themes and languages.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from osallistu.areas.models import AgeGroup, Area

from .models import (
    ACTIVE,
    HOLDING,
    Opportunity,
    Organiser,
    Shift,
    SignUp,
    Talkoot,
    Theme,
)

CITY_TZ = ZoneInfo(settings.TIME_ZONE)
KM_PER_DEGREE = 111.32


def local_datetime(day, time):
    return datetime.datetime.combine(day, time, tzinfo=CITY_TZ)


def day_start(day):
    return local_datetime(day, datetime.time())


# ---------------------------------------------------------------------------- search


@dataclass
class Result:
    opportunity: Opportunity
    next_starts_at: datetime.datetime
    places_left: int
    shifts: int
    distance_km: float | None = None


@dataclass
class Found:
    total: int
    results: list[Result]
    more: bool = False
    """True when more opportunities match than ``total`` counts (see ``search``)."""


# How many matching shifts the search reads in time order to find the soonest
# opportunities; more for later pages.
SCAN_SHIFTS = 200
SCAN_NEARBY = 200
SCAN_PER_RESULT = 10


def _shift_stats(shift_filter, opportunity_ids):
    """{opportunity id: next start, places left, shift count} over matching shifts."""
    if not opportunity_ids:
        return {}
    return {
        row["opportunity_id"]: row
        for row in Shift.objects.filter(shift_filter, opportunity_id__in=opportunity_ids)
        .values("opportunity_id")
        .annotate(
            next_starts_at=Min("starts_at"),
            places_left=Sum(F("capacity") - F("taken")),
            shift_count=Count("id"),
        )
        .order_by()
    }


def _opportunity_filter(*, district, themes, language, under_18, age, accessible, remote, kind):
    """Public opportunities that match the search's fixed criteria."""
    found = Opportunity.objects.public()
    if district is not None:
        found = found.filter(district_id=getattr(district, "pk", district))
    if themes:
        ids = [getattr(theme, "pk", theme) for theme in themes]
        found = found.filter(
            Exists(
                Opportunity.themes.through.objects.filter(
                    opportunity_id=OuterRef("pk"), theme_id__in=ids
                )
            )
        )
    if language is not None:
        found = found.filter(
            Exists(
                Opportunity.languages.through.objects.filter(
                    opportunity_id=OuterRef("pk"), language_id=getattr(language, "pk", language)
                )
            )
        )
    if under_18:
        found = found.filter(under_18_allowed=True)
    if age is not None and age < 18:
        found = found.filter(under_18_allowed=True, youth_min_age__lte=age)
    if accessible:
        found = found.filter(accessible=True)
    if remote:
        found = found.filter(remote=True)
    if kind:
        found = found.filter(kind=kind)
    return found


def search(
    *,
    now,
    district=None,
    date_from=None,
    date_to=None,
    themes=(),
    language=None,
    under_18=False,
    age=None,
    accessible=False,
    remote=False,
    kind=None,
    near=None,
    radius_km=5,
    offset=0,
    limit=20,
):
    """Public opportunities with upcoming open shifts that match, soonest first (or
    nearest first with ``near``, a (latitude, longitude)). Each result has the places
    left on its matching shifts and their number. ``themes`` match any of them.

    Soonest first reads the first matching shifts in time order (an index scan that
    stops early) and keeps each opportunity's first: the order is exact. Nearest
    first reads the nearest opportunities in the distance's square and keeps those
    with matching shifts. The total is exact when everything that matched was read;
    otherwise ``more`` says that there are more than ``total`` (a later page reads
    further). Five queries at most, none of which groups every upcoming shift of the
    city.
    """
    opportunities = _opportunity_filter(
        district=district,
        themes=themes,
        language=language,
        under_18=under_18,
        age=age,
        accessible=accessible,
        remote=remote,
        kind=kind,
    )
    shift_filter = Q(status=Shift.Status.OPEN, starts_at__gt=now)
    if date_from is not None:
        shift_filter &= Q(starts_at__gte=day_start(date_from))
    if date_to is not None:
        shift_filter &= Q(starts_at__lt=day_start(date_to + datetime.timedelta(days=1)))
    distances = {}
    if near is None:
        scan = SCAN_SHIFTS + (offset + limit) * SCAN_PER_RESULT
        rows = list(
            Shift.objects.filter(shift_filter, opportunity__in=opportunities.values("pk"))
            .order_by("starts_at", "id")
            .values_list("opportunity_id", flat=True)[:scan]
        )
        ordered = list(dict.fromkeys(rows))
        page_ids = ordered[offset : offset + limit]
        stats = _shift_stats(shift_filter, page_ids)
    else:
        scan = SCAN_NEARBY + (offset + limit) * SCAN_PER_RESULT
        latitude, longitude = (float(value) for value in near)
        scale = math.cos(math.radians(latitude))
        lat_span = radius_km / KM_PER_DEGREE
        lon_span = lat_span / max(scale, 0.01)
        distance = ExpressionWrapper(
            (F("latitude") - Value(latitude)) ** 2
            + ((F("longitude") - Value(longitude)) * Value(scale)) ** 2,
            output_field=FloatField(),
        )
        rows = list(
            opportunities.filter(
                latitude__range=(latitude - lat_span, latitude + lat_span),
                longitude__range=(longitude - lon_span, longitude + lon_span),
            )
            .annotate(distance=distance)
            .order_by("distance", "pk")
            .values_list("pk", "distance")[:scan]
        )
        stats = _shift_stats(shift_filter, [pk for pk, _distance in rows])
        ordered = [pk for pk, _distance in rows if pk in stats]
        page_ids = ordered[offset : offset + limit]
        distances = {pk: math.sqrt(value) * KM_PER_DEGREE for pk, value in rows}
    more = len(rows) == scan
    total = len(ordered)
    if not page_ids:
        return Found(total=total, results=[], more=more)
    found = (
        Opportunity.objects.select_related("organiser", "district")
        .prefetch_related("themes", "languages")
        .in_bulk(page_ids)
    )
    results = [
        Result(
            opportunity=found[pk],
            next_starts_at=stats[pk]["next_starts_at"],
            places_left=stats[pk]["places_left"],
            shifts=stats[pk]["shift_count"],
            distance_km=distances.get(pk),
        )
        for pk in page_ids
        if pk in stats and pk in found
    ]
    return Found(total=total, results=results, more=more)


def public_opportunity(pk):
    return (
        Opportunity.objects.public()
        .select_related("organiser", "district")
        .prefetch_related("themes", "languages")
        .filter(pk=pk)
        .first()
    )


def upcoming_shifts(opportunity, now):
    return list(opportunity.shifts.open().upcoming(now).order_by("starts_at", "id")[:200])


def own_signups_on(user, shifts):
    """{shift id: the user's active sign-up} for ``shifts``."""
    if not user.is_authenticated:
        return {}
    return {
        signup.shift_id: signup
        for signup in SignUp.objects.active().filter(volunteer=user, shift__in=shifts)
    }


def waiting_position(signup):
    """1 for the first on the waiting list."""
    return (
        SignUp.objects.filter(shift_id=signup.shift_id, status=SignUp.Status.WAITING)
        .filter(
            Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lt=signup.pk)
        )
        .count()
        + 1
    )


def public_shift(pk):
    return (
        Shift.objects.filter(
            pk=pk,
            opportunity__status=Opportunity.Status.PUBLISHED,
            opportunity__organiser__status=Organiser.Status.VERIFIED,
        )
        .select_related("opportunity", "opportunity__organiser")
        .first()
    )


# ---------------------------------------------------------------------------- volunteers


def signups_of(user):
    return SignUp.objects.filter(volunteer=user).select_related(
        "shift", "shift__opportunity", "shift__opportunity__organiser"
    )


def signup_of(user, pk):
    return signups_of(user).filter(pk=pk).first()


@dataclass
class History:
    upcoming: list
    past: list
    confirmed_hours: Decimal
    confirmed_shifts: int


def history_of(user, now):
    """A volunteer's active sign-ups still to come, and their past shifts with the
    attendance and hours the organisers confirmed."""
    signups = list(signups_of(user).order_by("shift__starts_at", "id"))
    upcoming = [s for s in signups if s.status in ACTIVE and s.shift.ends_at > now]
    past = [
        s
        for s in reversed(signups)
        if s.shift.starts_at <= now and s.status == SignUp.Status.CONFIRMED
    ]
    attended = [s for s in past if s.attendance == SignUp.Attendance.ATTENDED]
    return History(
        upcoming=upcoming,
        past=past,
        confirmed_hours=sum((s.hours for s in attended), Decimal(0)),
        confirmed_shifts=len(attended),
    )


def confirmed_hours_of(user):
    """The rows of a certificate: attended shifts with the hours organisers confirmed,
    oldest first."""
    return list(
        signups_of(user)
        .filter(status=SignUp.Status.CONFIRMED, attendance=SignUp.Attendance.ATTENDED)
        .order_by("shift__starts_at", "id")
    )


# ---------------------------------------------------------------------------- organisers


def organisers_of(user):
    if not user.is_authenticated:
        return Organiser.objects.none()
    return Organiser.objects.filter(memberships__user=user).order_by("name")


def managed_organiser(user, slug):
    return organisers_of(user).filter(slug=slug).first()


def managed_opportunity(user, pk):
    return (
        Opportunity.objects.filter(pk=pk, organiser__memberships__user=user)
        .select_related("organiser", "district")
        .first()
    )


def managed_shift(user, pk):
    return (
        Shift.objects.filter(pk=pk, opportunity__organiser__memberships__user=user)
        .select_related("opportunity", "opportunity__organiser")
        .first()
    )


def managed_signup(user, pk):
    return (
        SignUp.objects.filter(pk=pk, shift__opportunity__organiser__memberships__user=user)
        .select_related("shift", "shift__opportunity")
        .first()
    )


def shifts_of(opportunity):
    return opportunity.shifts.order_by("-starts_at", "id")


def roster(shift):
    """Everyone on a shift: holding places first, then the waiting list in its order,
    then the cancelled."""
    order = Case(
        When(status__in=HOLDING, then=Value(0)),
        When(status=SignUp.Status.WAITING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        shift.signups.select_related("volunteer")
        .annotate(group=order)
        .order_by("group", "created_at", "id")
    )


def public_organiser(slug):
    return Organiser.objects.verified().filter(slug=slug).first()


def public_opportunities_of(organiser):
    return organiser.opportunities.filter(status=Opportunity.Status.PUBLISHED).order_by(
        "-published_at"
    )


# ---------------------------------------------------------------------------- talkoot


def approved_talkoot(today, district=None):
    found = Talkoot.objects.filter(status=Talkoot.Status.APPROVED, ends_on__gte=today)
    if district is not None:
        found = found.filter(district=district)
    return found.select_related("district").order_by("starts_on", "id")


def talkoot_of(user):
    return Talkoot.objects.filter(proposer=user).select_related("district").order_by("-created_at")


def visible_talkoot(user, pk):
    """An approved talkoot, or the user's own in any state."""
    found = Talkoot.objects.filter(pk=pk).select_related("district", "proposer").first()
    if found is None:
        return None
    if found.status == Talkoot.Status.APPROVED or found.proposer_id == getattr(user, "pk", None):
        return found
    return None


# ---------------------------------------------------------------------------- staff


def organisers_waiting(district_ids):
    """Organisers waiting for verification, oldest first; ``district_ids`` None for all."""
    found = Organiser.objects.filter(status=Organiser.Status.PENDING)
    if district_ids is not None:
        found = found.filter(district_id__in=district_ids)
    return found.select_related("district", "created_by").order_by("created_at", "id")


def organisers_for_staff(district_ids):
    found = Organiser.objects.all()
    if district_ids is not None:
        found = found.filter(district_id__in=district_ids)
    return found.select_related("district")


def talkoot_waiting(district_ids):
    found = Talkoot.objects.filter(status=Talkoot.Status.WAITING)
    if district_ids is not None:
        found = found.filter(district_id__in=district_ids)
    return found.select_related("district", "proposer").order_by("starts_on", "id")


def talkoot_for_staff(district_ids):
    found = Talkoot.objects.all()
    if district_ids is not None:
        found = found.filter(district_id__in=district_ids)
    return found.select_related("district", "proposer", "decided_by")


# ---------------------------------------------------------------------------- monitoring

# The platform's age groups, as monitoring and the population figures group people.
AGE_GROUPS = AgeGroup.known()


@dataclass
class FigureRow:
    key: object  # an Area, Theme, Organiser, AgeGroup, or None
    label: str
    volunteers: int
    signups: int
    shifts: int
    hours: Decimal


@dataclass
class Figures:
    first_day: datetime.date
    last_day: datetime.date
    volunteers: int
    shifts: int
    signups: int
    hours: Decimal
    by_district: list[FigureRow]
    by_theme: list[FigureRow]
    by_age_group: list[FigureRow]
    by_organiser: list[FigureRow]


def figures(*, first_day, last_day):
    """Volunteers, shifts and confirmed hours of the shifts that begin between
    ``first_day`` and ``last_day`` (inclusive, the city's dates), for monitoring.

    A volunteer is a person with a confirmed place; hours are those the organisers
    confirmed. Shifts count the open shifts held. By district (the opportunity's;
    None for remote and city-wide ones), theme (an opportunity with several themes
    counts in each), age group (at the shift, as told at sign-up) and organiser.
    A fixed number of grouped queries.
    """
    begins = day_start(first_day)
    ends = day_start(last_day + datetime.timedelta(days=1))
    shifts = Shift.objects.filter(
        status=Shift.Status.OPEN, starts_at__gte=begins, starts_at__lt=ends
    )
    confirmed = SignUp.objects.filter(
        status=SignUp.Status.CONFIRMED, shift__in=shifts.values("pk")
    ).order_by()
    hours = Sum("hours", filter=Q(attendance=SignUp.Attendance.ATTENDED))
    # A removed volunteer's sign-ups share one random key instead of the account.
    volunteers = Count("volunteer", distinct=True) + Count("removed_volunteer", distinct=True)
    measures = {
        "volunteers": volunteers,
        "signups": Count("id"),
        "shift_total": Count("shift", distinct=True),
        "hour_total": hours,
    }

    def grouped(key, objects=None, labels=None):
        rows = []
        for row in confirmed.values(key).annotate(**measures):
            value = row[key]
            target = objects.get(value) if objects is not None else value
            label = labels(value) if labels else (str(target) if target is not None else "")
            rows.append(
                FigureRow(
                    key=target,
                    label=label,
                    volunteers=row["volunteers"],
                    signups=row["signups"],
                    shifts=row["shift_total"],
                    hours=row["hour_total"] or Decimal(0),
                )
            )
        return sorted(rows, key=lambda row: (-row.hours, -row.volunteers, row.label))

    totals = confirmed.aggregate(volunteers=volunteers, hours=hours)
    age_case = Case(
        *[
            When(
                Q(age__gte=group.bounds[0])
                & (Q(age__lte=group.bounds[1]) if group.bounds[1] is not None else Q()),
                then=Value(index),
            )
            for index, group in enumerate(AGE_GROUPS)
        ],
        output_field=IntegerField(),
    )
    confirmed_by_age = confirmed.annotate(age_group=age_case)
    by_age = {
        row["age_group"]: row for row in confirmed_by_age.values("age_group").annotate(**measures)
    }
    by_age_group = [
        FigureRow(
            key=group,
            label=str(group.label),
            volunteers=by_age.get(index, {}).get("volunteers", 0),
            signups=by_age.get(index, {}).get("signups", 0),
            shifts=by_age.get(index, {}).get("shift_total", 0),
            hours=by_age.get(index, {}).get("hour_total") or Decimal(0),
        )
        for index, group in enumerate(AGE_GROUPS)
    ]
    return Figures(
        first_day=first_day,
        last_day=last_day,
        volunteers=totals["volunteers"],
        shifts=shifts.count(),
        signups=confirmed.count(),
        hours=totals["hours"] or Decimal(0),
        by_district=grouped("shift__opportunity__district", Area.objects.in_bulk(), None),
        by_theme=grouped("shift__opportunity__themes", Theme.objects.in_bulk()),
        by_age_group=by_age_group,
        by_organiser=grouped("shift__opportunity__organiser", Organiser.objects.in_bulk()),
    )


def _confirmed_places(*, since, until, district):
    """Confirmed places on the open shifts that begin between ``since`` and ``until``
    (datetimes; None: open) of opportunities in ``district``."""
    rows = SignUp.objects.filter(status=SignUp.Status.CONFIRMED, shift__status=Shift.Status.OPEN)
    if since is not None:
        rows = rows.filter(shift__starts_at__gte=since)
    if until is not None:
        rows = rows.filter(shift__starts_at__lt=until)
    if district is not None:
        rows = rows.filter(shift__opportunity__district=district)
    return rows.annotate(year=ExtractYear("shift__starts_at")).order_by()


VOLUNTEER_MEASURES = {
    "people": Count("volunteer", distinct=True),
    "hours": Sum("hours", filter=Q(attendance=SignUp.Attendance.ATTENDED)),
}


def volunteers_by_group(*, since=None, until=None, district=None):
    """Volunteers for monitoring: ``[{year, district, age_group, people, hours}]`` by
    the year the shift begins, the opportunity's district (None: remote or city-wide)
    and the volunteer's age group at the shift (as told at sign-up). ``people`` are
    different volunteers with a confirmed place, ``hours`` those the organisers
    confirmed, as in ``figures``. One query; no names."""
    age_group = Case(
        *[
            When(
                Q(age__gte=group.bounds[0])
                & (Q(age__lte=group.bounds[1]) if group.bounds[1] is not None else Q()),
                then=Value(group.value),
            )
            for group in AGE_GROUPS
        ],
        default=Value(""),
        output_field=CharField(),
    )
    return list(
        _confirmed_places(since=since, until=until, district=district)
        .annotate(age_group=age_group)
        .values("year", "age_group", district=F("shift__opportunity__district"))
        .annotate(**VOLUNTEER_MEASURES)
    )


def volunteers_by_theme(*, since=None, until=None, district=None):
    """Volunteers by theme: ``[{year, group, people, hours}]``, ``group`` the theme's id
    (``theme_names``); an opportunity with several themes counts in each. One query."""
    return list(
        _confirmed_places(since=since, until=until, district=district)
        .filter(shift__opportunity__themes__isnull=False)
        .values("year", group=F("shift__opportunity__themes"))
        .annotate(**VOLUNTEER_MEASURES)
    )


def theme_names(keys):
    """The names of the themes ``keys`` (``volunteers_by_theme``'s groups), in the
    language of the page."""
    return {theme.pk: theme.name for theme in Theme.objects.filter(pk__in=keys)}


def places_by_group(*, since=None, until=None, district=None):
    """Places on the open shifts for monitoring: ``[{year, district, places, filled}]``
    by the year the shift begins and the opportunity's district: the places offered
    and those taken by confirmed volunteers. One query."""
    shifts = Shift.objects.filter(status=Shift.Status.OPEN)
    if since is not None:
        shifts = shifts.filter(starts_at__gte=since)
    if until is not None:
        shifts = shifts.filter(starts_at__lt=until)
    if district is not None:
        shifts = shifts.filter(opportunity__district=district)
    return list(
        shifts.annotate(year=ExtractYear("starts_at"))
        .values("year", district=F("opportunity__district"))
        .annotate(places=Sum("capacity"), filled=Sum("taken"))
        .order_by()
    )
