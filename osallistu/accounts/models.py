import unicodedata
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area, postal_code_validator


def normalise_email(value):
    """The one form of an e-mail address that is stored, looked up and locked out: without
    surrounding spaces, in compatibility-normalised lower case. Every way of typing an
    address that logs in to an account is then the same address for the lockout."""
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required to log in.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save()
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Addresses are stored normalised (a constraint holds it), so an exact match finds
        # the account for every spelling that the lockout counts as the same address.
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})


class VerificationMethod(models.TextChoices):
    """How a person's identity, birth date and residence were last established."""

    NONE = "", _("Not verified")
    SELF_REPORTED = "self", _("Told by the person")
    OIDC = "oidc", _("Strong electronic identification")
    SCHOOL = "school", _("School login")
    IN_PERSON = "in_person", _("Identity document checked in person")


class User(AbstractBaseUser, PermissionsMixin):
    """A resident or a member of staff. One account per person: the personal
    identity code, when known, is kept only as a keyed digest and is unique."""

    # Empty only for a person recorded at a service point who has no account to log in to.
    email = models.EmailField(
        _("e-mail address"), max_length=254, unique=True, null=True, blank=True
    )
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    district = models.ForeignKey(
        Area,
        verbose_name=_("home district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    municipality_code = models.CharField(
        _("municipality of residence"),
        max_length=3,
        blank=True,
        help_text=_("Statistics Finland's three-digit code; 091 is Helsinki."),
    )
    verification_method = models.CharField(
        _("verified by"), max_length=10, choices=VerificationMethod.choices, blank=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    person_digest = models.CharField(
        _("person digest"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Keyed digest of the personal identity code; the code itself is never stored."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(verification_method="") | Q(verified_at__isnull=False),
                name="user_verified_has_time",
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="user_email_lower_case",
                violation_error_message=_("E-mail addresses are stored in lower case."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email or f"#{self.pk}"

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return (self.full_name.split() or [str(self)])[0]

    @property
    def is_strongly_identified(self):
        return self.verification_method in {
            VerificationMethod.OIDC,
            VerificationMethod.SCHOOL,
            VerificationMethod.IN_PERSON,
        }

    def age_on(self, day):
        """Completed years on ``day``; None when the birth date is not known.

        A person born on 29 February turns a year older on 1 March in other years,
        as Finnish law counts it.
        """
        if self.birth_date is None:
            return None
        born = self.birth_date
        years = day.year - born.year
        if (day.month, day.day) < (born.month, born.day):
            years -= 1
        return years

    def has_role(self, role, area=None):
        return self.roles.for_area(role, area).exists()


class DivisionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Division(models.Model):
    """A division (toimiala) of the city: it prepares residents' initiatives, its staff
    handle the feedback of its service categories, and its sector's realisation is
    followed. One list for every part of the model, kept in the admin."""

    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("A division no longer in use keeps its history but is not offered."),
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name


class StaffRoleQuerySet(models.QuerySet):
    def for_area(self, role, area=None):
        """Roles of this kind that cover ``area``: scoped to it, or to the whole city."""
        roles = self.filter(role=role)
        if area is None:
            return roles
        return roles.filter(Q(area=area) | Q(area__kind=Area.Kind.CITY) | Q(area__isnull=True))


class StaffRole(models.Model):
    """What a member of staff may do, and where."""

    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", _("City administrator")
        DISTRICT_MODERATOR = "moderator", _("District moderator")
        CITY_COACH = "coach", _("City coach")
        PREMISES_MANAGER = "premises", _("Premises manager")
        REPORTER = "reporter", _("Reporter")
        # Checks identity documents and records assisted and paper ballots at a library
        # or a service point: of its district, or anywhere when city-wide.
        SERVICE_POINT = "service_point", _("Service point staff")
        # Registers residents' initiatives, records how they are prepared and answered,
        # and enters and confirms paper supports: of its district, or all when city-wide.
        REGISTRY = "registry", _("Registry staff")
        # Moderates and handles the feedback of the divisions they are a member of
        # (osallistu.feedback), in their district or everywhere when city-wide.
        FEEDBACK = "feedback", _("Feedback handler")
        # Helps companies of its districts (or of the whole city when city-wide): advice,
        # meetings and business events (osallistu.coaches).
        BUSINESS_COACH = "business_coach", _("Business coach")

    # Roles that only make sense in one district.
    DISTRICT_SCOPED = (Role.DISTRICT_MODERATOR, Role.CITY_COACH)

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_roles",
        help_text=_("Leave empty for the whole city."),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = StaffRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"], name="staffrole_unique_per_area"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(area__isnull=True),
                name="staffrole_unique_citywide",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["moderator", "coach"]) | Q(area__isnull=False),
                name="staffrole_district_roles_have_area",
                violation_error_message=_("District moderators and city coaches need a district."),
            ),
        ]

    def __str__(self):
        where = self.area.name if self.area else _("whole city")
        return f"{self.user} – {self.get_role_display()} ({where})"


class PendingRegistration(models.Model):
    """An account asked for on the registration form. It is made when the link e-mailed
    to the address is followed, so the form answers the same whether or not the address
    already has an account, and nobody can take an address that is not theirs."""

    # How long the e-mailed link works.
    VALID_FOR = timedelta(hours=24)

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    # The password as Django hashes it for an account; never the password itself.
    password = models.CharField(_("password"), max_length=128)
    # Only a digest of the link's secret: the database alone does not give the link.
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration waiting for confirmation")
        verbose_name_plural = _("registrations waiting for confirmation")
        constraints = [
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="pendingregistration_email_lower_case",
            ),
        ]

    def __str__(self):
        return self.email

    def has_expired(self, now=None):
        return (now or timezone.now()) >= self.created_at + self.VALID_FOR


class HelsinkiProfile(models.Model):
    """The resident's Helsinki profile, for installations that log in through it: the
    subject of its tokens, and the profile's id in the requests of its GDPR API."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="helsinki_profile"
    )
    subject = models.UUIDField(_("user in the Helsinki profile"), unique=True)
    profile_id = models.UUIDField(_("Helsinki profile"), unique=True)
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("Helsinki profile")
        verbose_name_plural = _("Helsinki profiles")

    def __str__(self):
        return str(self.profile_id)

    def serialize(self):
        """The export in the Helsinki profile's format (what GDPR API's GET returns)."""
        from .helsinki_profile import serialize

        return serialize(self)
