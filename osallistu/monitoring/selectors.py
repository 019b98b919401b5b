"""Figures of the indicators: participants by district, age group and channel against
the population, trends by year and the representation of each group.

Each indicator's source is one aggregate query in its own app; the dashboard reads the
rows of settled years as they were kept (``settled``) and asks the sources only for the
years since; this module only arranges the aggregated rows (a few hundred at most), so
the number of queries of a page does not grow with the data. Public figures suppress
small cells (``suppression``); staff see every figure on screen, and every download is
suppressed.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import AgeGroup, Area
from osallistu.areas.selectors import population_by_age_group

from . import settled
from .indicators import INDICATORS, Unit
from .models import CommitteeReport, Goal, ParticipationPlan
from .suppression import suppress

NOT_KNOWN = _("not known")


@dataclass
class Cell:
    """One figure: ``value`` in the indicator's unit, ``people`` behind it (None when the
    figure is not about people), the population it is compared with, the rate (per cent
    of residents; hours per thousand residents) and the representation index."""

    key: str
    label: str
    value: float | None = 0
    people: int | None = 0
    count: int | None = None
    population: int | None = None
    rate: float | None = None
    index: float | None = None
    suppressed: bool = False

    def hide(self):
        self.suppressed = True
        self.value = self.people = self.count = self.rate = self.index = None


@dataclass
class Figures:
    indicator: object
    year: int | None
    district: Area | None
    total: Cell
    by_district: list = field(default_factory=list)
    by_age: list = field(default_factory=list)
    by_channel: list = field(default_factory=list)
    by_group: list = field(default_factory=list)
    trend: list = field(default_factory=list)
    population_year: int | None = None
    approximate: bool = False

    @property
    def has_rate(self):
        return self.indicator.min_age is not None

    def under_represented(self, limit=3):
        """The districts and age groups whose index is lowest, below 1, for coaches."""
        cells = [
            (kind, cell)
            for kind, cells in ((_("District"), self.by_district), (_("Age group"), self.by_age))
            for cell in cells
            if cell.index is not None and cell.index < 1
        ]
        return sorted(cells, key=lambda item: item[1].index)[:limit]


def _add(cell, indicator, row):
    if indicator.unit == Unit.SHARE:
        whole, part = indicator.share_keys
        cell.count = (cell.count or 0) + (row[whole] or 0)
        cell.value = (cell.value or 0) + (row[part] or 0)
    else:
        cell.value = round((cell.value or 0) + indicator.value_of(row), 1)
        people = indicator.people_of(row)
        cell.people = None if people is None else (cell.people or 0) + people


def _finish_share(cells):
    for cell in cells:
        on_time = cell.value or 0
        cell.value = round(100 * on_time / cell.count, 1) if cell.count else None
        cell.people = None


def _rate(indicator, value, population):
    if population in (None, 0) or value is None or indicator.min_age is None:
        return None
    if indicator.unit in (Unit.HOURS, Unit.COUNT):
        return round(1000 * value / population, 2)
    return round(100 * value / population, 2)


class PopulationYears:
    """The population figures of the indicator's ages, year by year."""

    def __init__(self, years):
        self.years = years

    def of(self, year):
        """The figures of ``year``, or of the latest year before it that has them."""
        known = [known for known in self.years if year is None or known <= year]
        return self.years[max(known)] if known else None


def load_population(indicator, cache):
    if indicator.min_age is None:
        return PopulationYears({})
    if indicator.min_age not in cache:
        cache[indicator.min_age] = population_by_age_group(min_age=indicator.min_age)
    return PopulationYears(cache[indicator.min_age])


def shows_groups(indicator, public):
    return indicator.group_label is not None and (indicator.group_public or not public)


def figures_for(
    indicator,
    *,
    rows,
    districts,
    year=None,
    district=None,
    public,
    population,
    group_rows=None,
    group_names=None,
):
    """The figures of ``indicator`` from its source's ``rows`` (every year): the year's
    (every year's when None) totals and breakdowns and the trend by year. ``group_rows``
    are those of the indicator's ``group_source`` when it has one; ``group_names`` names
    the rows' groups (``Indicator.group_names``)."""
    chosen = [row for row in rows if year is None or row["year"] == year]
    area = district or next((a for a in districts if a.is_city), None)
    counts = population.of(year if year is not None else _latest(rows))
    area_counts = counts.counts.get(area.pk, {}) if counts and area else {}

    total = Cell("total", str(_("Total")))
    for row in chosen:
        _add(total, indicator, row)

    by_district = []
    if district is None:
        cells = {a.pk: Cell(a.slug, a.name) for a in districts if not a.is_city}
        unknown = Cell("", str(NOT_KNOWN))
        for row in chosen:
            _add(cells.get(row["district"], unknown), indicator, row)
        by_district = [*cells.values(), unknown]
        for cell, area_id in zip(by_district, [*cells, None], strict=True):
            if counts and area_id is not None:
                cell.population = counts.counts.get(area_id, {}).get("all")

    by_age = []
    if indicator.by_age:
        groups = {group.value: Cell(group.value, str(group.label)) for group in AgeGroup}
        for row in chosen:
            _add(groups.get(row.get("age_group") or "", groups[""]), indicator, row)
        by_age = [*(groups[g.value] for g in AgeGroup.known()), groups[""]]
        for cell in by_age:
            cell.population = area_counts.get(cell.key) if cell.key else None

    by_channel = []
    if indicator.channels:
        channels = {value: Cell(value, str(label)) for value, label in indicator.channels}
        for row in chosen:
            if row.get("channel") in channels:
                _add(channels[row["channel"]], indicator, row)
        by_channel = list(channels.values())

    by_group = []
    if shows_groups(indicator, public):
        groups = {}
        for row in rows if group_rows is None else group_rows:
            if year is None or row["year"] == year:
                label = (group_names or {}).get(row.get("group")) or str(NOT_KNOWN)
                _add(groups.setdefault(label, Cell(label, label)), indicator, row)
        by_group = sorted(groups.values(), key=lambda cell: cell.label)

    trend = []
    for each_year in sorted({row["year"] for row in rows}):
        cell = Cell(str(each_year), str(each_year))
        for row in rows:
            if row["year"] == each_year:
                _add(cell, indicator, row)
        year_counts = population.of(each_year)
        if year_counts and area:
            cell.population = year_counts.counts.get(area.pk, {}).get("all")
        trend.append(cell)

    total.population = area_counts.get("all")
    if indicator.unit == Unit.SHARE:
        for cells in ([total], by_district, by_channel, by_group, trend):
            _finish_share(cells)
    else:
        for cell in [total, *by_district, *by_age, *trend]:
            cell.rate = _rate(indicator, cell.value, cell.population)
        _index(total, by_district)
        _index(total, by_age)
        if public:
            for cells in ([total], by_district, by_age, by_channel, by_group):
                suppress(cells)
            for cell in trend:
                suppress([cell])
    return Figures(
        indicator=indicator,
        year=year,
        district=district,
        total=total,
        by_district=by_district,
        by_age=by_age,
        by_channel=by_channel,
        by_group=by_group,
        trend=trend,
        population_year=counts.year if counts else None,
        approximate=bool(counts and counts.approximate),
    )


