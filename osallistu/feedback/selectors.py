"""Reads of feedback: the public list and map (the same search serves the Open311 API),
one person's feedback, the staff queue, and handling times.

Every public read starts from ``Feedback.objects.public()``, so unmoderated and hidden
feedback never reach a public page or the API. The searches answer in a fixed number
of queries however many rows match: a count and a page, with the category and its
division joined in.
"""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, ExtractYear, RowNumber
from django.utils import timezone

from osallistu.accounts.models import Division, StaffRole
from osallistu.areas.models import Area

from .models import (
    ANSWER_PROMISE_DAYS,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    PUBLIC_EVENTS,
    DivisionMember,
    Feedback,
    FeedbackEvent,
    FeedbackPhoto,
    Moderation,
    ServiceCategory,
    Status,
)

# Degrees to metres, near enough at the city's latitude for searches by radius: the
# distance is worked out on a flat map around the centre (off by well under 1 % within
# tens of kilometres), so that the same SQL runs on SQLite and PostgreSQL.
METRES_PER_DEGREE = 111_320.0
MAX_RADIUS_METRES = 50_000


@dataclass(frozen=True)
class BoundingBox:
    """West, south, east and north in WGS84 degrees."""

    west: Decimal
    south: Decimal
    east: Decimal
    north: Decimal

    def as_tuple(self):
        return (float(self.west), float(self.south), float(self.east), float(self.north))


@dataclass(frozen=True)
class Circle:
    latitude: float
    longitude: float
    radius: float  # metres

    def bounding_box(self):
        dlat = self.radius / METRES_PER_DEGREE
        dlon = self.radius / (METRES_PER_DEGREE * math.cos(math.radians(self.latitude)))
        return BoundingBox(
            west=_degrees(self.longitude - dlon),
            south=_degrees(self.latitude - dlat),
            east=_degrees(self.longitude + dlon),
            north=_degrees(self.latitude + dlat),
        )


