"""Reads for the public pages: districts, their coaches, events, and a person's own
requests and meetings."""

import datetime

from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.areas import selectors as areas
from osallistu.areas.models import Area

from .. import permissions
from ..models import (
    OPEN_STATUSES,
    Appointment,
    CoachKind,
    CoachProfile,
    ContactRequest,
    Event,
    EventSignup,
    Topic,
)


def districts():
    return Area.objects.districts().order_by("number")


def district(slug):
    """The major district called ``slug``, or None."""
    return Area.objects.districts().filter(slug=slug).first()


def postal_code(code):
    """The postal code with its district, or None when it is not the city's."""
    return areas.postal_code(code)


def coaches_of(district, kind=None):
    """Published coaches who cover ``district`` (of ``kind``, or both kinds), those of
    the district itself before city-wide ones."""
    kinds = [kind] if kind else [CoachKind.CITY, CoachKind.BUSINESS]
    condition = Q()
    for each in kinds:
        role = permissions.ROLE_OF_KIND[each]
        condition |= Q(
            kind=each,
            user__in=StaffRole.objects.for_area(role, district).values("user"),
        )
    own_district = StaffRole.objects.filter(
        user=OuterRef("user"), role__in=permissions.COACH_ROLES, area=district
    )
    return (
        CoachProfile.objects.filter(condition, is_published=True, user__is_active=True)
        .select_related("user")
        .annotate(
            in_district=Exists(own_district),
            city_first=Case(When(kind=CoachKind.CITY, then=Value(0)), default=Value(1)),
        )
        .order_by("city_first", "-in_district", "user__full_name", "pk")
    )


def published_coaches():
    """Every coach some district's page shows (``coaches_of`` of any district): published,
    active, with a coach's role of their kind in a district or in the whole city."""
    condition = Q()
    for kind, role in permissions.ROLE_OF_KIND.items():
        condition |= Q(kind=kind, user__in=StaffRole.objects.for_area(role).values("user"))
    return CoachProfile.objects.filter(condition, is_published=True, user__is_active=True)


def coach_for(district, kind):
    """The coach a new request of ``district`` goes to: one of the district's own before
    a city-wide one, the one with fewer open requests first. None when nobody covers it."""
    profile = (
        coaches_of(district, kind)
        .annotate(
            open_requests=Count(
                "user__assigned_coach_requests",
                filter=Q(user__assigned_coach_requests__status__in=OPEN_STATUSES),
            )
        )
        .order_by("-in_district", "open_requests", "pk")
        .first()
    )
    return profile.user if profile else None


def coach_profile(slug):
    return CoachProfile.objects.filter(slug=slug, is_published=True).select_related("user").first()


def topics(kind):
    return Topic.objects.filter(audience=kind, is_active=True)


def _events_of(district):
    return Event.objects.published().filter(Q(district=district) | Q(district__kind=Area.Kind.CITY))


def district_events(district, *, now=None, limit=None):
    """Published events of ``district`` and city-wide ones that have not ended, soonest
    first (cancelled ones too, marked, so people who planned to come see it)."""
    now = now or timezone.now()
    events = (
        _events_of(district)
        .upcoming(now)
        .select_related("place", "district", "organiser", "space_booking__space__unit")
        .order_by("begins_at", "pk")
    )
    return list(events[:limit] if limit else events)


def feed_events(district, *, now=None):
    """The district's calendar feed: its and the city's events from 30 days back on."""
    now = now or timezone.now()
    return list(
        _events_of(district)
        .filter(ends_at__gt=now - datetime.timedelta(days=30))
        .select_related("place", "district", "space_booking__space__unit")
        .order_by("begins_at", "pk")
    )


def public_event(pk):
    return (
        Event.objects.published()
        .select_related("place", "district", "organiser", "space_booking__space__unit")
        .filter(pk=pk)
        .first()
    )


def signup_of(event, user):
    if not user.is_authenticated:
        return None
    return EventSignup.objects.filter(event=event, person=user, cancelled_at__isnull=True).first()


def appointment(pk):
    return (
        Appointment.objects.select_related(
            "coach", "coach__coach_profile", "place", "topic", "district", "company"
        )
        .filter(pk=pk)
        .first()
    )


def requests_of(asker):
    """A person's contact requests, newest first."""
    return list(
        ContactRequest.objects.filter(asker=asker)
        .select_related("district", "topic", "assigned_to", "company")
        .order_by("-created_at")
    )


def request_of(asker, pk):
    return (
        ContactRequest.objects.filter(asker=asker, pk=pk)
        .select_related("district", "topic", "assigned_to", "company")
        .first()
    )


def messages_of(request):
    return list(request.messages.select_related("author").order_by("created_at", "pk"))


def appointments_of(person, *, now=None):
    """A person's meetings with coaches: (upcoming, past), booked signed in or with the
    account's e-mail address."""
    now = now or timezone.now()
    mine = Q(person=person)
    if person.email:
        mine |= Q(email__iexact=person.email)
    rows = list(
        Appointment.objects.filter(mine)
        .select_related("coach", "place", "topic", "district")
        .order_by("begins_at", "pk")
    )
    upcoming = [row for row in rows if row.ends_at > now]
    past = [row for row in rows if row.ends_at <= now][::-1]
    return upcoming, past


def signups_of(person, *, now=None):
    now = now or timezone.now()
    return list(
        EventSignup.objects.filter(person=person, cancelled_at__isnull=True, event__ends_at__gt=now)
        .select_related("event", "event__district")
        .order_by("event__begins_at")
    )
