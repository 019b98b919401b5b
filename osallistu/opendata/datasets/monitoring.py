"""Monitoring of participation: the divisions' participation plans once their committee
has approved them, their goals, the committee reports made of them, and the figures of
the indicators as the monitoring pages show them, small cells suppressed."""

import django_filters
from django.core.cache import cache
from django.db.models import Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from osallistu.areas.models import Area
from osallistu.monitoring import selectors, settled
from osallistu.monitoring.indicators import INDICATORS
from osallistu.monitoring.models import Measure

from ..filters import WholeNumberFilter
from ..resources import Link, Resource, not_published, register
from ..serializers import LANGUAGE_CODES
from ..suppression import suppressed


def covering(queryset, name, value):
    """Plans whose years include ``value``."""
    return queryset.filter(first_year__lte=value, last_year__gte=value)


register(
    Resource(
        name="monitoring/plans",
        type="ParticipationPlan",
        title=_("Participation plans"),
        description=_(
            "The divisions' plans for participation over some years, as their committee "
            "approved them. Drafts are not published."
        ),
        queryset=selectors.public_plans,
        fields=("title", "committee", "first_year", "last_year", "approved_on"),
        links={"division": Link("divisions")},
        ordering=("division__position", "-first_year", "pk"),
        timestamps=("created_at",),
        filters={
            "division": django_filters.CharFilter(
                field_name="division__slug", label=_("Identifier of the division")
            ),
            "year": WholeNumberFilter(
                method=covering, max_value=9999, label=_("Only plans that cover this year.")
            ),
        },
        frequency="weekly",
    )
)

INDICATOR_CHOICES = [(indicator.key, indicator.title) for indicator in INDICATORS]

register(
    Resource(
        name="monitoring/goals",
        type="Goal",
        title=_("Goals of participation plans"),
        description=_(
            "What an approved plan aims at: an indicator's figure or its rate against the "
            "population, in the city or a district, reaching a target by the plan's end."
        ),
        queryset=selectors.public_goals,
        fields=("indicator", "measure", "target", "description"),
        links={"plan": Link("monitoring/plans"), "district": Link("areas")},
        ordering=("plan", "indicator", "pk"),
        filters={
            "plan": WholeNumberFilter(field_name="plan", label=_("Id of the plan")),
            "indicator": django_filters.ChoiceFilter(
                choices=INDICATOR_CHOICES, label=_("Indicator")
            ),
            "measure": django_filters.ChoiceFilter(choices=Measure.choices, label=_("Measured by")),
        },
        frequency="weekly",
    )
)


