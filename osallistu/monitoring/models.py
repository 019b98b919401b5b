"""Participation plans of the city's divisions and the reports made of them for their
committees, and the figures of settled years. The figures are counted from each app's
records (``selectors``); once a year is settled its aggregated rows are kept
(``SettledFigures``), so that the dashboard does not count every past year again and a
past figure stays as it was. A report keeps the files it was made as, so the archive
shows what the committee was given."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import Division
from osallistu.areas.models import Area

from .indicators import INDICATORS


class ParticipationPlan(models.Model):
    """A division's plan for participation over some years, with goals, as its
    committee approved it."""

    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="participation_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    committee = models.CharField(
        _("committee"), max_length=200, help_text=_("The committee the plan is reported to.")
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    approved_on = models.DateField(
        _("approved by the committee on"),
        null=True,
        blank=True,
        help_text=_(
            "Empty while the plan is a draft; quarterly reports are made of approved plans."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("participation plan")
        verbose_name_plural = _("participation plans")
        ordering = ["division__name", "-first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="plan_years_in_order",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
            models.UniqueConstraint(
                fields=["division", "first_year"],
                name="plan_one_per_division_and_start",
                violation_error_message=_("The division already has a plan starting that year."),
            ),
        ]

    def __str__(self):
        return f"{self.division}: {self.title} {self.first_year}–{self.last_year}"


class Measure(models.TextChoices):
    VALUE = "value", _("the figure itself")
    RATE = "rate", _("the rate against the population")


class Goal(models.Model):
    """What the plan aims at: an indicator's figure or rate, in the city or a district,
    reaching a target by the end of the plan."""

    plan = models.ForeignKey(
        ParticipationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    indicator = models.CharField(
        _("indicator"),
        max_length=40,
        choices=[(indicator.key, indicator.title) for indicator in INDICATORS],
    )
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
        help_text=_("Empty for the whole city."),
    )
    measure = models.CharField(
        _("measured by"), max_length=10, choices=Measure.choices, default=Measure.VALUE
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    description = models.CharField(_("what the goal is for"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "indicator", "district__number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="goal_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_indicator_display()}: {self.target}"


class CommitteeReport(models.Model):
    """A report of one plan for one period, in one language: made by a background job,
    then kept as it was made (PDF and the figures behind it)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("could not be made")

    plan = models.ForeignKey(
        ParticipationPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    commentary = models.TextField(_("staff commentary"), max_length=10000, blank=True)
    scheduled = models.BooleanField(_("made on schedule"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    # The figures as the report was made (suppressed), for its CSV and XLSX.
    figures = models.JSONField(_("figures"), null=True, editable=False)

    class Meta:
        verbose_name = _("committee report")
        verbose_name_plural = _("committee reports")
        ordering = ["-period_end", "plan", "language"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=~Q(state="ready") | (Q(pdf__isnull=False) & Q(figures__isnull=False)),
                name="report_ready_has_files",
            ),
            models.UniqueConstraint(
                fields=["plan", "period_start", "period_end", "language"],
                condition=Q(scheduled=True),
                name="report_scheduled_once",
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.period_start}–{self.period_end} ({self.language})"


class SettledFigures(models.Model):
    """The rows one indicator source (``source(since=, until=, district=)``) answered for
    one settled year (``settled``) and one scope: the whole city (no district) or one
    district.

    One row per source, year and scope, holding the source's aggregated rows exactly as
    it answered them (a few dozen; no person, no name: groups are kept as keys and named
    when shown). Kept per scope rather than filtered from the city's rows: a district's
    dashboard reads its own rows with one query, and no source has to carry a district
    on its rows (volunteers by theme do not), so the stored rows are the live rows,
    which the tests compare. Kept per year rather than per aggregated cell: the sources'
    rows differ in their measures, and a year is written and read whole."""

    source = models.CharField(_("source"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole city."),
    )
    rows = models.JSONField(_("rows"), default=list)
    stored_at = models.DateTimeField(_("stored at"), default=timezone.now)

    class Meta:
        verbose_name = _("figures of a settled year")
        verbose_name_plural = _("figures of settled years")
        ordering = ["source", "year", "district"]
        constraints = [
            # Two partial constraints, as a NULL district would not collide with itself.
            models.UniqueConstraint(
                fields=["source", "year"],
                condition=Q(district__isnull=True),
                name="settled_figures_once_for_city",
            ),
            models.UniqueConstraint(
                fields=["source", "year", "district"],
                condition=Q(district__isnull=False),
                name="settled_figures_once_for_district",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.year} ({self.district or '-'})"