def _degrees(value):
    return Decimal(value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _in_box(queryset, box):
    return queryset.filter(
        latitude__gte=box.south,
        latitude__lte=box.north,
        longitude__gte=box.west,
        longitude__lte=box.east,
    )


def _in_circle(queryset, circle):
    queryset = _in_box(queryset, circle.bounding_box())
    east_west = METRES_PER_DEGREE * math.cos(math.radians(circle.latitude))
    dx = (Cast("longitude", FloatField()) - circle.longitude) * east_west
    dy = (Cast("latitude", FloatField()) - circle.latitude) * METRES_PER_DEGREE
    return queryset.alias(distance_squared=dx * dx + dy * dy).filter(
        distance_squared__lte=circle.radius * circle.radius
    )


def public_feedback(
    *,
    ids=None,
    services=None,
    statuses=None,
    district=None,
    requested_after=None,
    requested_before=None,
    updated_after=None,
    updated_before=None,
    bbox=None,
    circle=None,
):
    """Public feedback, newest first, with its category and division.

    ``ids`` and ``services`` are lists of primary keys, ``statuses`` a list of
    ``Status`` values; ``bbox`` a ``BoundingBox``, ``circle`` a ``Circle``. Each
    filter left as None does not limit the search."""
    queryset = Feedback.objects.public().select_related("service", "service__division")
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    if services is not None:
        queryset = queryset.filter(service_id__in=services)
    if statuses is not None:
        queryset = queryset.filter(status__in=statuses)
    if district is not None:
        queryset = queryset.filter(district=district)
    if requested_after is not None:
        queryset = queryset.filter(requested_at__gte=requested_after)
    if requested_before is not None:
        queryset = queryset.filter(requested_at__lte=requested_before)
    if updated_after is not None:
        queryset = queryset.filter(updated_at__gte=updated_after)
    if updated_before is not None:
        queryset = queryset.filter(updated_at__lte=updated_before)
    if bbox is not None:
        queryset = _in_box(queryset, bbox)
    if circle is not None:
        queryset = _in_circle(queryset, circle)
    return queryset.order_by("-requested_at", "-id")


def with_public_details(queryset, *, history=False):
    """``queryset`` with its public photos (and public history) read in one query each,
    as ``public_photos`` (and ``public_events``)."""
    prefetches = [
        Prefetch(
            "photos",
            queryset=FeedbackPhoto.objects.filter(is_public=True),
            to_attr="public_photos",
        )
    ]
    if history:
        prefetches.append(
            Prefetch(
                "events",
                queryset=FeedbackEvent.objects.filter(kind__in=PUBLIC_EVENTS),
                to_attr="public_events",
            )
        )
    return queryset.prefetch_related(*prefetches)


def visible_to(user, pk):
    """Feedback ``pk`` as ``user`` may see it on its page: public feedback to everyone,
    and a person's own feedback to them whatever its moderation. None otherwise."""
    queryset = Feedback.objects.select_related("service", "service__division", "district")
    if user.is_authenticated:
        queryset = queryset.filter(Q(moderation=Moderation.PUBLIC) | Q(author=user))
    else:
        queryset = queryset.public()
    return queryset.filter(pk=pk).first()


def feedback_of(user):
    """A person's own feedback, newest first, whatever its moderation."""
    return (
        Feedback.objects.filter(author=user)
        .select_related("service", "duplicate_of")
        .order_by("-requested_at", "-id")
    )


def followed_by(user):
    return (
        Feedback.objects.public()
        .filter(followers__user=user)
        .select_related("service")
        .order_by("-updated_at", "-id")
    )


def is_following(user, feedback):
    return user.is_authenticated and feedback.followers.filter(user=user).exists()


def categories():
    """Categories that take new feedback, with their division."""
    return ServiceCategory.objects.active().select_related("division")


# The staff queue


def staff_queue(
    user,
    *,
    reach,
    moderation=None,
    status="open",
    service=None,
    district=None,
    handler=None,
    overdue=False,
    now=None,
):
    """The feedback in ``reach`` (``permissions.reach(user)``), filtered; oldest first.

    ``status`` is "open", "closed", "all" or one status; ``handler`` is "me", "none"
    or None (anyone)."""
    if not reach.anything:
        return Feedback.objects.none()
    queryset = Feedback.objects.filter(reach.condition()).select_related(
        "service", "service__division", "district", "handler"
    )
    if moderation is not None:
        queryset = queryset.filter(moderation=moderation)
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        queryset = queryset.filter(status__in=CLOSED_STATUSES)
    elif status in Status.values:
        queryset = queryset.filter(status=status)
    if service is not None:
        queryset = queryset.filter(service=service)
    if district is not None:
        queryset = queryset.filter(district=district)
    if handler == "me":
        queryset = queryset.filter(handler=user)
    elif handler == "none":
        queryset = queryset.filter(handler__isnull=True)
    if overdue:
        queryset = queryset.overdue(now)
    return queryset.order_by("requested_at", "id")


def queue_categories(reach):
    """The categories in ``reach``, for the queue's filter."""
    categories = ServiceCategory.objects.all()
    if reach.categories is not None:
        categories = categories.filter(pk__in=reach.categories)
    return categories


def history(feedback):
    return feedback.events.select_related("actor")


# Handling times


def median_handling_seconds(service_id):
    """The median time from sending to closing of the public feedback of a category
    closed other than as a duplicate, in seconds; None when none is closed yet. Two
    indexed queries."""
    times = Feedback.objects.public().filter(service_id=service_id, handling_seconds__isnull=False)
    count = times.count()
    if count == 0:
        return None
    ordered = times.order_by("handling_seconds").values_list("handling_seconds", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return round(sum(middle) / len(middle))


def expected_at(service_id, requested_at):
    """When feedback sent at ``requested_at`` can be expected to be handled: after the
    median handling time of its category, or the week the city promises when the
    category has no handled feedback yet."""
    median = median_handling_seconds(service_id)
    if median is None:
        return requested_at + timedelta(days=ANSWER_PROMISE_DAYS)
    return requested_at + timedelta(seconds=median)


@dataclass(frozen=True)
class ServiceStatistics:
    service: ServiceCategory
    total: int
    closed: int
    handled: int  # closed other than as a duplicate: the handling times are of these
    average_seconds: int | None
    median_seconds: int | None


def service_statistics():
    """Per category: public feedback, how much is closed, and the average and median
    handling time. Three queries: the categories, the counts and averages, the medians
    (read with a window function, so that SQLite and PostgreSQL give the same)."""
    public = Feedback.objects.public()
    counts = {
        row["service_id"]: row
        for row in public.values("service_id").annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(status__in=CLOSED_STATUSES)),
            handled=Count("id", filter=Q(handling_seconds__isnull=False)),
            average=Avg("handling_seconds"),
        )
    }
    ranked = (
        public.filter(handling_seconds__isnull=False)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("service_id")],
                order_by=[F("handling_seconds").asc(), F("id").asc()],
            ),
            count=Window(Count("id"), partition_by=[F("service_id")]),
        )
        # The middle row, or the two middle rows of an even count.
        .filter(Q(place=(F("count") + 1) / 2) | Q(place=F("count") / 2 + 1))
        .values_list("service_id", "handling_seconds")
    )
    middles = {}
    for service_id, seconds in ranked:
        middles.setdefault(service_id, []).append(seconds)
    statistics = []
    for service in ServiceCategory.objects.select_related("division"):
        row = counts.get(service.pk, {})
        middle = middles.get(service.pk)
        average = row.get("average")
        statistics.append(
            ServiceStatistics(
                service=service,
                total=row.get("total", 0),
                closed=row.get("closed", 0),
                handled=row.get("handled", 0),
                average_seconds=None if average is None else round(average),
                median_seconds=round(sum(middle) / len(middle)) if middle else None,
            )
        )
    return statistics


