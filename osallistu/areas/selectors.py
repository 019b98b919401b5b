"""Reads of areas: the district of a postal code, population figures and the number of
residents entitled to vote.

Lists of areas come from the QuerySet: ``Area.objects.districts()`` and ``.city()``.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from .models import (
    AgeGroup,
    Area,
    EntitledVoters,
    Gender,
    Population,
    PostalCode,
    age_group_for,
)

# Age at which a resident may vote in municipal elections.
VOTING_AGE = 18


def district_for_postal_code(code):
    """The major district of a postal code, or None when the code is not the city's."""
    postal_code = PostalCode.objects.select_related("district").filter(code=code).first()
    return postal_code.district if postal_code else None


def demographics_of(person, day):
    """``(district id, age group)`` of ``person`` on ``day``, as a participation keeps them:
    monitoring counts people as they were when they took part, and needs nothing else
    of them (no identity, no birth date)."""
    return person.district_id, age_group_for(person.age_on(day))


@dataclass(frozen=True)
class Figure:
    """A number of residents and where it comes from."""

    year: int
    count: int
    # Made of figures marked approximate (estimates, demo data).
    approximate: bool
    # For residents entitled to vote: the residents aged 18 and over stand in for the
    # electoral roll (which leaves out some foreign nationals and adds nobody).
    estimated: bool = False
    source: str = ""


def _bands(rows, *, age_from, age_to, gender):
    """The ``rows`` of one gender whose age band lies wholly in [age_from, age_to]."""
    rows = rows.filter(gender=gender, age_from__gte=age_from)
    if age_to is not None:
        rows = rows.filter(age_to__isnull=False, age_to__lte=age_to)
    return rows


def _latest(rows, year):
    """The total of ``rows`` in their latest year up to ``year`` (any when None)."""
    if year is not None:
        rows = rows.filter(year__lte=year)
    latest = (
        rows.values("year")
        # A count of the approximate rows: MAX over booleans is not portable.
        .annotate(count=Sum("count"), approximate=Count("pk", filter=Q(approximate=True)))
        .order_by("-year")
        .first()
    )
    if latest is None:
        return None
    return Figure(
        year=latest["year"], count=latest["count"], approximate=bool(latest["approximate"])
    )


def population(*, area, year=None, age_from=0, age_to=None, gender=Gender.ALL):
    """Residents of ``area`` aged ``age_from`` to ``age_to`` (None: and over) of one
    gender ("" is everyone) in the latest year up to ``year`` (any year when None) that
    has figures for them; None when there are none. One query.

    Bands count when they lie wholly inside the ages asked for, so load bands that
    start and end where the questions asked of them do (18 for voters).
    """
    rows = _bands(
        Population.objects.filter(area=area), age_from=age_from, age_to=age_to, gender=gender
    )
    return _latest(rows, year)


def residents_by_area(*, year=None):
    """``{area id: Figure}``: the residents of every area, all ages, in the latest year
    up to ``year`` (any year when None) that has figures for the area. One query; the
    table is small (years × areas × bands)."""
    rows = Population.objects.filter(gender=Gender.ALL)
    if year is not None:
        rows = rows.filter(year__lte=year)
    totals = (
        rows.values("area", "year")
        .annotate(count=Sum("count"), approximate=Count("pk", filter=Q(approximate=True)))
        .order_by("area", "-year")
    )
    result = {}
    for row in totals:
        if row["area"] not in result:
            result[row["area"]] = Figure(
                year=row["year"], count=row["count"], approximate=bool(row["approximate"])
            )
    return result


def population_years(area=None):
    """The years that have population figures (of ``area`` when given), newest first."""
    rows = Population.objects.all() if area is None else Population.objects.filter(area=area)
    return list(rows.values_list("year", flat=True).distinct().order_by("-year"))


def entitled_voters(*, year):
    """Residents of the city entitled to vote in municipal elections, as known for the
    latest year up to ``year``: the electoral roll's figure where staff have set one,
    otherwise the residents aged 18 and over, an estimate (``Figure.estimated``). None
    when neither is known. Two queries."""
    roll = EntitledVoters.objects.filter(year__lte=year).order_by("-year").first()
    city = Population.objects.filter(area__kind=Area.Kind.CITY)
    adults = _latest(_bands(city, age_from=VOTING_AGE, age_to=None, gender=Gender.ALL), year)
    if roll is not None and (adults is None or roll.year >= adults.year):
        return Figure(year=roll.year, count=roll.count, approximate=False, source=roll.source)
    if adults is None:
        return None
    return Figure(
        year=adults.year, count=adults.count, approximate=adults.approximate, estimated=True
    )


def postal_code(code):
    """The city's postal code ``code`` with its district, or None."""
    return PostalCode.objects.select_related("district").filter(code=code).first()


@dataclass(frozen=True)
class PopulationByGroup:
    """Residents of one year by area and age group, from ``min_age`` up: ``counts[area
    id][age group value]``, and ``"all"`` for every age from ``min_age``. A count is None
    when the year's age bands do not fit the group (a band crosses its limits)."""

    year: int
    approximate: bool
    counts: dict


def population_by_age_group(*, min_age=0):
    """``{year: PopulationByGroup}`` for every year that has figures for everyone (not
    by gender). One query over the population table, which is small (years × areas ×
    ages), grouped here into the age groups."""
    rows = Population.objects.filter(gender=Gender.ALL).values_list(
        "year", "area", "age_from", "age_to", "count", "approximate"
    )
    bands = {}
    approximate = {}
    for year, area, age_from, age_to, count, estimate in rows:
        bands.setdefault(year, {}).setdefault(area, []).append((age_from, age_to, count))
        approximate[year] = approximate.get(year, False) or estimate
    limits = [(group.value, *group.bounds) for group in AgeGroup.known()]
    limits.append(("all", 0, None))
    result = {}
    for year, areas in bands.items():
        counts = {}
        for area, area_bands in areas.items():
            counts[area] = {
                key: _sum_bands(area_bands, max(youngest, min_age), oldest)
                if oldest is None or oldest >= min_age
                else None
                for key, youngest, oldest in limits
            }
        result[year] = PopulationByGroup(year=year, approximate=approximate[year], counts=counts)
    return result


def _sum_bands(bands, youngest, oldest):
    """Residents aged ``youngest``–``oldest`` (None: and over); None when a band crosses
    either limit, so that only exact figures are given."""
    total = 0
    for age_from, age_to, count in bands:
        ends = 10_000 if age_to is None else age_to
        if age_from >= youngest and (oldest is None or ends <= oldest):
            total += count
        elif age_from < youngest <= ends or (oldest is not None and age_from <= oldest < ends):
            return None
    return total
