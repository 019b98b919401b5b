"""City and business coaches as the district pages show them: the topics the city
lists, the places where coaches meet people, each published coach's name, photo,
languages, districts and public contact channels, their office hours, and the events
they organise. Meetings, requests, sign-ups and companies are personal data and not
published, and neither is the link of an online meeting place."""

import django_filters
from django.db.models import F, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area
from osallistu.coaches.models import (
    CoachKind,
    Event,
    EventKind,
    OfficeHours,
    OfficeHoursException,
    Place,
    PlaceKind,
    Weekday,
)
from osallistu.coaches.permissions import COACH_ROLES, ROLE_OF_KIND
from osallistu.coaches.selectors import public

from ..filters import MomentFilter
from ..resources import Link, Resource, not_published, register, registry
from ..serializers import LINK_SCHEMA, addresses


def district_filter(label=None):
    return django_filters.CharFilter(
        field_name="district__slug", label=label or _("Identifier of the district")
    )


def coach_filter():
    return django_filters.CharFilter(
        field_name="coach__coach_profile__slug", label=_("Identifier of the coach")
    )


def coach_link():
    return Link(
        "coaches/coaches", attribute="profile_id", help=_("The coach whose hours these are.")
    )


register(
    Resource(
        name="coaches/topics",
        type="DefinedTerm",
        title=_("Topics of coaches"),
        description=_(
            "The topics the city lists for people who ask a coach or book a meeting, for "
            "city coaches or for business coaches."
        ),
        queryset=lambda: public.topics(CoachKind.CITY) | public.topics(CoachKind.BUSINESS),
        fields=("slug", "audience", "position"),
        translated=("name",),
        lookup="slug",
        ordering=("audience", "position", "slug"),
        filters={
            "audience": django_filters.ChoiceFilter(
                choices=CoachKind.choices, label=_("For which kind of coach")
            )
        },
        frequency="weekly",
    )
)

register(
    Resource(
        name="coaches/places",
        type="Place",
        title=_("Meeting places of coaches"),
        description=_(
            "Libraries, service points, residents' houses and other places where coaches "
            "meet people, with their accessibility. The link of an online meeting goes "
            "only to the person who booked it and is not published."
        ),
        queryset=lambda: Place.objects.all(),
        fields=("kind", "postal_code", "step_free", "induction_loop"),
        translated=("name", "street_address", "accessibility_notes"),
        links={"district": Link("areas")},
        ordering=("kind", "pk"),
        filters={
            "district": district_filter(),
            "kind": django_filters.ChoiceFilter(choices=PlaceKind.choices, label=_("Kind")),
        },
        frequency="weekly",
    )
)


@extend_schema_field({"type": "string", "nullable": True})
class CoachNameField(serializers.Field):
    """The coach's name as their page shows it; null rather than anything else (such as
    the address they log in with) when they have not given one."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, profile):
        return profile.user.full_name or None


@extend_schema_field({"type": "array", "items": LINK_SCHEMA})
class CoachedDistrictsField(serializers.Field):
    """The districts the coach's role covers, as the district pages list them."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, profile):
        # What ``CoachProfile.districts`` gives, from the roles the list read with the
        # coaches and the districts read once per list, rather than two queries a coach.
        user = profile.user
        if not (user.is_staff and user.is_active):
            return []
        if "districts" not in self.context:
            self.context["districts"] = list(Area.objects.districts().order_by("number"))
        roles = [role for role in user.coach_roles if role.role == ROLE_OF_KIND[profile.kind]]
        citywide = any(role.area is None or role.area.kind == Area.Kind.CITY for role in roles)
        covered = {role.area_id for role in roles}
        found = addresses(self.context)
        return [
            {"@id": found.of(registry["areas"], area)}
            for area in self.context["districts"]
            if citywide or area.pk in covered
        ]


def published_coaches():
    """Published coaches with their users and coach's roles (``CoachedDistrictsField``)."""
    roles = StaffRole.objects.filter(role__in=COACH_ROLES).select_related("area")
    return (
        public.published_coaches()
        .select_related("user")
        .prefetch_related(Prefetch("user__roles", queryset=roles, to_attr="coach_roles"))
    )


