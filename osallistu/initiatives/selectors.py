"""Reads of residents' initiatives: the public list and page, supports per day and the
thresholds, the staff queue, the city coaches' queue and the council report.

Lists read their support counts in the same query as the initiatives (subqueries), so
that a page of any length takes the same number of queries.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from osallistu.accounts.models import StaffRole

from . import permissions, thresholds
from .models import (
    OPEN_AT_THE_CITY,
    PUBLIC_STATES,
    Follower,
    Initiative,
    PaperSupportBatch,
    State,
    Support,
    Transition,
)

ORDERS = ("newest", "supports", "deadline")


def _flag(condition):
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _count_of(rows):
    return Coalesce(
        Subquery(
            rows.order_by().values("initiative").annotate(number=Count("pk")).values("number"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_supports(initiatives):
    """Annotate ``supports_online`` (every online support), ``supports_counting_online``
    (of supporters of voting age) and ``paper_valid`` (valid signatures of confirmed
    paper batches)."""
    supports = Support.objects.filter(initiative=OuterRef("pk"))
    paper = (
        PaperSupportBatch.objects.filter(initiative=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("initiative")
        .annotate(valid=Sum("valid"))
        .values("valid")
    )
    return initiatives.annotate(
        supports_online=_count_of(supports),
        supports_counting_online=_count_of(supports.filter(counts=True)),
        paper_valid=Coalesce(Subquery(paper, output_field=IntegerField()), Value(0)),
    )


def supports_total(initiative):
    return initiative.supports_online + initiative.paper_valid


def supports_counted(initiative):
    return initiative.supports_counting_online + initiative.paper_valid


def public_initiatives(
    *, state=None, area=None, category=None, reached=None, query="", order="newest"
):
    """Published initiatives with their support counts, filtered and ordered."""
    initiatives = with_supports(
        Initiative.objects.filter(state__in=PUBLIC_STATES).select_related("area")
    )
    if state:
        initiatives = initiatives.filter(state=state)
    if area is not None:
        initiatives = initiatives.filter(area=area)
    if category:
        initiatives = initiatives.filter(category=category)
    if reached == "council":
        initiatives = initiatives.filter(council_threshold_reached_on__isnull=False)
    elif reached == "referendum":
        initiatives = initiatives.filter(referendum_threshold_reached_on__isnull=False)
    query = query.strip()
    if query:
        initiatives = initiatives.filter(
            Q(title__icontains=query) | Q(proposal__icontains=query) | Q(diary_number=query)
        )
    if order == "supports":
        return initiatives.annotate(supports_all=F("supports_online") + F("paper_valid")).order_by(
            "-supports_all", "-id"
        )
    if order == "deadline":
        return initiatives.order_by("deadline", "-id")
    return initiatives.annotate(
        shown_since=Coalesce("published_at", "sent_at", "created_at")
    ).order_by("-shown_since", "-id")


def with_progress(initiatives):
    """Pair each initiative (annotated by ``with_supports``) with its ``Progress``; the
    population figures are read once per year among them."""
    figures = {}
    return [
        (initiative, thresholds.progress_of(initiative, supports_counted(initiative), figures))
        for initiative in initiatives
    ]


def initiative_for_page(pk):
    """One initiative with what its page shows beside it, or None."""
    return (
        with_supports(Initiative.objects.select_related("area", "division", "coach"))
        .prefetch_related(
            Prefetch("transitions", queryset=Transition.objects.order_by("at", "id")),
            "attachments",
        )
        .filter(pk=pk)
        .first()
    )


def may_see(initiative, user):
    """Drafts are seen by their authors and the city coach helping them; the rest by all."""
    if initiative.is_public:
        return True
    if not user.is_authenticated:
        return False
    if initiative.authors.filter(user=user).exists():
        return True
    return user.is_verified() and permissions.may_coach(user, initiative)


def authors_of(initiative):
    return list(initiative.authors.all())


def supports_per_day(initiative):
    """(day, online, on paper, total so far) for each day with new supports, in order.
    Paper supports count on the day their batch was confirmed."""
    online = (
        Support.objects.filter(initiative=initiative)
        .annotate(day=TruncDate("supported_at"))
        .values("day")
        .annotate(number=Count("pk"))
        .order_by()
    )
    paper = (
        PaperSupportBatch.objects.filter(initiative=initiative, confirmed_at__isnull=False)
        .annotate(day=TruncDate("confirmed_at"))
        .values("day")
        .annotate(number=Sum("valid"))
        .order_by()
    )
    days = {}
    for row in online:
        days.setdefault(row["day"], [0, 0])[0] += row["number"]
    for row in paper:
        days.setdefault(row["day"], [0, 0])[1] += row["number"]
    total = 0
    rows = []
    for day in sorted(days):
        on_line, on_paper = days[day]
        total += on_line + on_paper
        rows.append((day, on_line, on_paper, total))
    return rows


def support_of(initiative, user):
    if not user.is_authenticated:
        return None
    return Support.objects.filter(initiative=initiative, user=user).first()


def is_following(initiative, user):
    return (
        user.is_authenticated and Follower.objects.filter(initiative=initiative, user=user).exists()
    )


def follower_by_token(token):
    return Follower.objects.select_related("initiative").filter(token=token).first()


def my_initiatives(user):
    """Initiatives ``user`` is an author of, drafts first."""
    return list(
        with_supports(
            Initiative.objects.filter(authors__user=user).select_related("area")
        ).order_by("-created_at", "-id")
    )


# Staff


STAFF_FILTERS = ("open", "waiting_registration", "preparing", "overdue", "help", "closed")


def staff_queue(user, *, show="open", area=None, category=None, query="", today=None):
    """Initiatives of the areas ``user`` handles: by default those the city is handling,
    the overdue first, then by deadline and age."""
    today = today or timezone.localdate()
    initiatives = with_supports(
        Initiative.objects.filter(area__in=permissions.handled_areas(user))
        .exclude(state=State.DRAFT)
        .select_related("area", "division", "coach")
    )
    if show == "waiting_registration":
        initiatives = initiatives.filter(state=State.SENT, diary_number="")
    elif show == "preparing":
        initiatives = initiatives.filter(state=State.PREPARING)
    elif show == "overdue":
        initiatives = initiatives.filter(state__in=OPEN_AT_THE_CITY, deadline__lt=today)
    elif show == "help":
        initiatives = initiatives.filter(help_requested_at__isnull=False).exclude(
            state__in=[State.DECIDED, State.ENDED]
        )
    elif show == "closed":
        initiatives = initiatives.filter(state__in=[State.DECIDED, State.ENDED])
    elif show == "collecting":
        initiatives = initiatives.filter(state=State.COLLECTING)
    else:
        initiatives = initiatives.filter(state__in=OPEN_AT_THE_CITY)
    if area is not None:
        initiatives = initiatives.filter(area=area)
    if category:
        initiatives = initiatives.filter(category=category)
    query = query.strip()
    if query:
        initiatives = initiatives.filter(Q(title__icontains=query) | Q(diary_number=query))
    overdue = _flag(Q(state__in=OPEN_AT_THE_CITY, deadline__lt=today))
    return initiatives.annotate(overdue=overdue).order_by("-overdue", "deadline", "sent_at", "id")


def paper_batches(initiative):
    return list(
        PaperSupportBatch.objects.filter(initiative=initiative).select_related(
            "entered_by", "confirmed_by", "returned_by"
        )
    )


def coaches():
    """Every city coach, for the registry's choice: (user, districts)."""
    roles = StaffRole.objects.filter(
        role=StaffRole.Role.CITY_COACH, user__is_active=True, user__is_staff=True
    ).select_related("user", "area")
    found = {}
    for role in roles.order_by("area__number", "user__full_name", "user__pk"):
        found.setdefault(role.user, []).append(role.area)
    return list(found.items())


