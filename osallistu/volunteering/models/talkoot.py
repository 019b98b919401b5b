"""Residents' own talkoot."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import Area


class Talkoot(models.Model):
    """A clean-up or another neighbourhood event that a resident proposes; staff
    approve it or refuse it with a reason."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")

    class Equipment(models.TextChoices):
        GLOVES = "gloves", _("Work gloves")
        BAGS = "bags", _("Rubbish bags")
        PICKERS = "pickers", _("Litter pickers")
        RAKES = "rakes", _("Rakes")
        COLLECTION = "collection", _("Collection of the rubbish afterwards")

    # Empty once the proposer's account is deleted.
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteering_talkoot",
    )
    title = models.CharField(_("name of the event"), max_length=150)
    description = models.TextField(_("what happens"))
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="volunteering_talkoot",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
    )
    place_text = models.CharField(_("place"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    expected_participants = models.PositiveSmallIntegerField(_("expected participants"))
    equipment = models.JSONField(_("equipment needed"), default=list, blank=True)
    equipment_notes = models.CharField(_("other equipment"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"))

    class Meta:
        verbose_name = _("talkoot")
        verbose_name_plural = _("talkoot")
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["district", "starts_on"], name="talkoot_district_starts"),
            models.Index(fields=["status", "created_at"], name="talkoot_status_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="talkoot_ends_after_begins",
                violation_error_message=_("The last day cannot be before the first."),
            ),
            models.CheckConstraint(
                condition=Q(expected_participants__gte=1),
                name="talkoot_has_participants",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="talkoot_refusal_has_reason",
                violation_error_message=_("Give the reason for the refusal."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="talkoot_point_whole",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_point(self):
        return self.latitude is not None

    def equipment_labels(self):
        labels = dict(self.Equipment.choices)
        return [labels[key] for key in self.equipment if key in labels]
