"""Who handles feedback: members of staff of the city's divisions (``accounts.Division``),
the service categories (Open311 services) with their further questions, and the API keys
of applications."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import Division

code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$",
    _("Use only letters a–z, digits, hyphens and underscores."),
)


class DivisionMember(models.Model):
    """A member of staff of a division: with the role of feedback handler
    (``StaffRole.Role.FEEDBACK``), whose area says in which district or in the whole
    city, they moderate and handle the feedback of the division's categories."""

    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.CASCADE,
        related_name="feedback_members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="feedback_divisions",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("division member")
        verbose_name_plural = _("division members")
        ordering = ["division", "user"]
        constraints = [
            models.UniqueConstraint(fields=["division", "user"], name="feedback_member_once"),
        ]

    def __str__(self):
        return f"{self.user} – {self.division}"


class ServiceCategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ServiceCategory(models.Model):
    """What feedback is about (an Open311 service): potholes, parks, libraries…"""

    code = models.CharField(
        _("service code"),
        max_length=20,
        unique=True,
        validators=[code_validator],
        help_text=_("The service_code of the Open311 API. Do not change it once used."),
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="feedback_categories",
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(
        _("group"), max_length=100, blank=True, help_text=_("For example “Streets and traffic”.")
    )
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("takes new feedback"),
        default=True,
        help_text=_("A category that no longer takes feedback keeps its old feedback."),
    )

    objects = ServiceCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class ServiceAttribute(models.Model):
    """A further question of a category (an attribute of an Open311 service definition),
    such as “Which equipment is broken?”."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Longer text")
        SINGLEVALUELIST = "singlevaluelist", _("One choice from a list")
        MULTIVALUELIST = "multivaluelist", _("Several choices from a list")

    LISTS = (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)

    service = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.CASCADE,
        related_name="attributes",
    )
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    variable = models.BooleanField(
        _("asks for an answer"),
        default=True,
        help_text=_("Off: the description is only shown as information."),
    )
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description = models.CharField(_("question"), max_length=300)
    datatype_description = models.CharField(_("help text"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("further question")
        verbose_name_plural = _("further questions")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="feedback_attribute_code"),
            models.UniqueConstraint(fields=["service", "order"], name="feedback_attribute_order"),
            models.CheckConstraint(
                condition=Q(order__gte=1),
                name="feedback_attribute_order_positive",
                violation_error_message=_("The order starts from 1."),
            ),
        ]

    def __str__(self):
        return self.description


class ServiceAttributeValue(models.Model):
    """One choice of a list question."""

    attribute = models.ForeignKey(
        ServiceAttribute,
        verbose_name=_("further question"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    key = models.CharField(_("key"), max_length=50, validators=[code_validator])
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="feedback_value_key"),
        ]

    def __str__(self):
        return self.name


class ApiKey(models.Model):
    """A key that lets an application send feedback over the Open311 API. Only a digest
    of the key is stored; the key itself is shown once, when staff issue it."""

    name = models.CharField(_("application"), max_length=100)
    prefix = models.CharField(_("start of the key"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(key):
        # A key is 256 random bits, so a plain hash is enough to keep it unguessable.
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key():
        return secrets.token_urlsafe(32)
