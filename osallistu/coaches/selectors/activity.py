"""What coaches did, for monitoring: contacts, appointments, events and participants
per coach, district and month, and the companies reached per district and topic.

Months are calendar months in Helsinki time. Nothing here names a resident.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth

from osallistu.areas.models import Area

from ..models import (
    CITY_TZ,
    Appointment,
    AppointmentState,
    CompanyContact,
    ContactRequest,
    Event,
    EventSignup,
    Topic,
)
from .slots import local_datetime

# Meetings that took place or are still to take place; cancelled, unconfirmed and
# missed ones are left out.
COUNTED_APPOINTMENTS = (AppointmentState.CONFIRMED, AppointmentState.HELD)


@dataclass
class ActivityRow:
    month: datetime.date  # the first day of the month
    coach: object  # User
    district: Area
    requests: int = 0
    """Contact requests received (routed or handed to the coach by now)."""
    company_contacts: int = 0
    """Contacts with companies the coach logged."""
    appointments: int = 0
    """Meetings confirmed or held."""
    events: int = 0
    """Events organised and not cancelled."""
    participants: int = 0
    """People at those events: as recorded after the event, else those signed up."""

    @property
    def contacts(self):
        """Every contact with a person or a company, events aside."""
        return self.requests + self.company_contacts + self.appointments


@dataclass
class Activity:
    first_day: datetime.date
    last_day: datetime.date
    rows: list[ActivityRow] = field(default_factory=list)

    def totals(self):
        names = ("requests", "company_contacts", "appointments", "events", "participants")
        return {name: sum(getattr(row, name) for row in self.rows) for name in names}


def _bounds(first_day, last_day):
    return local_datetime(first_day, datetime.time()), local_datetime(
        last_day + datetime.timedelta(days=1), datetime.time()
    )


def _month(value):
    if isinstance(value, datetime.datetime):
        value = value.astimezone(CITY_TZ).date()
    return value.replace(day=1)


def activity(*, first_day, last_day, district=None):
    """``Activity`` of every coach between ``first_day`` and ``last_day`` (dates, both
    included), one row per month, coach and district that had anything; of one
    ``district`` when given. Five grouped queries."""
    begins, ends = _bounds(first_day, last_day)
    counts = defaultdict(lambda: defaultdict(int))

    def add(rows, name, coach_key="coach", month_key="month", value_key="n"):
        for row in rows:
            if row[coach_key] is None:
                continue
            key = (_month(row[month_key]), row[coach_key], row["district"])
            counts[key][name] += row[value_key] or 0

    def by_month(queryset, moment, *, local=True):
        if district is not None:
            queryset = queryset.filter(district=district)
        # A date is a Helsinki date already; a moment is truncated in Helsinki time.
        return queryset.annotate(month=TruncMonth(moment, tzinfo=CITY_TZ if local else None))

    add(
        by_month(
            ContactRequest.objects.filter(created_at__gte=begins, created_at__lt=ends), "created_at"
        )
        .values("month", "assigned_to", "district")
        .annotate(n=Count("id")),
        "requests",
        coach_key="assigned_to",
    )
    add(
        by_month(
            CompanyContact.objects.filter(happened_on__range=(first_day, last_day)),
            "happened_on",
            local=False,
        )
        .values("month", "coach", "district")
        .annotate(n=Count("id")),
        "company_contacts",
    )
    add(
        by_month(
            Appointment.objects.filter(
                begins_at__gte=begins, begins_at__lt=ends, state__in=COUNTED_APPOINTMENTS
            ),
            "begins_at",
        )
        .values("month", "coach", "district")
        .annotate(n=Count("id")),
        "appointments",
    )
    events = by_month(
        Event.objects.published().filter(
            begins_at__gte=begins, begins_at__lt=ends, cancelled_at__isnull=True
        ),
        "begins_at",
    )
    add(
        events.values("month", "organiser", "district").annotate(n=Count("id")),
        "events",
        coach_key="organiser",
    )
    add(
        events.filter(participants__isnull=False)
        .values("month", "organiser", "district")
        .annotate(n=Sum("participants")),
        "participants",
        coach_key="organiser",
    )
    add(
        EventSignup.objects.filter(
            event__in=events.filter(participants__isnull=True).values("pk"),
            cancelled_at__isnull=True,
        )
        .annotate(
            month=TruncMonth("event__begins_at", tzinfo=CITY_TZ),
            coach=F("event__organiser"),
            district=F("event__district"),
        )
        .values("month", "coach", "district")
        .annotate(n=Count("id")),
        "participants",
    )
    users = get_user_model().objects.in_bulk({key[1] for key in counts})
    areas = Area.objects.in_bulk({key[2] for key in counts})
    rows = [
        ActivityRow(month=month, coach=users[coach], district=areas[area], **values)
        for (month, coach, area), values in counts.items()
    ]
    rows.sort(key=lambda row: (row.month, row.district.number, str(row.coach)))
    return Activity(first_day, last_day, rows)


@dataclass(frozen=True)
class ReachRow:
    district: Area
    topic: Topic
    companies: int
    """Different companies reached."""
    contacts: int


def companies_reached(*, first_day, last_day):
    """How many different companies business coaches reached per district and topic
    between ``first_day`` and ``last_day``, and in all (``(rows, total companies)``)."""
    contacts = CompanyContact.objects.filter(happened_on__range=(first_day, last_day))
    grouped = (
        contacts.values("district", "topic")
        .annotate(companies=Count("company", distinct=True), contacts=Count("id"))
        .order_by()
    )
    areas = Area.objects.in_bulk({row["district"] for row in grouped})
    topics = Topic.objects.in_bulk({row["topic"] for row in grouped})
    rows = sorted(
        (
            ReachRow(
                areas[row["district"]], topics[row["topic"]], row["companies"], row["contacts"]
            )
            for row in grouped
        ),
        key=lambda row: (row.district.number, row.topic.position, row.topic.slug),
    )
    total = contacts.values("company").distinct().count()
    return rows, total


# The kinds of contact of ``activity_by_group``.
CONTACT_KINDS = ("requests", "company_contacts", "appointments")
# Bounds of an open-ended period: far enough to hold everything recorded.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(9000, 12, 31)


def activity_by_group(*, since=None, until=None, district=None):
    """``activity`` for monitoring, by year: ``[{year, district, group, channel,
    contacts, events, participants}]`` where ``group`` is the coach's id
    (``coach_names``) and
    ``channel`` the kind of contact (``CONTACT_KINDS``; "" for events and their
    participants). ``since`` and ``until`` are datetimes (the city's days they fall on
    bound the period; None: open). The queries of ``activity``."""
    first_day = since.astimezone(CITY_TZ).date() if since is not None else EARLIEST
    last_day = (
        (until - datetime.timedelta(microseconds=1)).astimezone(CITY_TZ).date()
        if until is not None
        else LATEST
    )
    totals = defaultdict(lambda: defaultdict(int))
    for row in activity(first_day=first_day, last_day=last_day, district=district).rows:
        base = (row.month.year, row.district.pk, row.coach.pk)
        for kind in CONTACT_KINDS:
            totals[(*base, kind)]["contacts"] += getattr(row, kind)
        totals[(*base, "")]["events"] += row.events
        totals[(*base, "")]["participants"] += row.participants
    return [
        {
            "year": year,
            "district": area,
            "group": coach,
            "channel": channel,
            "contacts": values["contacts"],
            "events": values["events"],
            "participants": values["participants"],
        }
        for (year, area, coach, channel), values in totals.items()
        if any(values.values())
    ]


def coach_names(keys):
    """The names of the coaches ``keys`` (``activity_by_group``'s groups)."""
    return {coach.pk: str(coach) for coach in get_user_model().objects.filter(pk__in=keys)}
