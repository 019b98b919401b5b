"""City premises that residents book: units, spaces, their rules, opening hours and the
times they are taken. Bookings are published only as busy time, as the spaces' public
calendars show it: who booked, for what and with whom is not published."""

import django_filters
from django.utils.translation import gettext_lazy as _

from osallistu.premises.models import (
    Booking,
    Equipment,
    OpeningException,
    OpeningHours,
    Purpose,
    Space,
    SpacePhoto,
    Unit,
    UnitPhoto,
    UnitType,
)

from ..filters import MomentFilter, WholeNumberFilter
from ..resources import Link, Resource, not_published, register


def published_spaces():
    return Space.objects.published()


def space_filter():
    return django_filters.CharFilter(field_name="space__slug", label=_("Identifier of the space"))


register(
    Resource(
        name="premises/units",
        type="Place",
        title=_("Units"),
        description=_("Buildings and service points whose spaces residents can book."),
        queryset=lambda: Unit.objects.published(),
        fields=(
            "slug",
            "type",
            "postal_code",
            "accessible_entrance",
            "accessible_toilet",
            "accessible_parking",
        ),
        translated=("name", "description", "street_address", "terms", "accessibility_notes"),
        links={"district": Link("areas")},
        lookup="slug",
        ordering=("pk",),
        filters={
            "district": django_filters.CharFilter(
                field_name="district__slug", label=_("Identifier of the district")
            ),
            "type": django_filters.ChoiceFilter(choices=UnitType.choices, label=_("Type")),
        },
        frequency="weekly",
    )
)

register(
    Resource(
        name="premises/spaces",
        type="Room",
        title=_("Spaces"),
        description=_(
            "Rooms, halls and courts that residents book, with their capacity, "
            "accessibility, booking rules and price."
        ),
        queryset=published_spaces,
        fields=(
            "slug",
            "capacity",
            "step_free_access",
            "induction_loop",
            "min_minutes",
            "max_minutes",
            "slot_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "max_days_ahead",
            "max_active_bookings",
            "cancellable_hours_before",
            "price_kind",
            "price",
            "free_for_associations",
            "confirmation",
            "authentication",
        ),
        translated=("name", "description", "terms", "accessibility_notes"),
        links={
            "unit": Link("premises/units"),
            "purposes": Link("premises/purposes", many=True),
            "equipment": Link("premises/equipment", many=True),
        },
        lookup="slug",
        ordering=("pk",),
        filters={
            "unit": django_filters.CharFilter(
                field_name="unit__slug", label=_("Identifier of the unit")
            ),
            "district": django_filters.CharFilter(
                field_name="unit__district__slug", label=_("Identifier of the district")
            ),
            "people": WholeNumberFilter(
                field_name="capacity",
                lookup_expr="gte",
                label=_("Only spaces that hold at least this many people."),
            ),
        },
        frequency="weekly",
    )
)

for name, model, title in (
    ("premises/purposes", Purpose, _("Purposes of spaces")),
    ("premises/equipment", Equipment, _("Equipment of spaces")),
):
    register(
        Resource(
            name=name,
            type="DefinedTerm",
            title=title,
            description=_("Words of a list the city keeps, in the order it keeps them."),
            queryset=model.objects.all,
            fields=("slug", "position"),
            translated=("name",),
            lookup="slug",
            ordering=("position", "slug"),
            frequency="annual",
        )
    )

register(
    Resource(
        name="premises/unit-photos",
        type="ImageObject",
        title=_("Photos of units"),
        description=_("Photos of the units with their descriptions."),
        queryset=lambda: UnitPhoto.objects.filter(unit__in=Unit.objects.published()),
        fields=("image", "position"),
        translated=("alt_text",),
        links={"unit": Link("premises/units")},
        ordering=("unit", "position", "pk"),
        frequency="weekly",
    )
)

register(
    Resource(
        name="premises/space-photos",
        type="ImageObject",
        title=_("Photos of spaces"),
        description=_("Photos of the spaces with their descriptions."),
        queryset=lambda: SpacePhoto.objects.filter(space__in=published_spaces()),
        fields=("image", "position"),
        translated=("alt_text",),
        links={"space": Link("premises/spaces")},
        ordering=("space", "position", "pk"),
        frequency="weekly",
    )
)

register(
    Resource(
        name="premises/opening-hours",
        type="OpeningHoursSpecification",
        title=_("Opening hours"),
        description=_(
            "When each space can be booked on each weekday (0 is Monday); several rows make "
            "a split day."
        ),
        queryset=lambda: OpeningHours.objects.filter(space__in=published_spaces()),
        fields=("weekday", "opens", "closes"),
        links={"space": Link("premises/spaces")},
        ordering=("space", "weekday", "opens"),
        filters={"space": space_filter()},
        frequency="weekly",
    )
)

register(
    Resource(
        name="premises/opening-exceptions",
        type="OpeningHoursSpecification",
        title=_("Exceptions to opening hours"),
        description=_(
            "Dates whose hours replace the weekly ones: holidays, closed days and special "
            "hours. Without a space, the exception is the whole unit's; without times, the "
            "day is closed."
        ),
        queryset=lambda: OpeningException.objects.filter(unit__in=Unit.objects.published()),
        fields=("date", "opens", "closes"),
        translated=("reason",),
        links={"unit": Link("premises/units"), "space": Link("premises/spaces")},
        ordering=("date", "unit", "opens", "pk"),
        filters={
            "unit": django_filters.CharFilter(
                field_name="unit__slug", label=_("Identifier of the unit")
            ),
            "date_from": django_filters.DateFilter(
                field_name="date", lookup_expr="gte", label=_("Only dates from this day on.")
            ),
            "date_until": django_filters.DateFilter(
                field_name="date", lookup_expr="lte", label=_("Only dates up to this day.")
            ),
        },
        frequency="weekly",
    )
)

register(
    Resource(
        name="premises/busy-times",
        type="Schedule",
        title=_("Busy times of spaces"),
        description=_(
            "The times each space is taken by a booking or by staff, buffers included, as "
            "the space's calendar shows them. Who booked and why is not published."
        ),
        queryset=lambda: Booking.objects.active().filter(space__in=published_spaces()),
        fields=("occupied_from", "occupied_until"),
        links={"space": Link("premises/spaces")},
        ordering=("occupied_from", "pk"),
        timestamps=("created_at", "handled_at", "cancelled_at"),
        filters={
            "space": space_filter(),
            "from": MomentFilter(
                field_name="occupied_until",
                lookup_expr="gt",
                label=_("Only times that end after this time."),
            ),
            "until": MomentFilter(
                field_name="occupied_from",
                lookup_expr="lt",
                label=_("Only times that begin before this time."),
            ),
        },
    )
)

not_published("premises.BookingSeries", "a person's weekly bookings: personal data")
not_published("premises.CalendarFeed", "a person's private calendar address")
not_published("premises.BlockedTime", "published with bookings as busy time (premises/busy-times)")
