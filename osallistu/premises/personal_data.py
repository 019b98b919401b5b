"""Premises' personal data (see ``osallistu.core.personal_data``): who booked what.
A booking in the past keeps its hours for the usage figures without its booker once
they delete their account; an open booking ahead keeps the account until it is
cancelled or has passed."""

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.core.personal_data import (
    Basis,
    Purpose,
    register_erasure,
    register_model,
    register_retention,
)

from .models import (
    ACTIVE_STATES,
    Booking,
    BookingSeries,
    CalendarFeed,
    Equipment,
    OpeningException,
    OpeningHours,
    Space,
    SpacePhoto,
    Unit,
    UnitPhoto,
)
from .models import Purpose as BookingPurpose

BOOKINGS = Purpose(
    key="premises.bookings",
    title=gettext_lazy("Bookings of city premises"),
    description=gettext_lazy(
        "Who booked which space and when, for what and for how many, so that the booking "
        "holds, the unit knows whom to expect and staff can handle it."
    ),
    basis=Basis.CONTRACT,
    retention=gettext_lazy(
        "Two years after the booked time; then the booking stays only as hours by space "
        "and purpose, without the booker."
    ),
    order=70,
)
BOOKING_STAFF = Purpose(
    key="premises.staff",
    title=gettext_lazy("Handling of bookings"),
    description=gettext_lazy("Which member of staff made, handled or cancelled a booking."),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy("As long as the booking is kept."),
    order=840,
)

TRANSLATED_NAMES = ["slug", "name", "position"]
register_model(BookingPurpose, other=TRANSLATED_NAMES)
register_model(Equipment, other=TRANSLATED_NAMES)
register_model(
    Unit,
    other=[
        "name", "slug", "type", "description", "street_address", "postal_code", "district",
        "email", "phone", "terms", "accessible_entrance", "accessible_toilet",
        "accessible_parking", "accessibility_notes", "is_published",
    ],
)  # fmt: skip
register_model(UnitPhoto, other=["alt_text", "position", "unit", "image"])
register_model(
    Space,
    other=[
        "unit", "name", "slug", "description", "terms", "capacity", "step_free_access",
        "induction_loop", "accessibility_notes", "min_minutes", "max_minutes", "slot_minutes",
        "buffer_before_minutes", "buffer_after_minutes", "max_days_ahead",
        "max_active_bookings", "cancellable_hours_before", "price_kind", "price",
        "free_for_associations", "confirmation", "authentication", "is_published",
        "purposes", "equipment",
    ],
)  # fmt: skip
register_model(SpacePhoto, other=["alt_text", "position", "space", "image"])
register_model(OpeningHours, other=["space", "weekday", "opens", "closes"])
register_model(OpeningException, other=["unit", "space", "date", "opens", "closes", "reason"])
register_model(
    BookingSeries,
    personal={BOOKINGS: ["booker", "created_at"]},
    other=["space", "weekday", "begins", "ends", "first_date", "last_date"],
    of_person=lambda user: BookingSeries.objects.filter(booker=user),
)
register_model(
    Booking,
    personal={
        BOOKINGS: [
            "booker", "description", "attendees", "association", "free_of_charge_requested",
            "state_reason", "created_at",
        ],
        BOOKING_STAFF: ["created_by", "handled_by", "cancelled_by"],
    },
    other=[
        "space", "kind", "purpose", "begins_at", "ends_at", "occupied_from",
        "occupied_until", "state", "price", "series", "handled_at", "cancelled_at",
        "booker_removed_at", "booker_district", "booker_age_group",
    ],
    of_person=lambda user: Booking.objects.filter(booker=user),
)  # fmt: skip
register_model(
    CalendarFeed,
    personal={BOOKINGS: ["user", "token", "created_at"]},
    secret=["token"],
    of_person=lambda user: CalendarFeed.objects.filter(user=user),
)


def deletion_blockers(user):
    ahead = (
        Booking.objects.filter(booker=user, state__in=ACTIVE_STATES, ends_at__gt=timezone.now())
        .select_related("space")
        .order_by("begins_at")
    )
    return [
        _(
            "Your booking of %(space)s on %(when)s is still ahead. Cancel it in My bookings, "
            "or delete your account after it."
        )
        % {
            "space": booking.space.name,
            "when": formats.date_format(
                timezone.localtime(booking.begins_at), "SHORT_DATETIME_FORMAT"
            ),
        }
        for booking in ahead
    ]


def remove_booker(bookings, series, *, now):
    """Keep the bookings' hours, space, purpose and state; drop who and why."""
    count = bookings.update(
        booker=None,
        booker_removed_at=now,
        description="",
        association="",
        state_reason="",
        created_by=None,
    )
    series.update(booker=None)
    return count


def erase(user, *, remove_content):
    kept = remove_booker(
        Booking.objects.filter(booker=user),
        BookingSeries.objects.filter(booker=user),
        now=timezone.now(),
    )
    if kept:
        return [_("Your past bookings stay as booked hours without your name.")]
    return []


register_erasure(app_label="premises", blockers=deletion_blockers, erase=erase)


def anonymise_old_bookings(*, before):
    old = Booking.objects.filter(
        kind=Booking.Kind.BOOKING, booker__isnull=False, ends_at__lt=before
    )
    series = BookingSeries.objects.filter(booker__isnull=False).exclude(
        Q(bookings__ends_at__gte=before) | Q(last_date__gte=before.date())
    )
    return remove_booker(old, series, now=timezone.now())


register_retention(
    key="premises.bookings",
    title=gettext_lazy("Bookings two years after the booked time"),
    setting="RETENTION_BOOKINGS_DAYS",
    default_days=2 * 365,
    apply=anonymise_old_bookings,
)