@extend_schema_field({"type": "array", "items": {"type": "object", "additionalProperties": True}})
class ReportFiguresField(serializers.Field):
    """The figures of a report as it was made, small cells already suppressed."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, report):
        return report.figures or []


@extend_schema_field({"type": "string", "format": "uri"})
class ReportPdfField(serializers.Field):
    """The address of the report's PDF on the site, in the report's language."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, report):
        with override(report.language):
            path = reverse("monitoring:report_public_pdf", kwargs={"pk": report.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


register(
    Resource(
        name="monitoring/reports",
        type="Report",
        title=_("Committee reports"),
        description=_(
            "Reports of approved participation plans for their committees, one per plan, "
            "period and language, with the figures as the report was made (fewer than 5 "
            "people suppressed) and staff's commentary. Reports still being made are not "
            "published, nor who asked for them."
        ),
        queryset=selectors.public_reports,
        fields=("period_start", "period_end", "language", "commentary", "scheduled", "made_at"),
        computed={
            "figures": lambda: ReportFiguresField(
                help_text=_("The report's figures per indicator, as the report was made.")
            ),
            "pdf": lambda: ReportPdfField(
                help_text=_("The report as the committee was given it: a tagged PDF.")
            ),
        },
        links={"plan": Link("monitoring/plans")},
        ordering=("-period_end", "plan", "language", "pk"),
        timestamps=("made_at",),
        filters={
            "plan": WholeNumberFilter(field_name="plan", label=_("Id of the plan")),
            "language": django_filters.ChoiceFilter(
                choices=[(code, code) for code in LANGUAGE_CODES], label=_("Language")
            ),
        },
        frequency="weekly",
    )
)


class FiguresYearFilter(WholeNumberFilter):
    """The year of the figures: an annotation the figures read, not a condition."""

    def filter(self, queryset, value):
        if value is None:
            return queryset
        return queryset.annotate(figures_year=Value(value))


def figures_of(area):
    """The public dashboard's figures of ``area`` (the city, or one district) for the
    year asked for, or the latest, as the API gives them: ``(year, years, indicators)``.
    Once per object however many fields read them, and kept in the shared cache for
    ``settled.LIVE_SECONDS``: every client asking within it gets the same figures."""
    if not hasattr(area, "monitoring_figures"):
        year = getattr(area, "figures_year", selectors.LATEST)
        key = f"opendata:monitoring-figures:{area.pk}:{year}"
        area.monitoring_figures = cache.get(key)
        if area.monitoring_figures is None:
            figures_list, years, shown = selectors.dashboard(
                year=year, district=None if area.is_city else area, public=True
            )
            area.monitoring_figures = (
                shown,
                years,
                [indicator_data(figures) for figures in figures_list],
            )
            cache.set(key, area.monitoring_figures, settled.LIVE_SECONDS)
    return area.monitoring_figures


CELL_SCHEMA = {
    "type": "object",
    "properties": {
        "group": {"type": "string"},
        "value": {"type": "number", "nullable": True},
        "people": {"type": "integer", "nullable": True},
        "count": {"type": "integer", "nullable": True},
        "population": {"type": "integer", "nullable": True},
        "rate": {"type": "number", "nullable": True},
        "index": {"type": "number", "nullable": True},
        "suppressed": {"type": "boolean"},
    },
}

INDICATOR_SCHEMA = {
    "type": "object",
    "properties": {
        "key": {"type": "string"},
        "title": {
            "type": "object",
            "properties": {code: {"type": "string"} for code in LANGUAGE_CODES},
        },
        "unit": {"type": "string"},
        "population_year": {"type": "integer", "nullable": True},
        "approximate": {"type": "boolean"},
        "total": CELL_SCHEMA,
        **{
            name: {"type": "array", "items": CELL_SCHEMA}
            for name in ("by_district", "by_age", "by_channel", "trend")
        },
    },
}


def cell_data(cell):
    return {
        "group": cell.key,
        "value": cell.value,
        "people": cell.people,
        "count": cell.count,
        # Residents of a group, as the population dataset publishes them.
        "population": suppressed(cell.population),
        "rate": cell.rate,
        "index": cell.index,
        "suppressed": cell.suppressed,
    }


def indicator_data(figures):
    indicator = figures.indicator
    title = {}
    for code in LANGUAGE_CODES:
        with override(code):
            title[code] = str(indicator.title)
    return {
        "key": indicator.key,
        "title": title,
        "unit": indicator.unit,
        "population_year": figures.population_year,
        "approximate": figures.approximate,
        "total": cell_data(figures.total),
        "by_district": [cell_data(cell) for cell in figures.by_district],
        "by_age": [cell_data(cell) for cell in figures.by_age],
        "by_channel": [cell_data(cell) for cell in figures.by_channel],
        "trend": [cell_data(cell) for cell in figures.trend],
    }


class FiguresField(serializers.Field):
    """One part of an area's figures (``figures_of``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, area):
        return self.part(*figures_of(area))


@extend_schema_field({"type": "integer", "nullable": True})
class YearField(FiguresField):
    def part(self, year, years, indicators):
        return year


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class YearsField(FiguresField):
    def part(self, year, years, indicators):
        return years


@extend_schema_field({"type": "array", "items": INDICATOR_SCHEMA})
class IndicatorsField(FiguresField):
    def part(self, year, years, indicators):
        return indicators


register(
    Resource(
        name="monitoring/figures",
        type="Observation",
        title=_("Figures of participation"),
        description=_(
            "The indicators of participation for the whole city and for each district, as "
            "the monitoring pages show them: participants in total, by district, age group "
            "and channel and by year, against the population. A figure of fewer than 5 "
            "people is null and marked suppressed, and so is the next smallest of its "
            "breakdown when it alone would give it away. The latest year with figures "
            "unless year is given."
        ),
        queryset=lambda: Area.objects.all(),
        fields=("slug",),
        translated=("name",),
        computed={
            "year": lambda: YearField(help_text=_("The year of the figures.")),
            "years": lambda: YearsField(help_text=_("Years that have figures.")),
            "indicators": lambda: IndicatorsField(
                help_text=_(
                    "Each indicator's total, breakdowns and trend by year; cells of fewer "
                    "than 5 people are null."
                ),
            ),
        },
        lookup="slug",
        ordering=("number",),
        filters={
            "year": FiguresYearFilter(
                min_value=1,
                max_value=9999,
                label=_("The year of the figures; the latest if not given."),
            )
        },
        frequency="daily",
    )
)

not_published(
    "monitoring.SettledFigures",
    "the unsuppressed rows behind the figures: published through monitoring/figures, "
    "small cells suppressed",
)
