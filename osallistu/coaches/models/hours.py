from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .common import Place, Weekday

SLOT_MINUTES_MIN = 10
SLOT_MINUTES_MAX = 240


class OfficeHours(models.Model):
    """A coach's weekly office hours: on ``weekday`` from ``begins`` to ``ends``
    (wall-clock time in Helsinki) at ``place``, cut into bookable slots of
    ``slot_minutes``, from ``valid_from`` until ``valid_until`` (open-ended when empty).
    A coach's office hours never overlap (the services check it)."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.CASCADE,
        related_name="office_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    begins = models.TimeField(_("begins"))
    ends = models.TimeField(_("ends"))
    slot_minutes = models.PositiveSmallIntegerField(_("length of a meeting (minutes)"), default=30)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="office_hours"
    )
    valid_from = models.DateField(pgettext_lazy("valid from a date", "from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["coach", "weekday", "begins"]
        indexes = [models.Index(fields=["coach", "weekday"], name="coaches_hours_coach_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("begins")),
                name="coaches_hours_end_after_begin",
                violation_error_message=_("Office hours must end after they begin."),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=SLOT_MINUTES_MIN, slot_minutes__lte=SLOT_MINUTES_MAX),
                name="coaches_hours_slot_sensible",
                violation_error_message=_("A meeting lasts from 10 minutes to 4 hours."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="coaches_hours_valid_ordered",
                violation_error_message=_("The last day must not be before the first."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.begins:%H.%M}–{self.ends:%H.%M}, {self.place}"


class OfficeHoursException(models.Model):
    """Office hours of one date that replace the weekly ones: a holiday or a sick day
    (a row without times: no office hours that day), or other hours or another place
    (rows with times). Several rows with times make the day's hours."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.CASCADE,
        related_name="office_hours_exceptions",
    )
    date = models.DateField(_("date"))
    begins = models.TimeField(_("begins"), null=True, blank=True)
    ends = models.TimeField(_("ends"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("length of a meeting (minutes)"), default=30)
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="office_hours_exceptions",
    )
    reason = models.CharField(_("reason"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("exception to office hours")
        verbose_name_plural = _("exceptions to office hours")
        ordering = ["coach", "date", "begins"]
        indexes = [models.Index(fields=["coach", "date"], name="coaches_exception_coach_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(begins__isnull=True, ends__isnull=True, place__isnull=True)
                | Q(
                    begins__isnull=False,
                    ends__isnull=False,
                    place__isnull=False,
                    ends__gt=F("begins"),
                ),
                name="coaches_exception_closed_or_hours",
                violation_error_message=_(
                    "Give the times and the place (the end after the beginning), or none of "
                    "them for a day without office hours."
                ),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=SLOT_MINUTES_MIN, slot_minutes__lte=SLOT_MINUTES_MAX),
                name="coaches_exception_slot_sensible",
                violation_error_message=_("A meeting lasts from 10 minutes to 4 hours."),
            ),
        ]

    def __str__(self):
        if self.is_closed:
            return f"{self.date} {_('no office hours')}"
        return f"{self.date} {self.begins:%H.%M}–{self.ends:%H.%M}, {self.place}"

    @property
    def is_closed(self):
        return self.begins is None
