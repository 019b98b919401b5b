"""Feedback to the city: what is broken or could be better, who handles it, and the
city's answer.

A resident (or an application over the Open311 API) sends feedback in a service
category; each category belongs to a division (toimiala) of the city, whose staff
handle it. Nothing a resident wrote is public until staff have moderated it: the
public title, text and address are separate fields that moderation fills in, with
personal details left out, so that a page or the API that shows only those fields
of public feedback cannot show anything unmoderated.

Statuses follow the 6Aika feedback API (received, allocated, in handling, done) and
FixMyStreet's closed states (a duplicate, not the city's responsibility, cannot be
fixed). Every change is a ``FeedbackEvent``; the public ones are the request history
of the Open311 API.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import Area, postal_code_validator
from osallistu.core.images import ImageFileField

from .organisation import ApiKey, ServiceCategory

DESCRIPTION_MIN_LENGTH = 10
DESCRIPTION_MAX_LENGTH = 5000
TITLE_MAX_LENGTH = 120
ADDRESS_MAX_LENGTH = 300
MAX_PHOTOS = 3
# The city's promise: an answer within a week.
ANSWER_PROMISE_DAYS = 7
# Done feedback can be reopened by its author for this long.
REOPEN_DAYS = 30


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ALLOCATED = "allocated", _("Allocated to a handler")
    IN_HANDLING = "in_handling", _("In handling")
    DONE = "done", _("Done")
    DUPLICATE = "duplicate", _("Closed as a duplicate")
    NOT_CITY = "not_city", _("Closed: not the city's responsibility")
    CANNOT_FIX = "cannot_fix", _("Closed: cannot be fixed")


OPEN_STATUSES = (Status.RECEIVED, Status.ALLOCATED, Status.IN_HANDLING)
CLOSED_STATUSES = (Status.DONE, Status.DUPLICATE, Status.NOT_CITY, Status.CANNOT_FIX)


class Moderation(models.TextChoices):
    UNMODERATED = "unmoderated", _("Waiting for moderation")
    PUBLIC = "public", pgettext_lazy("moderation", "Public")
    HIDDEN = "hidden", _("Hidden")


class FeedbackQuerySet(models.QuerySet):
    def public(self):
        """Feedback staff have made public: the only feedback any public page or the
        API shows."""
        return self.filter(moderation=Moderation.PUBLIC)

    def overdue(self, now=None):
        return self.filter(due_at__lt=now or timezone.now())


def new_token():
    return uuid.uuid4().hex


class Feedback(models.Model):
    """One piece of feedback (an Open311 service request)."""

    service = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    # As the sender wrote it: seen by the sender and by staff only.
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, blank=True)
    description = models.TextField(_("feedback"))
    address = models.CharField(_("address or place"), max_length=ADDRESS_MAX_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attribute_values = models.JSONField(_("answers to further questions"), default=dict)

    # Who sent it. Anonymous feedback has neither an author nor contact details.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    contact_email = models.EmailField(_("e-mail address"), blank=True)
    contact_first_name = models.CharField(_("first name"), max_length=100, blank=True)
    contact_last_name = models.CharField(_("last name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=_("sent by the application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    media_url = models.URLField(_("link to a picture elsewhere"), max_length=500, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)

    # Moderation: what the public sees, filled in by staff.
    moderation = models.CharField(
        _("moderation"),
        max_length=12,
        choices=Moderation.choices,
        default=Moderation.UNMODERATED,
    )
    public_title = models.CharField(_("public title"), max_length=TITLE_MAX_LENGTH, blank=True)
    public_description = models.TextField(_("public text"), blank=True)
    public_address = models.CharField(
        _("public address or place"), max_length=ADDRESS_MAX_LENGTH, blank=True
    )
    moderation_reason = models.TextField(_("reason for hiding"), blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Handling.
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("the city's answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    requested_at = models.DateTimeField(_("sent at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    expected_at = models.DateTimeField(_("expected to be handled by"), null=True, blank=True)
    # The one-week promise: when the city should have answered. Cleared once it has
    # answered or closed the feedback; set again when the author reopens it.
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    # From sending to closing, for feedback closed other than as a duplicate: the
    # handling times of a category's statistics and expected times.
    handling_seconds = models.PositiveIntegerField(_("handling time"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("description"), DESCRIPTION_MIN_LENGTH)
                & LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH),
                name="feedback_description_length",
                violation_error_message=_("Feedback is 10–5,000 characters long."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="feedback_point_whole",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=False) | ~Q(address=""),
                name="feedback_has_place",
                violation_error_message=_("Mark the place on the map or write its address."),
            ),
            models.CheckConstraint(
                condition=Q(moderation__in=Moderation.values),
                name="feedback_moderation_valid",
            ),
            models.CheckConstraint(
                condition=~Q(moderation=Moderation.PUBLIC)
                | (~Q(public_description="") & Q(moderated_at__isnull=False)),
                name="feedback_public_has_text",
                violation_error_message=_("Public feedback needs its public text."),
            ),
            models.CheckConstraint(
                condition=~Q(moderation=Moderation.HIDDEN)
                | (~Q(moderation_reason="") & Q(moderated_at__isnull=False)),
                name="feedback_hidden_has_reason",
                violation_error_message=_("Say why the feedback is hidden."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="feedback_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES, closed_at__isnull=True)
                | Q(status__in=CLOSED_STATUSES, closed_at__isnull=False),
                name="feedback_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DUPLICATE, duplicate_of__isnull=False)
                | (~Q(status=Status.DUPLICATE) & Q(duplicate_of__isnull=True)),
                name="feedback_duplicate_has_original",
                violation_error_message=_("Only a duplicate names the feedback it repeats."),
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")),
                name="feedback_not_own_duplicate",
                violation_error_message=_("Feedback cannot be a duplicate of itself."),
            ),
        ]
        indexes = [
            # The public list and requests.json, newest first. The filters' columns are
            # in the index too, so that counting a search reads the index alone.
            models.Index(
                fields=["-requested_at", "-id", "service", "status", "latitude", "longitude"],
                condition=Q(moderation="public"),
                name="feedback_public_recent",
            ),
            models.Index(
                fields=["service", "-requested_at"],
                condition=Q(moderation="public"),
                name="feedback_public_service",
            ),
            # bbox and radius searches.
            models.Index(
                fields=["latitude", "longitude", "requested_at", "service", "status"],
                condition=Q(moderation="public"),
                name="feedback_public_place",
            ),
            # updated_after: what changed lately, however old.
            models.Index(
                fields=["updated_at", "service", "status", "latitude", "longitude"],
                condition=Q(moderation="public"),
                name="feedback_public_updated",
            ),
            # The staff queue, oldest first: walked in order for broad filters, by
            # category and status for the open feedback of a few categories.
            models.Index(fields=["requested_at", "id"], name="feedback_requested"),
            models.Index(
                fields=["requested_at", "id"],
                condition=Q(status__in=["received", "allocated", "in_handling"]),
                name="feedback_open",
            ),
            models.Index(fields=["service", "status", "requested_at"], name="feedback_queue"),
            models.Index(fields=["due_at"], condition=Q(due_at__isnull=False), name="feedback_due"),
            # Medians and averages of handling times per category.
            models.Index(
                fields=["service", "handling_seconds"],
                condition=Q(handling_seconds__isnull=False),
                name="feedback_handling_time",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.service.name if self.service_id else ''}".strip()

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_public(self):
        return self.moderation == Moderation.PUBLIC

    @property
    def is_overdue(self):
        return self.due_at is not None and self.due_at < timezone.now()

    @property
    def has_point(self):
        return self.latitude is not None

    @property
    def contact_name(self):
        return f"{self.contact_first_name} {self.contact_last_name}".strip()


class FeedbackPhoto(models.Model):
    """A picture sent with feedback, stored re-encoded without its metadata. Shown in
    public only when moderation lets it (faces and number plates stay hidden)."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="photos"
    )
    image = ImageFileField(_("photo"), upload_to="feedback/%Y/%m/")
    description = models.CharField(_("what the photo shows"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_public = models.BooleanField(_("shown in public"), default=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self):
        return self.description or self.image.name


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Received")
    PUBLISHED = "published", _("Made public")
    HIDDEN = "hidden", _("Hidden")
    ASSIGNED = "assigned", _("Handler assigned")
    STATUS = "status", _("Status changed")
    ANSWERED = "answered", _("The city answered")
    MERGED = "merged", _("Merged as a duplicate")
    DUPLICATE_ADDED = "duplicate_added", _("A duplicate merged into this")
    REOPENED = "reopened", _("Reopened by the sender")


# Events the public history shows, and those whose note (written by staff) it shows.
PUBLIC_EVENTS = (
    EventKind.SUBMITTED,
    EventKind.STATUS,
    EventKind.ANSWERED,
    EventKind.MERGED,
    EventKind.DUPLICATE_ADDED,
    EventKind.REOPENED,
)
PUBLIC_NOTES = (EventKind.STATUS, EventKind.ANSWERED)


class FeedbackEvent(models.Model):
    """One change of a piece of feedback: its history, for staff and (the public kinds,
    of public feedback) for everyone."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    status = models.CharField(
        _("status after"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["feedback", "created_at"], name="feedback_event_time")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_public(self):
        return self.kind in PUBLIC_EVENTS

    @property
    def public_note(self):
        return self.note if self.kind in PUBLIC_NOTES else ""


class FeedbackFollower(models.Model):
    """A signed-in person who gets an e-mail when public feedback changes."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="followed_feedback",
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "user"], name="feedback_follow_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.feedback_id}"