def coach_queue(user):
    """For a city coach: the initiatives assigned to them (open ones first), and those of
    their districts that asked for help and have no coach yet."""
    assigned = list(
        with_supports(Initiative.objects.filter(coach=user).select_related("area")).order_by(
            _flag(Q(state__in=[State.DECIDED, State.ENDED])),
            "-help_requested_at",
            "-id",
        )
    )
    districts = StaffRole.objects.filter(user=user, role=StaffRole.Role.CITY_COACH).values("area")
    waiting = list(
        Initiative.objects.filter(
            coach__isnull=True, help_requested_at__isnull=False, area__in=districts
        )
        .exclude(state__in=[State.DECIDED, State.ENDED])
        .select_related("area")
        .order_by("help_requested_at")
    )
    return assigned, waiting


# The council report


@dataclass(frozen=True)
class Period:
    year: int
    half: int  # 1: January–June, 2: July–December

    @property
    def first_day(self):
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def last_day(self):
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    def start(self):
        return timezone.make_aware(datetime.datetime.combine(self.first_day, datetime.time.min))

    def end(self):
        """The first moment after the period."""
        return timezone.make_aware(
            datetime.datetime.combine(self.last_day + datetime.timedelta(days=1), datetime.time.min)
        )


def current_period(today=None):
    today = today or timezone.localdate()
    return Period(today.year, 1 if today.month <= 6 else 2)


