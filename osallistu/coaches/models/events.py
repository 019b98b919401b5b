from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area

from .common import Place, language_names, validate_languages


class EventKind(models.TextChoices):
    RESIDENT_EVENING = "resident_evening", _("Resident evening")
    SUPPORTED_VOTING = "supported_voting", _("Supported voting point")
    WORKSHOP = "workshop", _("Workshop")
    BUSINESS_BREAKFAST = "business_breakfast", _("Business breakfast")
    BUSINESS_EVENT = "business_event", _("Business event")
    OTHER = "other", _("Other event")


def default_event_languages():
    return ["fi"]


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def upcoming(self, now):
        return self.filter(ends_at__gt=now)


class Event(models.Model):
    """An event a coach organises: a resident evening, a supported-voting point, a
    workshop, a business breakfast. It takes place at a meeting place or in a city space
    booked through the premises app (``space_booking``), and may take sign-ups up to
    ``capacity``: ``signup_count`` counts the active sign-ups and the database refuses
    a count above the capacity."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="coach_events",
        help_text=_("A district, or the whole city."),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_events",
    )
    begins_at = models.DateTimeField(_("begins"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.ForeignKey(
        Place,
        verbose_name=_("meeting place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    space_booking = models.OneToOneField(
        "premises.Booking",
        verbose_name=_("booked city space"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coach_event",
    )
    languages = models.JSONField(
        _("languages"), default=default_event_languages, validators=[validate_languages]
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    signup_required = models.BooleanField(_("sign-up"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    signup_count = models.PositiveIntegerField(_("signed up"), default=0)
    participants = models.PositiveIntegerField(
        _("participants"),
        null=True,
        blank=True,
        help_text=_("How many came, recorded after the event."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    sequence = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["begins_at", "id"]
        indexes = [
            models.Index(fields=["district", "ends_at"], name="coaches_event_district_ends"),
            models.Index(fields=["organiser", "begins_at"], name="coaches_event_organiser"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("begins_at")),
                name="coaches_event_ends_after_begins",
                violation_error_message=_("An event ends after it begins."),
            ),
            models.CheckConstraint(
                condition=Q(place__isnull=False) | Q(space_booking__isnull=False),
                name="coaches_event_has_place",
                violation_error_message=_("An event needs a place or a booked city space."),
            ),
            models.CheckConstraint(
                condition=~Q(signup_required=True) | Q(capacity__gte=1),
                name="coaches_event_signup_has_capacity",
                violation_error_message=_("An event with sign-up needs at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(signup_count__lte=F("capacity")),
                name="coaches_event_within_capacity",
                violation_error_message=_("The event is full."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def language_names(self):
        return language_names(self.languages)

    @property
    def places_left(self):
        if not self.signup_required or self.capacity is None:
            return None
        return max(0, self.capacity - self.signup_count)


class EventSignup(models.Model):
    """A person signed up for an event. One active sign-up per person and event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="signups"
    )
    # Empty once the person is removed: the sign-up still counts as a participant.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_signups",
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(cancelled_at__isnull=True),
                name="coaches_signup_once",
                violation_error_message=_("You have already signed up for this event."),
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.person}"

    @property
    def is_active(self):
        return self.cancelled_at is None
