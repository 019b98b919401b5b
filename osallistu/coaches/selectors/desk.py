"""Reads for the coach's desk: the requests a coach may see, their appointments,
response times, the people a request can be handed to, events and companies."""

import datetime
import statistics

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from osallistu.areas.models import Area

from .. import permissions
from ..models import (
    OPEN_STATES,
    OPEN_STATUSES,
    Appointment,
    CoachProfile,
    Company,
    CompanyContact,
    ContactRequest,
    Event,
    EventSignup,
    OfficeHours,
    OfficeHoursException,
    RequestStatus,
)


def visible_requests(user):
    return ContactRequest.objects.filter(permissions.visible_requests_filter(user))


def request_queue(user, *, status=None):
    """Requests ``user`` may handle: those handed or routed to them first, then the
    unassigned ones, then their colleagues'; open ones before others, oldest first."""
    requests = visible_requests(user).select_related(
        "district", "topic", "assigned_to", "asker", "company"
    )
    if status:
        requests = requests.filter(status=status)
    return requests.annotate(
        mine=Case(
            When(assigned_to=user, then=Value(0)),
            When(assigned_to__isnull=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        open_first=Case(
            When(status__in=OPEN_STATUSES, then=Value(0)),
            When(status=RequestStatus.WAITING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    ).order_by("open_first", "mine", "created_at", "pk")


def request_for_desk(user, pk):
    return (
        visible_requests(user)
        .select_related("district", "topic", "assigned_to", "asker", "company")
        .filter(pk=pk)
        .first()
    )


def open_request_count(user):
    return visible_requests(user).filter(status__in=OPEN_STATUSES).count()


def response_times(user, *, days=90, now=None):
    """How quickly the requests ``user`` sees were first answered in the last ``days``:
    ``{"answered": n, "median_hours": …, "waiting": n, "oldest_waiting": datetime}``."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    requests = visible_requests(user).filter(created_at__gte=since)
    durations = [
        (answered - sent).total_seconds() / 3600
        for sent, answered in requests.filter(first_response_at__isnull=False).values_list(
            "created_at", "first_response_at"
        )
    ]
    waiting = (
        visible_requests(user)
        .filter(first_response_at__isnull=True)
        .exclude(status=RequestStatus.CLOSED)
    )
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "answered": len(durations),
        "median_hours": round(statistics.median(durations), 1) if durations else None,
        "waiting": waiting.count(),
        "oldest_waiting": oldest,
    }


def desk_appointments(user, *, now=None, days=14):
    """Upcoming meetings (the next ``days``) of ``user`` as a coach, and their past ones
    not yet marked held or missed."""
    now = now or timezone.now()
    rows = Appointment.objects.select_related("place", "topic", "district", "company")
    upcoming = list(
        rows.filter(
            coach=user,
            state__in=OPEN_STATES,
            begins_at__gte=now - datetime.timedelta(hours=2),
            begins_at__lt=now + datetime.timedelta(days=days),
        ).order_by("begins_at")
    )
    to_record = list(
        rows.filter(
            coach=user,
            state="confirmed",
            begins_at__lt=now,
            begins_at__gte=now - datetime.timedelta(days=60),
        ).order_by("-begins_at")[:50]
    )
    return upcoming, to_record


def appointment_for_desk(user, pk):
    appointment = (
        Appointment.objects.select_related(
            "coach", "place", "topic", "district", "company", "person"
        )
        .filter(pk=pk)
        .first()
    )
    if appointment is None or not permissions.may_handle_appointment(user, appointment):
        return None
    return appointment


def handover_targets(user):
    """Coaches a request can be handed to: every published coach but ``user``."""
    return (
        CoachProfile.objects.filter(
            is_published=True,
            user__is_active=True,
            user__is_staff=True,
            user__roles__role__in=permissions.COACH_ROLES,
        )
        .exclude(user=user)
        .select_related("user")
        .distinct()
        .order_by("kind", "user__full_name")
    )


def notes_of(request):
    return list(request.notes.select_related("author").order_by("created_at", "pk"))


def handovers_of(request):
    return list(request.handovers.select_related("from_coach", "to_coach").order_by("created_at"))


def office_hours_of(coach, *, today):
    return list(
        OfficeHours.objects.filter(coach=coach)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("place")
        .order_by("weekday", "begins")
    )


def exceptions_of(coach, *, today):
    return list(
        OfficeHoursException.objects.filter(coach=coach, date__gte=today)
        .select_related("place")
        .order_by("date", "begins")
    )


def events_for_desk(user, *, now=None):
    """Events ``user`` may manage that have not ended, drafts too; then recent past ones."""
    now = now or timezone.now()
    events = Event.objects.select_related("district", "place", "space_booking__space__unit")
    if not permissions.is_city_admin(user):
        mine = Q(district__in=permissions.coached_districts(user)) | Q(organiser=user)
        if permissions.coaches_whole_city(user):
            mine |= Q(district__kind=Area.Kind.CITY)
        events = events.filter(mine)
    upcoming = list(events.filter(ends_at__gt=now).order_by("begins_at"))
    past = list(
        events.filter(ends_at__lte=now, ends_at__gt=now - datetime.timedelta(days=90)).order_by(
            "-begins_at"
        )
    )
    return upcoming, past


def signups_for_staff(event):
    return list(
        EventSignup.objects.filter(event=event)
        .select_related("person")
        .order_by("cancelled_at", "created_at")
    )


def company_contacts(user, *, limit=50):
    contacts = CompanyContact.objects.select_related("company", "district", "topic", "coach")
    if not permissions.is_city_admin(user):
        contacts = contacts.filter(
            Q(coach=user) | Q(district__in=permissions.coached_districts(user, "business"))
        )
    return list(contacts[:limit])


def company_by_business_id(value):
    return Company.objects.filter(business_id=value).select_related("district").first()
