from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import VerificationMethod


class DocumentType(models.TextChoices):
    """Identity documents staff may accept at a library or service point."""

    PASSPORT = "passport", _("Passport")
    IDENTITY_CARD = "identity_card", _("Identity card")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    KELA_CARD = "kela_card", _("Kela card with photo")


class IdentityVerification(models.Model):
    """One time a person's identity was established, kept as history.

    The personal identity code is deliberately absent: only its keyed digest
    lives on the user, and only the facts the code proved are kept here.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="identity_verifications",
    )
    method = models.CharField(
        _("method"),
        max_length=10,
        choices=[choice for choice in VerificationMethod.choices if choice[0]],
    )
    verified_at = models.DateTimeField(_("verified at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by staff member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document_type = models.CharField(
        _("document checked"), max_length=20, choices=DocumentType.choices, blank=True
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    municipality_code = models.CharField(_("municipality of residence"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")
        ordering = ["-verified_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(method="in_person") | ~models.Q(document_type=""),
                name="identityverification_in_person_has_document",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_method_display()} ({self.verified_at:%Y-%m-%d})"
