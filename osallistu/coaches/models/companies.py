from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area

from .. import business_id
from .common import Topic


def validate_business_id(value):
    if business_id.normalise(value) != value:
        raise ValidationError(
            _(
                "A business ID is seven digits, a hyphen and a check digit, for example "
                "0112038-9. Please check the number."
            ),
            code="invalid_business_id",
        )


class Sector(models.TextChoices):
    RETAIL = "retail", _("Shops and trade")
    FOOD = "food", _("Restaurants and cafés")
    CONSTRUCTION = "construction", _("Building and property")
    TECHNOLOGY = "technology", _("Information technology")
    CREATIVE = "creative", _("Culture and creative industries")
    WELLBEING = "wellbeing", _("Health, care and well-being")
    SERVICES = "services", _("Services to people")
    BUSINESS_SERVICES = "business_services", _("Services to companies")
    MANUFACTURING = "manufacturing", _("Manufacturing and crafts")
    TRANSPORT = "transport", _("Transport and logistics")
    OTHER = "other", _("Other")


class Company(models.Model):
    """A company that has asked a business coach for help or that a coach has met,
    identified by its business ID (check digit checked)."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"), max_length=9, unique=True, validators=[validate_business_id]
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="companies",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
    )
    created_at = models.DateTimeField(_("first met"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(business_id__regex=r"^\d{7}-\d$"),
                name="coaches_company_business_id_shape",
                violation_error_message=_("A business ID is seven digits, a hyphen and a digit."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.business_id})"


class ContactChannel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    EVENT = "event", _("At an event")
    VISIT = "visit", _("Visit to the company")


class CompanyContact(models.Model):
    """A contact a business coach had with a company, so that the city can report how
    many companies it reached per district and topic. ``district`` is the company's at
    the time of the contact."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.PROTECT,
        related_name="company_contacts",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="contacts"
    )
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="company_contacts"
    )
    channel = models.CharField(_("how"), max_length=10, choices=ContactChannel.choices)
    happened_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("Only coaches see these."))
    request = models.ForeignKey(
        "coaches.ContactRequest",
        verbose_name=_("contact request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="company_contacts",
    )
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact with a company")
        verbose_name_plural = _("contacts with companies")
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["happened_on", "district"], name="coaches_contact_day_district"),
        ]

    def __str__(self):
        return f"{self.company} {self.happened_on}"
