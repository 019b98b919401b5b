"""Volunteering: organisers (city units and associations), their opportunities, shifts
with capacity, sign-ups with a waiting list and guardians' consent, confirmed hours,
and residents' own talkoot.

Capacity is held by the database: a shift counts the places its sign-ups hold in
``taken``, and a check constraint keeps ``taken`` between 0 and ``capacity``. The
services change ``taken`` in the same transaction as the sign-up that takes or frees
a place, holding the shift's row (see ``services/signups.py``), so the count and the
rows agree; the constraint is the last word should anything get past them.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area

MAX_CAPACITY = 1000
MAX_CANCEL_HOURS = 720
MAX_HOURS = 999


class Term(models.Model):
    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name


class Theme(Term):
    """What a task is about: nature, children and young people, culture…"""

    class Meta(Term.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Language(Term):
    """A language volunteers can manage with in a task."""

    class Meta(Term.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


# ---------------------------------------------------------------------------- organisers


class OrganiserQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Organiser.Status.VERIFIED)


class Organiser(models.Model):
    """A city unit or an association that offers volunteering. Staff verify it before
    its opportunities are shown to anyone."""

    class Kind(models.TextChoices):
        CITY_UNIT = "city_unit", _("City unit")
        ASSOCIATION = "association", _("Association")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Refused")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    district = models.ForeignKey(
        Area,
        verbose_name=_("home district"),
        on_delete=models.PROTECT,
        related_name="volunteering_organisers",
        null=True,
        blank=True,
        limit_choices_to={"kind": Area.Kind.DISTRICT},
        help_text=_("Empty when the organiser works across the city."),
    )
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    status_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OrganiserMember",
        verbose_name=_("members"),
        related_name="volunteering_organisers",
    )

    objects = OrganiserQuerySet.as_manager()

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(status_reason=""),
                name="organiser_refusal_has_reason",
                violation_error_message=_("Give the reason for the refusal."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED


class OrganiserMember(models.Model):
    """A person who manages an organiser's opportunities."""

    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="volunteering_memberships",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member of an organiser")
        verbose_name_plural = _("members of organisers")
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "user"],
                name="organisermember_once",
                violation_error_message=_("This person is already a member."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organiser}"


class Invitation(models.Model):
    """An invitation e-mailed to join an organiser: whoever follows the link while
    logged in becomes a member. Only a digest of the link's secret is kept."""

    VALID_FOR = timedelta(days=14)

    organiser = models.ForeignKey(
        Organiser, verbose_name=_("organiser"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="invitation_email_lower_case"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organiser}"

    def has_expired(self, now):
        return now >= self.created_at + self.VALID_FOR


# ---------------------------------------------------------------------------- opportunities


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
        CLOSED = "closed", _("Closed")

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
        OPEN = "open", _("Open")
        CANCELLED = "cancelled", _("Cancelled")

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


class SignUpQuerySet(models.QuerySet):
    def holding(self):
        return self.filter(status__in=HOLDING)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def waiting(self):
        return self.filter(status=SignUp.Status.WAITING).order_by("created_at", "id")


class SignUp(models.Model):
    """A volunteer's sign-up for a shift: holding a place (confirmed, or waiting for a
    guardian's consent), on the waiting list, or cancelled; after the shift, the
    attendance and hours the organiser confirmed."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        AWAITING_GUARDIAN = "awaiting_guardian", _("Waiting for a guardian's consent")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class CancelledBecause(models.TextChoices):
        VOLUNTEER = "volunteer", _("Cancelled by the volunteer")
        ORGANISER = "organiser", _("Cancelled by the organiser")
        NO_CONSENT = "no_consent", _("No guardian's consent")
        SHIFT_CANCELLED = "shift_cancelled", _("The shift was cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Did not come")

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="signups"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="volunteering_signups",
    )
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    message = models.CharField(_("message to the organiser"), max_length=500, blank=True)
    # Completed years when the shift begins, taken at sign-up: figures by age group
    # count people as they were then, not as their profile says later.
    age = models.PositiveSmallIntegerField(_("age"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("signed up at"))
    held_since = models.DateTimeField(_("place held since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_because = models.CharField(
        _("cancelled because"), max_length=20, choices=CancelledBecause.choices, blank=True
    )
    cancel_note = models.TextField(_("reason"), blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=150, blank=True)
    guardian_email = models.EmailField(_("guardian's e-mail address"), blank=True)
    guardian_language = models.CharField(
        _("guardian's language"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    guardian_token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    guardian_confirmed_at = models.DateTimeField(_("guardian consented at"), null=True, blank=True)
    consent_due = models.DateTimeField(_("consent due"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["shift", "status", "created_at"], name="signup_shift_status"),
            models.Index(fields=["volunteer", "status"], name="signup_volunteer_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=["confirmed", "awaiting_guardian", "waiting"]),
                name="signup_once_per_shift",
                violation_error_message=_("You have already signed up for this shift."),
            ),
            # An under-18's sign-up counts only once a guardian has consented.
            models.CheckConstraint(
                condition=Q(age__gte=18)
                | ~Q(status="confirmed")
                | Q(guardian_confirmed_at__isnull=False),
                name="signup_minor_counts_with_consent",
                violation_error_message=_("A volunteer under 18 needs a guardian's consent."),
            ),
            models.CheckConstraint(
                condition=Q(age__gte=18) | ~Q(guardian_email=""),
                name="signup_minor_has_guardian",
                violation_error_message=_("Give the e-mail address of your guardian."),
            ),
            models.CheckConstraint(
                condition=Q(attendance="") | Q(status="confirmed"),
                name="signup_attendance_of_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(attendance="attended", hours__gt=0, hours__lte=MAX_HOURS)
                | (~Q(attendance="attended") & Q(hours__isnull=True)),
                name="signup_hours_of_attended",
                violation_error_message=_("Hours are given for those who attended, above 0."),
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancelled_because=""),
                name="signup_cancel_reason_of_cancelled",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.shift}"

    @property
    def needs_consent(self):
        return self.age < 18

    @property
    def holds_place(self):
        return self.status in HOLDING


HOLDING = (SignUp.Status.CONFIRMED, SignUp.Status.AWAITING_GUARDIAN)
ACTIVE = (*HOLDING, SignUp.Status.WAITING)


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


# ---------------------------------------------------------------------------- talkoot


class Talkoot(models.Model):
    """A clean-up or another neighbourhood event that a resident proposes; staff
    approve it or refuse it with a reason."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    class Equipment(models.TextChoices):
        GLOVES = "gloves", _("Work gloves")
        BAGS = "bags", _("Rubbish bags")
        PICKERS = "pickers", _("Litter pickers")
        RAKES = "rakes", _("Rakes")
        COLLECTION = "collection", _("Collection of the rubbish afterwards")

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        on_delete=models.PROTECT,
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
