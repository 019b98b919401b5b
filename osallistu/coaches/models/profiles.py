from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from osallistu.core.images import ImageFileField

from .common import CoachKind, language_names, validate_languages


def default_languages():
    return ["fi"]


class CoachProfile(models.Model):
    """A coach as residents and companies see them: who they are, the languages they
    meet people in, how to reach them, and the rules of booking a meeting with them.
    Which districts a coach covers is their staff roles (``StaffRole.Role.CITY_COACH``
    or ``BUSINESS_COACH``), so that access and the public page never disagree."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="coach_profile",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CoachKind.choices)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    introduction = models.TextField(_("introduction"), blank=True)
    reach = models.TextField(
        _("how to reach"),
        blank=True,
        help_text=_("For example when the coach answers the phone."),
    )
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("public e-mail address"), blank=True)
    languages = models.JSONField(
        _("languages"), default=default_languages, validators=[validate_languages]
    )
    photo = ImageFileField(_("photo"), upload_to="coaches/", blank=True)
    photo_alt = models.CharField(_("photo description"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    bookable_weeks = models.PositiveSmallIntegerField(
        _("bookable weeks ahead"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    notice_hours = models.PositiveSmallIntegerField(
        _("booking closes (hours before)"),
        default=2,
        validators=[MaxValueValidator(168)],
        help_text=_("A meeting can be booked, moved or cancelled until this long before it."),
    )

    class Meta:
        verbose_name = _("coach")
        verbose_name_plural = _("coaches")
        ordering = ["kind", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bookable_weeks__gte=1, bookable_weeks__lte=26),
                name="coaches_profile_weeks_bounded",
                violation_error_message=_("Meetings can be booked 1 to 26 weeks ahead."),
            ),
            models.CheckConstraint(
                condition=Q(notice_hours__lte=168),
                name="coaches_profile_notice_bounded",
                violation_error_message=_("Booking can close at most a week before a meeting."),
            ),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def name(self):
        """As residents see the coach: their name, else what they are, and never the
        e-mail address they log in with."""
        return self.user.full_name or str(self.get_kind_display())

    @property
    def initials(self):
        return "".join(part[0] for part in self.name.split()[:2]).upper()

    @property
    def language_names(self):
        return language_names(self.languages)

    @property
    def districts(self):
        """The districts the coach's role covers."""
        from ..permissions import coached_districts

        return coached_districts(self.user, self.kind)
