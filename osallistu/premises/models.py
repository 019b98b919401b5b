"""City premises that residents and associations book: units, spaces, opening hours,
bookings, recurring series and staff-blocked time.

Times are stored as aware datetimes; opening hours are wall-clock times in the city's
time zone (Europe/Helsinki). A booking occupies its space from ``occupied_from``
(its start minus the space's buffer before) to ``occupied_until`` (its end plus the
buffer after). Two active rows of one space never occupy the same moment: on
PostgreSQL an exclusion constraint holds it, on SQLite the services' write lock does
(see ``services.py``). Staff-blocked time lives in the same table (``kind="blocked"``)
so that one rule covers bookings and blocked time alike.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import AgeGroup, Area, postal_code_validator
from osallistu.core.images import ImageFileField

# The longest a single booking may last; the availability search relies on it.
MAX_BOOKING_MINUTES = 24 * 60
MAX_BUFFER_MINUTES = 240


class TsTzRange(models.Func):
    """PostgreSQL's ``tstzrange(lower, upper, '[)')``."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL and is left out elsewhere.

    SQLite has no exclusion constraints; there the services serialise writes instead
    (the project's SQLite transactions are IMMEDIATE, so a booking's check and insert
    run under the database's single write lock).
    """

    def constraint_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using="default"):
        if connections[using].vendor != "postgresql":
            return
        super().validate(model, instance, exclude=exclude, using=using)


class UnitType(models.TextChoices):
    LIBRARY = "library", _("Library")
    YOUTH_CENTRE = "youth_centre", _("Youth centre")
    SCHOOL = "school", _("School")
    RESIDENTS_HOUSE = "residents_house", _("Residents' house")
    CULTURAL_CENTRE = "cultural_centre", _("Cultural centre")
    SPORTS = "sports", _("Sports facility")
    OTHER = "other", _("Other")


class Term(models.Model):
    """A word of a list staff keep, shown in the order they choose."""

    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name


class Purpose(Term):
    """What a space can be used for (meeting, party, music…); bookings name one."""

    class Meta(Term.Meta):
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")


class Equipment(Term):
    """Something a space has: a projector, a piano, a kitchen…"""

    class Meta(Term.Meta):
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")


class UnitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Unit(models.Model):
    """A building or a service point whose spaces can be booked."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    description = models.TextField(_("description"), blank=True)
    street_address = models.CharField(_("street address"), max_length=150)
    postal_code = models.CharField(
        _("postal code"), max_length=5, validators=[postal_code_validator]
    )
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="premises_units",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    terms = models.TextField(
        _("terms of use"),
        blank=True,
        help_text=_("Rules every booker of this unit's spaces accepts."),
    )
    # Accessibility facts of the building; the space adds its own.
    accessible_entrance = models.BooleanField(_("step-free entrance"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    accessible_parking = models.BooleanField(_("accessible parking"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self):
        return self.name


def _photo_field(folder):
    return ImageFileField(_("image"), upload_to=folder)


class Photo(models.Model):
    """A photo with the description people who cannot see it are given."""

    alt_text = models.CharField(
        _("image description"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return self.alt_text


class UnitPhoto(Photo):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="photos"
    )
    image = _photo_field("premises/units/")

    class Meta:
        verbose_name = _("photo of a unit")
        verbose_name_plural = _("photos of units")
        ordering = ["unit", "position", "id"]


class PriceKind(models.TextChoices):
    FREE = "free", _("Free of charge")
    HOURLY = "hourly", _("Hourly price")
    FIXED = "fixed", _("Fixed price")


class Confirmation(models.TextChoices):
    INSTANT = "instant", _("Confirmed at once")
    HANDLED = "handled", _("Handled by staff")


class AuthenticationLevel(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    STRONG = "strong", _("Strongly identified")


class SpaceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, unit__is_published=True)


class Space(models.Model):
    """A room, hall or court that people book, with its rules and price."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="spaces"
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    terms = models.TextField(
        _("terms of use"),
        blank=True,
        help_text=_("Rules of this space in addition to those of its unit."),
    )
    purposes = models.ManyToManyField(
        Purpose, verbose_name=_("purposes"), related_name="spaces", blank=True
    )
    equipment = models.ManyToManyField(
        Equipment, verbose_name=_("equipment"), related_name="spaces", blank=True
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1)], help_text=_("Most people at once.")
    )
    step_free_access = models.BooleanField(_("step-free access to the space"), default=False)
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)

    # Booking rules
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=60)
    max_minutes = models.PositiveSmallIntegerField(
        _("longest booking (minutes)"),
        default=240,
        validators=[MaxValueValidator(MAX_BOOKING_MINUTES)],
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot size (minutes)"),
        default=30,
        help_text=_("Bookings start and end on whole slots counted from midnight."),
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("buffer before (minutes)"),
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text=_("Time kept free before each booking, for example to set up."),
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        _("buffer after (minutes)"),
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text=_("Time kept free after each booking, for example to clean."),
    )
    max_days_ahead = models.PositiveSmallIntegerField(
        _("bookable days ahead"), default=90, validators=[MinValueValidator(1)]
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("active bookings per person"),
        default=3,
        help_text=_("Upcoming bookings one person may hold in this space; 0 for no limit."),
    )
    cancellable_hours_before = models.PositiveSmallIntegerField(
        _("cancellable until (hours before)"),
        default=24,
        help_text=_("Until how many hours before the start the booker may cancel."),
    )
    price_kind = models.CharField(
        _("price"), max_length=10, choices=PriceKind.choices, default=PriceKind.FREE
    )
    price = models.DecimalField(
        _("price (euros)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("Per hour or per booking, as chosen above."),
    )
    free_for_associations = models.BooleanField(
        _("free of charge for associations on application"),
        default=False,
        help_text=_("Non-profit associations may apply to use the space free of charge."),
    )
    confirmation = models.CharField(
        _("confirmation"), max_length=10, choices=Confirmation.choices, default=Confirmation.INSTANT
    )
    authentication = models.CharField(
        _("required authentication"),
        max_length=10,
        choices=AuthenticationLevel.choices,
        default=AuthenticationLevel.SIGNED_IN,
    )
    is_published = models.BooleanField(_("published"), default=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["unit__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=MAX_BOOKING_MINUTES),
                name="space_slot_sensible",
                violation_error_message=_("A slot is between 5 minutes and a day."),
            ),
            models.CheckConstraint(
                condition=Q(min_minutes__gte=models.F("slot_minutes"))
                & Q(max_minutes__gte=models.F("min_minutes"))
                & Q(max_minutes__lte=MAX_BOOKING_MINUTES),
                name="space_durations_ordered",
                violation_error_message=_(
                    "The shortest booking is at least one slot, and the longest at least "
                    "the shortest and at most a day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(buffer_before_minutes__lte=MAX_BUFFER_MINUTES)
                & Q(buffer_after_minutes__lte=MAX_BUFFER_MINUTES),
                name="space_buffers_bounded",
                violation_error_message=_("A buffer is at most four hours."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0) & (~Q(price_kind="free") | Q(price=0)),
                name="space_price_matches_kind",
                violation_error_message=_("A free space has no price, and no price is negative."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    @property
    def buffer_before(self):
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self):
        return timedelta(minutes=self.buffer_after_minutes)

    def price_for(self, minutes):
        """The price of a booking of ``minutes``, before any free-of-charge decision."""
        if self.price_kind == PriceKind.HOURLY:
            return (self.price * Decimal(int(minutes)) / 60).quantize(Decimal("0.01"))
        if self.price_kind == PriceKind.FIXED:
            return self.price
        return Decimal("0.00")


class SpacePhoto(Photo):
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="photos"
    )
    image = _photo_field("premises/spaces/")

    class Meta:
        verbose_name = _("photo of a space")
        verbose_name_plural = _("photos of spaces")
        ordering = ["space", "position", "id"]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """When a space can be booked on a weekday; several rows make a split day."""

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(pgettext_lazy("opening hours", "opens"))
    closes = models.TimeField(pgettext_lazy("opening hours", "closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["space", "weekday", "opens"]
        indexes = [models.Index(fields=["weekday", "space"], name="openinghours_weekday_space")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="openinghours_closes_after_opens",
                violation_error_message=_("Closing time must be after opening time."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(models.Model):
    """Hours of one date that replace the weekly hours: a holiday, a closed day or
    special hours. Without a space it applies to every space of the unit; a space's
    own exceptions for a date win over the unit's. A row without times means closed;
    several rows with times make the day's hours."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="opening_exceptions"
    )
    space = models.ForeignKey(
        Space,
        verbose_name=_("space"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opening_exceptions",
        help_text=_("Leave empty for every space of the unit."),
    )
    date = models.DateField(_("date"))
    opens = models.TimeField(pgettext_lazy("opening hours", "opens"), null=True, blank=True)
    closes = models.TimeField(pgettext_lazy("opening hours", "closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering = ["date", "unit", "opens"]
        indexes = [models.Index(fields=["date", "unit"], name="openingexception_date_unit")]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="openingexception_closed_or_hours",
                violation_error_message=_(
                    "Give both opening and closing time (closing after opening), or neither "
                    "for a closed day."
                ),
            ),
        ]

    def __str__(self):
        if self.is_closed:
            closed = pgettext_lazy("opening hours", "closed")
            return f"{self.date} {closed}"
        return f"{self.date} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def is_closed(self):
        return self.opens is None


class BookingState(models.TextChoices):
    CREATED = "created", _("Created")
    REQUIRES_HANDLING = "requires_handling", _("Waiting for handling")
    CONFIRMED = "confirmed", _("Confirmed")
    DENIED = "denied", _("Denied")
    CANCELLED = "cancelled", _("Cancelled")


# States in which a booking holds its time.
ACTIVE_STATES = (
    BookingState.CREATED,
    BookingState.REQUIRES_HANDLING,
    BookingState.CONFIRMED,
)


class BookingSeries(models.Model):
    """A weekly recurring booking: the same hours on one weekday from a first to a last
    date. Each date is a ``Booking`` of its own; the series ties them together so that
    they can be cancelled at once."""

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="series"
    )
    # Empty once the booker deleted their account (osallistu/premises/personal_data.py).
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booker"),
        null=True,
        on_delete=models.PROTECT,
        related_name="booking_series",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    begins = models.TimeField(_("begins"))
    ends = models.TimeField(_("ends"))
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("begins")) & Q(last_date__gte=models.F("first_date")),
                name="bookingseries_ordered",
            ),
        ]

    def __str__(self):
        return (
            f"{self.space.name}: {self.get_weekday_display()} {self.begins:%H:%M}–"
            f"{self.ends:%H:%M}, {self.first_date}–{self.last_date}"
        )


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def bookings(self):
        return self.filter(kind=Booking.Kind.BOOKING)

    def blocked(self):
        return self.filter(kind=Booking.Kind.BLOCKED)

    def occupying(self, begins, ends):
        """Active rows whose occupied time (buffers included) meets [begins, ends)."""
        return self.active().filter(occupied_from__lt=ends, occupied_until__gt=begins)

    def upcoming(self, now):
        return self.filter(ends_at__gt=now)


class Booking(models.Model):
    """A booking of a space by a person, or time blocked by staff (``kind``).

    ``begins_at``–``ends_at`` is the time the booker has the space;
    ``occupied_from``–``occupied_until`` adds the space's buffers at the time of
    booking and is what may not overlap another active row of the same space.
    """

    class Kind(models.TextChoices):
        BOOKING = "booking", _("Booking")
        BLOCKED = "blocked", _("Blocked by staff")

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BOOKING)
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booker"),
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
        help_text=_("Empty for time blocked by staff."),
    )
    purpose = models.ForeignKey(
        Purpose,
        verbose_name=_("purpose"),
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
    )
    description = models.CharField(
        _("what happens"),
        max_length=300,
        blank=True,
        help_text=_("For blocked time, the reason staff give."),
    )
    attendees = models.PositiveSmallIntegerField(_("attendees"), default=1)
    association = models.CharField(_("association"), max_length=200, blank=True)
    free_of_charge_requested = models.BooleanField(_("free of charge applied for"), default=False)
    begins_at = models.DateTimeField(_("begins"))
    ends_at = models.DateTimeField(_("ends"))
    occupied_from = models.DateTimeField(_("occupied from"))
    occupied_until = models.DateTimeField(_("occupied until"))
    state = models.CharField(
        _("state"), max_length=20, choices=BookingState.choices, default=BookingState.CREATED
    )
    state_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the booking was denied or cancelled.")
    )
    price = models.DecimalField(
        _("price (euros)"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The booker's home district and age group on the day of booking, kept for monitoring so
    # that a later change of profile does not change a past figure (no choices, no names).
    booker_district = models.ForeignKey(
        Area,
        verbose_name=_("booker's home district then"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    booker_age_group = models.CharField(
        _("booker's age group then"), max_length=5, choices=AgeGroup.choices, blank=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # When the booker deleted their account: the booking then keeps its hours for the
    # usage figures without them.
    booker_removed_at = models.DateTimeField(
        _("booker removed at"), null=True, blank=True, editable=False
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["begins_at", "id"]
        indexes = [
            # The availability search: rows of a day, then per space.
            models.Index(fields=["occupied_from", "space"], name="booking_occupied_from_space"),
            # Long blocked time is found by its end.
            models.Index(
                fields=["occupied_until"],
                condition=Q(kind="blocked"),
                name="booking_blocked_until",
            ),
            models.Index(fields=["space", "begins_at"], name="booking_space_begins"),
            models.Index(fields=["booker", "ends_at"], name="booking_booker_ends"),
            models.Index(fields=["state", "begins_at"], name="booking_state_begins"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("begins_at")),
                name="booking_ends_after_begins",
                violation_error_message=_("A booking ends after it begins."),
            ),
            models.CheckConstraint(
                condition=Q(occupied_from__lte=models.F("begins_at"))
                & Q(occupied_until__gte=models.F("ends_at")),
                name="booking_occupied_covers_booking",
            ),
            models.CheckConstraint(
                condition=Q(kind="blocked")
                | Q(booker__isnull=False)
                | Q(booker_removed_at__isnull=False),
                name="booking_has_booker",
                violation_error_message=_("A booking needs a booker."),
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="booking_price_not_negative"),
            PostgresExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (
                        TsTzRange("occupied_from", "occupied_until", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                    ("space", RangeOperators.EQUAL),
                ],
                condition=Q(state__in=ACTIVE_STATES),
                violation_error_message=_("This time is already booked."),
            ),
        ]

    def __str__(self):
        return f"{self.space.name} {self.begins_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.state in ACTIVE_STATES

    @property
    def minutes(self):
        return int((self.ends_at - self.begins_at).total_seconds() // 60)


class BlockedTimeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Booking.Kind.BLOCKED)


class BlockedTime(Booking):
    """Time staff keep a space out of booking (maintenance, the unit's own use).
    The same table as bookings, so that the same no-overlap rule covers both."""

    objects = BlockedTimeManager()

    class Meta:
        proxy = True
        verbose_name = _("blocked time")
        verbose_name_plural = _("blocked times")


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar address: whoever knows the token sees the
    person's bookings, so it is long, random and can be replaced."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="premises_calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
