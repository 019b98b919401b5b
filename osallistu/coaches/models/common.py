"""What the other models of coaches share: the kinds of coach, the languages a coach
can meet people in, the topics the city lists and the places where coaches meet."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import Area, postal_code_validator

CITY_TZ = ZoneInfo(settings.TIME_ZONE)


class CoachKind(models.TextChoices):
    CITY = "city", _("City coach")
    BUSINESS = "business", _("Business coach")


# Languages a coach may speak with people: the site's three and those Helsinki's
# residents most often speak besides them (and Finnish Sign Language).
SPOKEN_LANGUAGES = [
    ("fi", pgettext_lazy("language in a list", "Finnish")),
    ("sv", pgettext_lazy("language in a list", "Swedish")),
    ("en", pgettext_lazy("language in a list", "English")),
    ("ru", _("Russian")),
    ("et", _("Estonian")),
    ("so", _("Somali")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("fa", _("Persian")),
    ("se", _("Northern Sami")),
    ("fse", _("Finnish Sign Language")),
]
SPOKEN_LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


def validate_languages(value):
    """A list of codes of ``SPOKEN_LANGUAGES``, at least one, none twice."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one language."), code="no_language")
    unknown = [code for code in value if code not in SPOKEN_LANGUAGE_NAMES]
    if unknown:
        raise ValidationError(_("Unknown language: %(code)s"), params={"code": unknown[0]})
    if len(set(value)) != len(value):
        raise ValidationError(_("A language is listed twice."), code="repeated_language")


def language_names(codes):
    """``["fi", "sv"]`` → "Finnish, Swedish" in the active language."""
    return ", ".join(str(SPOKEN_LANGUAGE_NAMES.get(code, code)) for code in codes)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Topic(models.Model):
    """A topic the city lists for people who ask a coach or book a meeting: for city
    coaches (participatory budgeting, an initiative, …) or for business coaches
    (starting a business, premises, permits, hiring, the city's procurement)."""

    audience = models.CharField(_("for"), max_length=10, choices=CoachKind.choices)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Topics no longer offered stay in old cases.")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["audience", "position", "slug"]

    def __str__(self):
        return self.name


class PlaceKind(models.TextChoices):
    LIBRARY = "library", _("Library")
    SERVICE_POINT = "service_point", _("Service point")
    RESIDENTS_HOUSE = "residents_house", _("Residents' house")
    BUSINESS_SERVICES = "business", _("Business services")
    ONLINE = "online", pgettext_lazy("meeting", "Online")
    OTHER = "other", _("Other")


class Place(models.Model):
    """Where a coach meets people: a library, a service point, a residents' house, or
    online (the link goes only to the person who booked)."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    street_address = models.CharField(_("street address"), max_length=150, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coach_places",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
        help_text=_("Empty for online meetings."),
    )
    online_link = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_("For online meetings; sent only to people who have booked."),
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="online") | (~Q(postal_code="") & Q(district__isnull=False)),
                name="coaches_place_has_address",
                violation_error_message=_(
                    "A place other than online needs a postal code and a district."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="online") | ~Q(online_link=""),
                name="coaches_online_place_has_link",
                violation_error_message=_("An online place needs its meeting link."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_online(self):
        return self.kind == PlaceKind.ONLINE

    @property
    def address(self):
        """The address people go to, or "" online."""
        if self.is_online:
            return ""
        return f"{self.street_address}, {self.postal_code} {_('Helsinki')}".strip(", ")
