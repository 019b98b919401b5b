from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
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


class Gender(models.TextChoices):
    """Genders as population statistics give them; empty is everyone."""

    ALL = "", _("everyone")
    FEMALE = "female", _("women")
    MALE = "male", _("men")


class AgeGroup(models.TextChoices):
    """The one set of age groups of the platform: survey results, turnout of budgeting,
    monitoring and its population figures all group people by these. A participation
    keeps the group its person was in when taking part (``age_group_for``)."""

    UNDER_18 = "0-17", _("under 18")
    YOUNG_ADULT = "18-29", _("18–29")
    ADULT = "30-49", _("30–49")
    MIDDLE = "50-64", _("50–64")
    SENIOR = "65-", _("65 and over")
    UNKNOWN = "", _("not known")

    @property
    def bounds(self):
        """``(youngest, oldest or None)``; None for the unknown group."""
        if not self.value:
            return None
        youngest, oldest = self.value.split("-")
        return int(youngest), int(oldest) if oldest else None

    @classmethod
    def known(cls):
        return [group for group in cls if group.value]


def age_group_for(age):
    """The group of a person aged ``age`` (None: not known)."""
    if age is None:
        return AgeGroup.UNKNOWN
    for group in AgeGroup.known():
        youngest, oldest = group.bounds
        if age >= youngest and (oldest is None or age <= oldest):
            return group
    return AgeGroup.UNKNOWN


class Population(models.Model):
    """How many residents an area had at the end of a year, in one age band and gender.

    The one source of population figures: initiative thresholds (residents entitled to
    vote) and monitoring (participation against population) both read them through
    ``selectors``. Bands of one area, year and gender must not overlap; a band's upper
    end is inclusive, and an empty upper end means "and over". Figures that are not
    official (estimates, demo data) are marked ``approximate`` and every page that uses
    them says so.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The figure is the population at the end of this year.")
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="population_figures"
    )
    age_from = models.PositiveSmallIntegerField(_("age from"), default=0)
    age_to = models.PositiveSmallIntegerField(
        _("age to"), null=True, blank=True, help_text=_("Inclusive. Empty: and over.")
    )
    gender = models.CharField(
        _("gender"), max_length=6, choices=Gender.choices, blank=True, default=Gender.ALL
    )
    count = models.PositiveIntegerField(_("residents"))
    approximate = models.BooleanField(
        _("approximate"),
        default=False,
        help_text=_("An estimate, not an official figure; pages that use it say so."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["-year", "area__number", "gender", "age_from"]
        constraints = [
            # Two bands that start at the same age overlap; other overlaps are refused
            # by ``clean`` (a rule across rows that a check constraint cannot hold).
            models.UniqueConstraint(
                fields=["year", "area", "gender", "age_from"], name="population_one_band_per_start"
            ),
            models.CheckConstraint(
                condition=Q(age_to__isnull=True) | Q(age_to__gte=F("age_from")),
                name="population_band_not_reversed",
                violation_error_message=_("The upper age cannot be below the lower age."),
            ),
        ]

    def __str__(self):
        return (
            f"{self.area} {self.year} {self.band_label} {self.get_gender_display()}: {self.count}"
        )

    @property
    def band_label(self):
        if self.age_to is None:
            return _("%(age)s and over") % {"age": self.age_from}
        return f"{self.age_from}–{self.age_to}"

    def clean(self):
        super().clean()
        if self.area_id is None or self.year is None or self.age_from is None:
            return
        if self.age_to is not None and self.age_to < self.age_from:
            return  # the check constraint's message says it
        others = Population.objects.filter(
            year=self.year, area_id=self.area_id, gender=self.gender
        ).exclude(pk=self.pk)
        starts_within = Q(age_from__gte=self.age_from)
        if self.age_to is not None:
            starts_within &= Q(age_from__lte=self.age_to)
        overlapping = others.filter(
            starts_within
            | Q(age_from__lte=self.age_from, age_to__isnull=True)
            | Q(age_from__lte=self.age_from, age_to__gte=self.age_from)
        ).first()
        if overlapping is not None:
            raise ValidationError(
                _("This age band overlaps the band %(band)s of the same area, year and gender.")
                % {"band": overlapping.band_label}
            )


class EntitledVoters(models.Model):
    """The number of residents entitled to vote in municipal elections in a year, as the
    city's electoral roll gives it. When a year has none, the figure is estimated from
    the residents aged 18 and over (``selectors.entitled_voters``)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    count = models.PositiveIntegerField(_("residents entitled to vote"))
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Where the figure comes from, for example the electoral roll of 2025."),
    )

    class Meta:
        verbose_name = _("residents entitled to vote")
        verbose_name_plural = _("residents entitled to vote")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.count}"


class Neighbourhood(models.Model):
    """A neighbourhood of a major district: in Helsinki a basic district (peruspiiri),
    what a plan serves and what residents look for on the ballot.

    ``latitude`` and ``longitude`` are a point near the middle, good for placing a
    neighbourhood on the drawn map, not for deciding where its borders run.
    ``approximate`` marks a row whose name or placement is a judgement rather than
    taken from an official table.
    """

    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
    )
    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("The city's official number of the neighbourhood, like 101.")
    )
    name = models.CharField(_("name"), max_length=100)
    latitude = models.DecimalField(_("latitude of its middle"), max_digits=8, decimal_places=6)
    longitude = models.DecimalField(_("longitude of its middle"), max_digits=9, decimal_places=6)
    approximate = models.BooleanField(_("approximate"), default=False)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="neighbourhood_number_unique"),
        ]

    def __str__(self):
        return self.name
