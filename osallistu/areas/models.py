from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AreaQuerySet(models.QuerySet):
    def districts(self):
        return self.filter(kind=Area.Kind.DISTRICT)

    def city(self):
        return self.get(kind=Area.Kind.CITY)


class Area(models.Model):
    """The city as a whole, or one of its major districts (suurpiiri).

    Budgets, coaches, moderators and statistics are all scoped to an area; the
    city-wide area is where city-wide budgets and city-level roles belong.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City as a whole")
        DISTRICT = "district", _("Major district")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(
        _("number"),
        help_text=_("The city's official number of the district (1–7); 0 for the city."),
    )
    name = models.CharField(_("name"), max_length=100)
    population = models.PositiveIntegerField(_("population"), default=0)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="area_number_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="city"), name="area_one_city"
            ),
            models.CheckConstraint(
                condition=Q(kind="city", number=0) | Q(kind="district", number__gt=0),
                name="area_number_matches_kind",
                violation_error_message=_(
                    "The city is number 0 and districts are numbered from 1."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_city(self):
        return self.kind == self.Kind.CITY


postal_code_validator = RegexValidator(
    r"^\d{5}$", _("A postal code is five digits, for example 00100.")
)


class PostalCode(models.Model):
    """A postal code of the city and the major district it belongs to.

    Postal code areas do not follow district borders exactly; each code is put in
    the district where most of its residents live. ``approximate`` marks codes whose
    assignment is a judgement rather than an official table.
    """

    code = models.CharField(
        _("postal code"), max_length=5, primary_key=True, validators=[postal_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="postal_codes",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
    )
    approximate = models.BooleanField(_("approximate assignment"), default=False)

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"
