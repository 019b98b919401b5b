"""Opportunities, their shifts and organisers' messages to a shift."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import Area

from .organisers import Organiser
from .terms import Language, Theme

MAX_CAPACITY = 1000
MAX_CANCEL_HOURS = 720


class OpportunityQuerySet(models.QuerySet):
    def public(self):
        """Published opportunities of verified organisers: what residents see."""
        return self.filter(
            status=Opportunity.Status.PUBLISHED, organiser__status=Organiser.Status.VERIFIED
        )


class Opportunity(models.Model):
    """A volunteering task: what is done, where, for whom it suits, and who to ask."""

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", _("One-off")
        ONGOING = "ongoing", _("Ongoing")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", pgettext_lazy("volunteering opportunity", "Closed")

    organiser = models.ForeignKey(
        Organiser,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    tasks = models.TextField(_("what volunteers do"), blank=True)
    benefits = models.TextField(_("what volunteers get"), blank=True)
    offers_training = models.BooleanField(_("training"), default=False)
    offers_insurance = models.BooleanField(_("insurance"), default=False)
    offers_certificate = models.BooleanField(_("certificate"), default=False)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="volunteering_opportunities",
        null=True,
        blank=True,
        limit_choices_to={"kind": Area.Kind.DISTRICT},
    )
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="opportunities", blank=True
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), related_name="opportunities", blank=True
    )
    kind = models.CharField(_("one-off or ongoing"), max_length=10, choices=Kind.choices)
    remote = models.BooleanField(_("can be done remotely"), default=False)
    accessible = models.BooleanField(_("accessible"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    under_18_allowed = models.BooleanField(_("under-18s welcome"), default=False)
    youth_min_age = models.PositiveSmallIntegerField(
        _("youngest age with a guardian's consent"), null=True, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail address"))
    contact_phone = models.CharField(_("contact phone number"), max_length=30, blank=True)
    cancel_hours_before = models.PositiveSmallIntegerField(
        _("cancellable until (hours before)"),
        default=24,
        validators=[MaxValueValidator(MAX_CANCEL_HOURS)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "district"], name="opportunity_status_district"),
            models.Index(fields=["latitude", "longitude"], name="opportunity_point"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="opportunity_point_whole",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(under_18_allowed=False, youth_min_age__isnull=True)
                | Q(under_18_allowed=True, youth_min_age__gte=1, youth_min_age__lte=17),
                name="opportunity_youth_age",
                violation_error_message=_(
                    "When under-18s are welcome, give the youngest age (1–17); otherwise none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(cancel_hours_before__lte=MAX_CANCEL_HOURS),
                name="opportunity_cancel_hours_bounded",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_point(self):
        return self.latitude is not None

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.organiser.is_verified

    def youngest_age(self):
        return self.youth_min_age if self.under_18_allowed else 18


class ShiftQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Shift.Status.OPEN)

    def upcoming(self, now):
        return self.filter(starts_at__gt=now)


class Shift(models.Model):
    """A time when volunteers are needed, with a number of places."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("shift", "Open")
        CANCELLED = "cancelled", pgettext_lazy("shift", "Cancelled")

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.PROTECT, related_name="shifts"
    )
    starts_at = models.DateTimeField(_("begins"))
    ends_at = models.DateTimeField(_("ends"))
    place_text = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Only when it differs from the opportunity's place."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    taken = models.PositiveSmallIntegerField(_("places taken"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    cancel_reason = models.TextField(_("reason"), blank=True)
    # The calendar event's SEQUENCE: raised when the time changes or the shift is
    # cancelled, so that calendars replace the copy they have (RFC 5545, 3.8.7.4).
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at", "opportunity"], name="shift_starts_opportunity"),
            models.Index(fields=["opportunity", "starts_at"], name="shift_opportunity_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_begins",
                violation_error_message=_("A shift ends after it begins."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="shift_capacity_bounded",
                violation_error_message=_("A shift has between 1 and 1000 places."),
            ),
            models.CheckConstraint(
                condition=Q(taken__gte=0, taken__lte=models.F("capacity")),
                name="shift_capacity_not_exceeded",
                violation_error_message=_("The shift is full."),
            ),
        ]

    def __str__(self):
        return f"{self.opportunity} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self):
        return self.capacity - self.taken

    @property
    def duration_hours(self):
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class ShiftMessage(models.Model):
    """A message an organiser e-mailed to everyone on a shift."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"))
    include_waiting = models.BooleanField(_("also to the waiting list"), default=False)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("message to a shift")
        verbose_name_plural = _("messages to shifts")
        ordering = ["-sent_at"]

    def __str__(self):
        return self.subject