def report_periods(today=None):
    """Periods from the first sent initiative's to the current one, newest first."""
    first = Initiative.objects.filter(sent_at__isnull=False).order_by("sent_at").first()
    current = current_period(today)
    if first is None:
        return [current]
    period = current_period(timezone.localdate(first.sent_at))
    periods = []
    while (period.year, period.half) <= (current.year, current.half):
        periods.append(period)
        period = Period(period.year + period.half - 1, 3 - period.half)
    return periods[::-1]


@dataclass(frozen=True)
class ReportRow:
    initiative: Initiative
    state: str  # at the end of the period
    state_label: str
    overdue: bool  # open at the end of the period with its deadline passed
    supports: int
    counted: int


def council_report(period):
    """Initiatives the city handled in ``period``: sent by its end and not decided or
    ended before it began; each with its state at the period's end, and whether it was
    then overdue. Three queries."""
    start, end = period.start(), period.end()
    initiatives = (
        with_supports(Initiative.objects.filter(sent_at__lt=end).exclude(closed_at__lt=start))
        .select_related("area", "division")
        .prefetch_related(Prefetch("transitions", queryset=Transition.objects.order_by("at", "id")))
        .order_by("sent_at", "id")
    )
    labels = dict(State.choices)
    rows = []
    for initiative in initiatives:
        state = State.DRAFT
        for transition in initiative.transitions.all():
            if transition.at < end:
                state = transition.to_state
        overdue = (
            state in OPEN_AT_THE_CITY
            and initiative.deadline is not None
            and initiative.deadline <= period.last_day
        )
        rows.append(
            ReportRow(
                initiative=initiative,
                state=state,
                state_label=labels[state],
                overdue=overdue,
                supports=supports_total(initiative),
                counted=supports_counted(initiative),
            )
        )
    return rows


def supporters_by_group(*, since=None, until=None, district=None):
    """Supports of every initiative for monitoring: ``[{year, district, age_group,
    channel, people}]``. Electronic supports by year of supporting and the home district
    and age group each kept; valid signatures of confirmed paper batches by year of
    confirming, of unknown district and age (none when ``district`` is asked for). Two
    queries; no names."""
    supports = Support.objects.all()
    batches = PaperSupportBatch.objects.filter(confirmed_at__isnull=False)
    if since is not None:
        supports = supports.filter(supported_at__gte=since)
        batches = batches.filter(confirmed_at__gte=since)
    if until is not None:
        supports = supports.filter(supported_at__lt=until)
        batches = batches.filter(confirmed_at__lt=until)
    if district is not None:
        supports = supports.filter(home_district=district)
    rows = list(
        supports.annotate(year=ExtractYear("supported_at"), channel=Value("online"))
        .values("year", "age_group", "channel", district=F("home_district"))
        .annotate(people=Count("id"))
        .order_by()
    )
    if district is None:
        rows += [
            {**row, "district": None, "age_group": "", "channel": "paper"}
            for row in batches.annotate(year=ExtractYear("confirmed_at"))
            .values("year")
            .annotate(people=Sum("valid"))
            .order_by()
        ]
    return rows


def answers_by_group(*, since=None, until=None, district=None):
    """Initiatives the city decided, for monitoring: ``[{year, district, decided,
    on_time}]`` by year of the decision and the initiative's area; ``on_time`` were
    decided by their deadline (those without a deadline count as on time). One query."""
    rows = Initiative.objects.filter(state=State.DECIDED, closed_at__isnull=False)
    if since is not None:
        rows = rows.filter(closed_at__gte=since)
    if until is not None:
        rows = rows.filter(closed_at__lt=until)
    if district is not None:
        rows = rows.filter(area=district)
    late = Q(deadline__isnull=False, closed_at__date__gt=F("deadline"))
    return list(
        rows.annotate(year=ExtractYear("closed_at"))
        .values("year", district=F("area"))
        .annotate(decided=Count("id"), on_time=Count("id", filter=~late))
        .order_by()
    )
