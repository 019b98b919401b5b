import datetime

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import Area
from osallistu.premises.models import PostgresExclusionConstraint, TsTzRange

from .common import CoachKind, Place, Topic, language_names
from .hours import SLOT_MINUTES_MAX


class AppointmentState(models.TextChoices):
    PENDING = "pending", _("Waiting for e-mail confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("appointment", "Confirmed")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("The person did not come")
    CANCELLED = "cancelled", pgettext_lazy("appointment", "Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")


# States in which an appointment holds its slot. A pending one holds it only until its
# ``hold_until``: the booking service releases it (EXPIRED) before taking the slot.
HOLDING_STATES = (
    AppointmentState.PENDING,
    AppointmentState.CONFIRMED,
    AppointmentState.HELD,
    AppointmentState.NO_SHOW,
)
# Appointments are made of slots of office hours, which are at most this long.
LONGEST_MEETING = datetime.timedelta(minutes=SLOT_MINUTES_MAX)
# States the person can still cancel or move.
OPEN_STATES = (AppointmentState.PENDING, AppointmentState.CONFIRMED)


class AppointmentQuerySet(models.QuerySet):
    def holding(self, now):
        """Appointments that take their slot at ``now``: pending ones within their hold."""
        return self.filter(
            Q(state__in=[s for s in HOLDING_STATES if s != AppointmentState.PENDING])
            | Q(state=AppointmentState.PENDING, hold_until__gt=now)
        )

    def meeting(self, begins, ends):
        """Appointments that meet [begins, ends). A meeting lasts at most a slot of
        office hours (``LONGEST_MEETING``), so only those beginning that much before
        ``begins`` are looked at: the index on (coach, begins_at) is then read over
        the range alone, not over every past meeting."""
        return self.filter(
            begins_at__gt=begins - LONGEST_MEETING, begins_at__lt=ends, ends_at__gt=begins
        )


class Appointment(models.Model):
    """A meeting booked with a coach in one of their slots.

    People with an account book as themselves and are confirmed at once; others give an
    e-mail address and confirm it from the link they are sent, and until then the slot
    is held for them for a while (``hold_until``). One slot of a coach is never booked
    twice: ``coaches_appointment_one_per_slot`` is unique over the coach and the start
    of every appointment holding its slot, and on PostgreSQL
    ``coaches_appointment_no_overlap`` also refuses two such meetings of a coach that
    overlap without beginning together (slots of changed office hours).
    """

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.PROTECT,
        related_name="coach_appointments",
    )
    coach_kind = models.CharField(_("kind of coach"), max_length=10, choices=CoachKind.choices)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="coach_appointments",
        help_text=_("The district the meeting was booked for."),
    )
    begins_at = models.DateTimeField(_("begins"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="appointments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments_with_coaches",
        help_text=_("Empty when booked without an account."),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email_language = models.CharField(
        _("language of e-mails"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    meeting_language = models.CharField(_("language of the meeting"), max_length=5)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="appointments"
    )
    details = models.TextField(_("what you would like to talk about"), blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    company = models.ForeignKey(
        "coaches.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AppointmentState.choices,
        default=AppointmentState.PENDING,
    )
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # Grows with every change the person's calendar must follow (a move, a cancellation).
    sequence = models.PositiveIntegerField(_("version"), default=0)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["begins_at", "id"]
        indexes = [
            models.Index(fields=["coach", "begins_at"], name="coaches_appt_coach_begins"),
            models.Index(fields=["person", "begins_at"], name="coaches_appt_person_begins"),
            models.Index(fields=["email", "begins_at"], name="coaches_appt_email_begins"),
            models.Index(fields=["district", "begins_at"], name="coaches_appt_district_begins"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "begins_at"],
                condition=Q(state__in=HOLDING_STATES),
                name="coaches_appointment_one_per_slot",
                violation_error_message=_("Someone has already booked this time."),
            ),
            PostgresExclusionConstraint(
                name="coaches_appointment_no_overlap",
                expressions=[
                    (
                        TsTzRange("begins_at", "ends_at", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                    ("coach", RangeOperators.EQUAL),
                ],
                condition=Q(state__in=HOLDING_STATES),
                violation_error_message=_("Someone has already booked this time."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("begins_at")),
                name="coaches_appointment_ends_after_begins",
                violation_error_message=_("A meeting ends after it begins."),
            ),
            models.CheckConstraint(
                condition=~Q(state="pending") | Q(hold_until__isnull=False),
                name="coaches_appointment_pending_has_hold",
            ),
            # Once the person is removed (their account deleted, or the record past its
            # retention) the appointment keeps its time and coach without name or address.
            models.CheckConstraint(
                condition=~Q(email="") | Q(person__isnull=True, name=""),
                name="coaches_appointment_has_email",
            ),
        ]

    def __str__(self):
        return f"{self.coach} {self.begins_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def meeting_language_name(self):
        return language_names([self.meeting_language])