def _index(total, cells):
    """Representation index: a group's rate divided by the rate of all the groups whose
    population is known. 1 is its share of the population; below 1, under-represented."""
    known = [cell for cell in cells if cell.population]
    people = sum(cell.value or 0 for cell in known)
    residents = sum(cell.population for cell in known)
    if not people or not residents:
        return
    overall = people / residents
    for cell in known:
        cell.index = round((cell.value or 0) / cell.population / overall, 2)


def _latest(rows):
    return max((row["year"] for row in rows), default=None)


def years_of(rows):
    return sorted({row["year"] for row in rows}, reverse=True)


LATEST = "latest"


def dashboard(*, year=LATEST, district=None, public=True, indicators=None, today=None):
    """Figures of every indicator (or of ``indicators``) for ``year`` (None: every year;
    ``LATEST``: the latest year up to this one that has figures) and ``district``: the
    kept rows of the settled years in one query (``settled``), one query per indicator's
    source for the years since, one for the districts, one per age limit for the
    population and one per kind of group named. Returns ``(figures, years, year)``."""
    districts = list(Area.objects.all())
    chosen = indicators or INDICATORS
    # Indicators that share a source (feedback, coaches, volunteering) read it once.
    read = settled.reader(district=district, today=today)
    sources = [read(indicator.source) for indicator in chosen]
    years = sorted({row["year"] for rows in sources for row in rows}, reverse=True)
    if year == LATEST:
        # Bookings run ahead into next year; the figures of a year to come are not its own.
        this_year = timezone.localdate().year
        year = next((each for each in years if each <= this_year), years[0] if years else None)
    result = _figures_of(
        chosen, read, districts=districts, year=year, district=district, public=public
    )
    return result, years, year


def _reader(**arguments):
    """Reads each source once with ``arguments``."""
    read = {}

    def rows_of(source):
        if source not in read:
            read[source] = source(**arguments)
        return read[source]

    return rows_of


def _group_names(indicator, rows, group_rows, public, cache):
    """The names of the groups of ``indicator``'s rows, asked once per kind of group
    (indicators sharing a source share their groups)."""
    if indicator.group_names is None or not shows_groups(indicator, public):
        return None
    keys = frozenset(row.get("group") for row in (rows if group_rows is None else group_rows))
    asked = (indicator.group_names, keys)
    if asked not in cache:
        cache[asked] = indicator.group_names(keys - {None})
    return cache[asked]


def period_figures(*, since, until, year, district=None, public=True, indicators=None):
    """Figures of a period (datetimes ``since`` to ``until``) compared with the
    population of ``year``; the trend is the period's own years."""
    read = _reader(since=since, until=until, district=district)
    return _figures_of(
        indicators or INDICATORS,
        lambda source: [{**row, "year": year} for row in read(source)],
        districts=list(Area.objects.all()),
        year=year,
        district=district,
        public=public,
    )


def _figures_of(indicators, read, *, districts, year, district, public):
    """The figures of each of ``indicators`` from the rows that ``read`` gives for a
    source, with the population and the names of groups each asked once."""
    population = {}
    names = {}
    result = []
    for indicator in indicators:
        rows = read(indicator.source)
        group_rows = None
        if indicator.group_source is not None and shows_groups(indicator, public):
            group_rows = read(indicator.group_source)
        result.append(
            figures_for(
                indicator,
                rows=rows,
                districts=districts,
                year=year,
                district=district,
                public=public,
                population=load_population(indicator, population),
                group_rows=group_rows,
                group_names=_group_names(indicator, rows, group_rows, public, names),
            )
        )
    return result


def public_plans():
    """Plans their committee has approved: public documents. A plan without the date of
    its approval is a draft of the division's staff."""
    return ParticipationPlan.objects.filter(approved_on__isnull=False)


def public_goals():
    return Goal.objects.filter(plan__in=public_plans())


def public_reports():
    """Reports of approved plans made as the committee is given them; those still being
    made, or that could not be made, are not."""
    return CommitteeReport.objects.filter(
        state=CommitteeReport.State.READY, plan__in=public_plans()
    ).defer("pdf")