register(
    Resource(
        name="coaches/coaches",
        type="Person",
        title=_("Coaches"),
        description=_(
            "City and business coaches whose page is published: their name, photo, "
            "introduction, languages, districts and the phone number and e-mail address "
            "they publish. The address they log in with is never published."
        ),
        queryset=published_coaches,
        fields=("slug", "kind", "languages", "phone", "email", "photo"),
        translated=("introduction", "reach", "photo_alt"),
        computed={
            "name": lambda: CoachNameField(help_text=_("The coach's name.")),
            "districts": lambda: CoachedDistrictsField(
                help_text=_("The districts the coach works in.")
            ),
        },
        lookup="slug",
        ordering=("kind", "slug"),
        filters={
            "kind": django_filters.ChoiceFilter(choices=CoachKind.choices, label=_("Kind")),
        },
        frequency="weekly",
    )
)


def hours_of_published_coaches(model):
    return model.objects.filter(coach__coach_profile__in=public.published_coaches()).annotate(
        profile_id=F("coach__coach_profile")
    )


register(
    Resource(
        name="coaches/office-hours",
        type="OpeningHoursSpecification",
        title=_("Office hours of coaches"),
        description=_(
            "The weekly office hours of published coaches, when meetings with them can be "
            "booked: weekday, times in Helsinki, the length of a meeting and the place."
        ),
        queryset=lambda: hours_of_published_coaches(OfficeHours),
        fields=("weekday", "begins", "ends", "slot_minutes", "valid_from", "valid_until"),
        links={"place": Link("coaches/places"), "coach": coach_link()},
        ordering=("coach__coach_profile__slug", "weekday", "begins", "pk"),
        filters={
            "coach": coach_filter(),
            "weekday": django_filters.ChoiceFilter(choices=Weekday.choices, label=_("Weekday")),
        },
        frequency="weekly",
    )
)

register(
    Resource(
        name="coaches/office-hours-exceptions",
        type="OpeningHoursSpecification",
        title=_("Exceptions to office hours"),
        description=_(
            "Days when a published coach's office hours differ from the weekly ones: no "
            "office hours (without times), or other hours or another place. Why is not "
            "published."
        ),
        queryset=lambda: hours_of_published_coaches(OfficeHoursException),
        fields=("date", "begins", "ends", "slot_minutes"),
        links={"place": Link("coaches/places"), "coach": coach_link()},
        ordering=("date", "begins", "pk"),
        filters={
            "coach": coach_filter(),
            "date_from": django_filters.DateFilter(
                field_name="date", lookup_expr="gte", label=_("Only days from this date on.")
            ),
            "date_until": django_filters.DateFilter(
                field_name="date", lookup_expr="lte", label=_("Only days up to this date.")
            ),
        },
        frequency="weekly",
    )
)


register(
    Resource(
        name="coaches/events",
        type="Event",
        title=_("Events of coaches"),
        description=_(
            "Resident evenings, supported-voting points, workshops and business events "
            "that coaches organise, once published, cancelled ones too. Who organises an "
            "event and who signed up are not published."
        ),
        queryset=lambda: Event.objects.published().annotate(space_id=F("space_booking__space")),
        fields=(
            "kind",
            "begins_at",
            "ends_at",
            "languages",
            "step_free",
            "induction_loop",
            "signup_required",
            "capacity",
            "published_at",
            "cancelled_at",
            "cancel_reason",
        ),
        translated=("title", "description", "accessibility_notes"),
        computed={
            "places_left": lambda: serializers.IntegerField(
                read_only=True,
                allow_null=True,
                help_text=_("Places left when the event takes sign-ups; else null."),
            )
        },
        links={
            "district": Link("areas"),
            "place": Link("coaches/places"),
            "space": Link(
                "premises/spaces",
                attribute="space_id",
                help=_("The city space booked for the event, when it is held in one."),
            ),
        },
        ordering=("begins_at", "pk"),
        timestamps=("published_at", "cancelled_at"),
        filters={
            "district": district_filter(_("Identifier of the district (or the city)")),
            "kind": django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind")),
            "ends_after": MomentFilter(
                field_name="ends_at",
                lookup_expr="gt",
                label=_("Only events that end after this time."),
            ),
            "begins_before": MomentFilter(
                field_name="begins_at",
                lookup_expr="lt",
                label=_("Only events that begin before this time."),
            ),
        },
    )
)

not_published("coaches.Appointment", "a resident's meeting with a coach")
not_published("coaches.CompanyContact", "contact people of companies")
not_published("coaches.Company", "the business coaches' record of companies")
not_published("coaches.EventSignup", "who signed up for an event")
not_published("coaches.ContactRequest", "a resident's request to a coach")
not_published("coaches.RequestMessage", "messages of a resident's request")
not_published("coaches.RequestNote", "staff's notes on a request")
not_published("coaches.RequestHandover", "staff's handovers of a request")
