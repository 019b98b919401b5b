"""Organisers, their members and the invitations that make members."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area


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
