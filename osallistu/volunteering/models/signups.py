"""Sign-ups for shifts: places, the waiting list, guardians' consent and hours."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .opportunities import Shift

MAX_HOURS = 999


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
    # Empty once the volunteer is removed (account deleted, or past retention): the
    # sign-up keeps its shift, age, attendance and hours, and ``removed_volunteer``, a
    # random key shared by that person's removed sign-ups and kept nowhere else, so that
    # the figures still count them as one volunteer.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteering_signups",
    )
    removed_volunteer = models.UUIDField(_("removed volunteer"), null=True, blank=True)
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
            # The guardian's address may go once they have answered, the sign-up has
            # ended or the volunteer is removed (retention, deletion of the account).
            models.CheckConstraint(
                condition=Q(age__gte=18)
                | ~Q(guardian_email="")
                | Q(guardian_confirmed_at__isnull=False)
                | Q(status="cancelled")
                | Q(volunteer__isnull=True),
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
            models.CheckConstraint(
                condition=Q(volunteer__isnull=True) | Q(removed_volunteer__isnull=True),
                name="signup_volunteer_or_removed",
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