def overdue_count(reach, now=None):
    """Feedback in ``reach`` past the promised week without an answer."""
    if not reach.anything:
        return 0
    return Feedback.objects.filter(reach.condition()).overdue(now).count()


@dataclass(frozen=True)
class Member:
    membership: DivisionMember
    areas: list  # names of the districts of their feedback roles; None for the whole city


def division_members():
    """Divisions with their members and the districts of each member's feedback roles,
    for the page where city administrators manage them: three queries."""
    areas = {}
    roles = StaffRole.objects.filter(
        role=StaffRole.Role.FEEDBACK, user__feedback_divisions__isnull=False
    ).values_list("user_id", "area__kind", "area__name")
    for user_id, kind, name in roles.distinct():
        areas.setdefault(user_id, set()).add(None if kind in (None, Area.Kind.CITY) else name)
    members = {}
    for membership in DivisionMember.objects.select_related("user"):
        found = areas.get(membership.user_id, set())
        ordered = sorted(found, key=lambda name: (name is not None, name or ""))
        members.setdefault(membership.division_id, []).append(Member(membership, ordered))
    return [(division, members.get(division.pk, [])) for division in Division.objects.all()]


# Monitoring


def feedback_by_group(*, since=None, until=None, district=None, now=None):
    """Feedback for monitoring: ``[{year, district, group, channel, feedback, due,
    on_time}]`` by the year it was sent, its district, the division that handles its
    category (``group``, the division's id: ``division_names``) and whether it came
    through the web form or an application over the API (``channel``). ``due`` is the
    feedback whose week has passed or that has been answered or closed; ``on_time`` the
    feedback answered or closed within the week the city promises. One query; no
    names, no texts."""
    rows = Feedback.objects.all()
    if since is not None:
        rows = rows.filter(requested_at__gte=since)
    if until is not None:
        rows = rows.filter(requested_at__lt=until)
    if district is not None:
        rows = rows.filter(district=district)
    promise = timedelta(days=ANSWER_PROMISE_DAYS)
    week_ends = ExpressionWrapper(F("requested_at") + promise, output_field=DateTimeField())
    replied = Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
    in_time = Q(answered_at__lte=F("week_ends")) | Q(closed_at__lte=F("week_ends"))
    return list(
        rows.annotate(
            year=ExtractYear("requested_at"),
            week_ends=week_ends,
            channel=Case(
                When(api_key__isnull=True, then=Value("web")),
                default=Value("application"),
                output_field=CharField(),
            ),
        )
        .values("year", "district", "channel", group=F("service__division"))
        .annotate(
            feedback=Count("id"),
            due=Count("id", filter=replied | Q(requested_at__lt=(now or timezone.now()) - promise)),
            on_time=Count("id", filter=in_time),
        )
        .order_by()
    )


def division_names(keys):
    """The names of the divisions ``keys`` (``feedback_by_group``'s groups), in the
    language of the page."""
    return {division.pk: division.name for division in Division.objects.filter(pk__in=keys)}
