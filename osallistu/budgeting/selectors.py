"""Reads of participatory budgeting. Nothing here joins a person to a ballot."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Prefetch, Q

from osallistu.areas.models import Area
from osallistu.core.models import Job
from osallistu.core.rows import Rows

from .models import (
    PROGRESS_STEPS,
    VOTED_STATUSES,
    Channel,
    Participation,
    Plan,
    PlanStatus,
    PlanUpdate,
    Proposal,
    ProposalStatus,
    Round,
    RoundBudget,
)


def public_rounds():
    return Round.objects.order_by("-voting_starts_at")


def round_budgets(round):
    """The round's budgets, city-wide first, then districts by number."""
    return list(
        RoundBudget.objects.filter(round=round).select_related("area").order_by("area__number")
    )


def ballot_districts(round):
    """Districts a voter can choose in ``round``: those that have money in it."""
    return Area.objects.districts().filter(
        pk__in=RoundBudget.objects.filter(round=round).values("area")
    )


def ballot_plans(round, district):
    """The plans a voter of ``district`` sees: the district's and the city-wide ones.

    One query however many plans: titles are columns of the plan row and the area
    is joined in.
    """
    return list(
        Plan.objects.on_ballot()
        .filter(round=round)
        .filter(Q(area=district) | Q(area__kind=Area.Kind.CITY))
        .select_related("area")
        .order_by("area__number", "code")
    )


_ROUND = Rows(Round, "r")
_BUDGET = Rows(RoundBudget, "b")
_AREA = Rows(Area, "a")
_PLAN = Rows(Plan, "p")


def round_with_budgets(*, pk=None, slug=None):
    """``(round, budgets)`` in one query: the round as it is now and its budgets with
    their areas, city-wide first, then districts by number.

    Voting reads both on every ballot page. Raises ``Round.DoesNotExist`` when there is
    no such round.
    """
    return stamped_round_with_budgets(pk=pk, slug=slug)[:2]


# The version of a round's rules and money as PostgreSQL keeps it: the transaction ids
# that wrote the round's row and each of its budgets and their areas. Any change to one
# of them, or a budget added or removed, gives another text. stamped_round_with_budgets
# composes the same text in Python; a test holds the two together.
RULES_STAMP_SQL = """(
    SELECT r.xmin::text || ':' || coalesce(
        string_agg(b.xmin::text || '.' || a.xmin::text, ',' ORDER BY b.id), '')
    FROM budgeting_round r
    LEFT JOIN budgeting_roundbudget b ON b.round_id = r.id
    LEFT JOIN areas_area a ON a.id = b.area_id
    WHERE r.id = %s
    GROUP BY r.xmin::text
)"""


# The versions of those plans of the ids given (first parameter) that are on the ballot
# of the round (second), in the order of their ids.
PLANS_STAMP_SQL = f"""(
    SELECT string_agg(p.xmin::text, ',' ORDER BY p.id)
    FROM budgeting_plan p
    WHERE p.id = ANY(%s::bigint[]) AND p.round_id = %s AND p.status = '{PlanStatus.ON_BALLOT}'
)"""


def stamps(round_id, plan_ids):
    """The versions of the round ``round_id``'s rules and money and of the plans of
    ``plan_ids``, as they are now (``RULES_STAMP_SQL``, ``PLANS_STAMP_SQL``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {RULES_STAMP_SQL}, {PLANS_STAMP_SQL}", [round_id, plan_ids, round_id]
        )
        return cursor.fetchone()


def stamped_ballot_plans(round):
    """``({id: plan}, {id: version})``: every plan on the ballot of ``round`` and its
    version as ``PLANS_STAMP_SQL`` gives it, in one query (PostgreSQL)."""
    sql = (
        f"SELECT {', '.join(_PLAN.columns())}, p.xmin::text FROM {_PLAN.table}"
        " WHERE p.round_id = %s AND p.status = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [round.pk, PlanStatus.ON_BALLOT])
        rows = cursor.fetchall()
    return {row[0]: _PLAN.make(row[:-1]) for row in rows}, {row[0]: row[-1] for row in rows}


def stamped_round_with_budgets(*, pk=None, slug=None):
    """``round_with_budgets`` and the version of what it read (``RULES_STAMP_SQL``),
    or None for the version where the database keeps none (SQLite)."""
    stamped = connection.vendor == "postgresql"
    round_columns, budget_columns = _ROUND.columns(), _BUDGET.columns()
    versions = ", r.xmin::text, b.xmin::text, a.xmin::text" if stamped else ""
    sql = (
        f"SELECT {', '.join(round_columns + budget_columns + _AREA.columns())}{versions}"
        f" FROM {_ROUND.table}"
        f" LEFT JOIN {_BUDGET.table} ON b.round_id = r.id"
        f" LEFT JOIN {_AREA.table} ON a.id = b.area_id"
        f" WHERE {'r.id' if pk is not None else 'r.slug'} = %s"
        " ORDER BY a.number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk if pk is not None else slug])
        rows = cursor.fetchall()
    if not rows:
        raise Round.DoesNotExist(f"no round {pk if pk is not None else slug!r}")
    split = [len(round_columns), len(round_columns) + len(budget_columns)]
    split.append(split[1] + len(_AREA.columns()))
    round = _ROUND.make(rows[0][: split[0]])
    budgets = []
    for row in rows:
        if row[split[0]] is None:  # a round without money yet
            break
        budget = _BUDGET.make(row[split[0] : split[1]])
        budget.round = round
        budget.area = _AREA.make(row[split[1] : split[2]])
        budgets.append(budget)
    if not stamped:
        return round, budgets, None
    written = sorted(
        (budget.pk, row[split[2] + 1 :])
        for budget, row in zip(budgets, rows[: len(budgets)], strict=True)
    )
    stamp = f"{rows[0][split[2]]}:" + ",".join(f"{b}.{a}" for _pk, (b, a) in written)
    return round, budgets, stamp


def plans_on_ballot(round, plan_ids):
    """Those of ``plan_ids`` that are on the ballot of ``round``, in one query."""
    plan_ids = list(plan_ids)
    if not plan_ids:
        return []
    sql = (
        f"SELECT {', '.join(_PLAN.columns())} FROM {_PLAN.table}"
        f" WHERE p.round_id = %s AND p.status = %s"
        f" AND p.id IN ({', '.join(['%s'] * len(plan_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [round.pk, PlanStatus.ON_BALLOT, *plan_ids])
        return [_PLAN.make(row) for row in cursor.fetchall()]


def budget_areas(round):
    """The areas that have money in ``round``: the city first, then districts by number."""
    return Area.objects.filter(
        pk__in=RoundBudget.objects.filter(round=round).values("area")
    ).order_by("number")


def public_plans(round, *, area=None, theme=None):
    """Plans residents can read: those on the ballot and those voted on, never drafts."""
    plans = (
        Plan.objects.filter(round=round, status__in=VOTED_STATUSES)
        .select_related("area")
        .order_by("area__number", "code")
    )
    if area is not None:
        plans = plans.filter(area=area)
    if theme:
        plans = plans.filter(theme=theme)
    return plans


def participation_of(round, voter):
    if not voter.is_authenticated:
        return None
    return Participation.objects.filter(round=round, voter=voter).first()


def turnout(round):
    """How many people voted, in total and per channel. No choices, no names."""
    rows = Participation.objects.filter(round=round).values("channel").annotate(n=Count("id"))
    by_channel = {row["channel"]: row["n"] for row in rows}
    return {
        "total": sum(by_channel.values()),
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in Channel.choices],
    }


# Helsinki's open data groups voters by these ages (years on the last day of voting).
AGE_GROUPS = ((12, 15), (16, 19), (20, 29), (30, 39), (40, 49), (50, 64), (65, None))


def turnout_by_home_district(round):
    """``[(district, voters, population)]`` by where voters live; one query."""
    rows = (
        Participation.objects.filter(round=round, voter__district__isnull=False)
        .values("voter__district")
        .annotate(n=Count("id"))
    )
    counts = {row["voter__district"]: row["n"] for row in rows}
    return [
        (district, counts.get(district.pk, 0), district.population)
        for district in Area.objects.districts()
    ]


def turnout_by_age(round):
    """``[(youngest, oldest or None, voters)]`` by age on the last voting day; one query."""
    day = round.last_voting_day

    def born_after(years):
        # Born after this date: not yet ``years`` old on the last voting day.
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    counts = {}
    for youngest, oldest in AGE_GROUPS:
        condition = Q(voter__birth_date__lte=born_after(youngest))
        if oldest is not None:
            condition &= Q(voter__birth_date__gt=born_after(oldest + 1))
        counts[f"{youngest}"] = Count("id", filter=condition)
    totals = Participation.objects.filter(round=round).aggregate(**counts)
    return [(youngest, oldest, totals[f"{youngest}"]) for youngest, oldest in AGE_GROUPS]


def participations_for_staff(round):
    """Who voted, for a service point checking that a person has not voted yet.

    Only the participation table: there is no way from here to a ballot.
    """
    return (
        Participation.objects.filter(round=round)
        .select_related("voter", "recorded_by")
        .order_by("-voted_at")
    )


def people_for_assisted_voting(term):
    """People staff can record a ballot for: found by exact e-mail or part of the name."""
    return list(
        get_user_model()
        .objects.filter(Q(email__iexact=term) | Q(full_name__icontains=term))
        .select_related("district")
        .order_by("full_name")[:20]
    )


def voted_among(round, people):
    """Which of ``people`` have voted in ``round``, as a set of user ids."""
    return set(
        Participation.objects.filter(round=round, voter__in=people).values_list(
            "voter_id", flat=True
        )
    )


def published_tallies(round):
    """The official results of ``round``, city-wide first, then districts by number."""
    return list(round.tallies.published().select_related("area").order_by("area__number"))


def latest_tallies(round):
    """``{area_id: the newest count}`` of each area, published or not."""
    latest = {}
    for tally in round.tallies.select_related("area").order_by("area__number", "-counted_at"):
        latest.setdefault(tally.area_id, tally)
    return latest


def plans_by_code(round):
    return {plan.code: plan for plan in Plan.objects.filter(round=round)}


def funded_plans(round):
    """Funded plans with their progress notes, newest first: two queries however many."""
    return list(
        Plan.objects.filter(round=round, status__in=list(PROGRESS_STEPS))
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "updates", queryset=PlanUpdate.objects.order_by("-happened_on", "-recorded_at")
            )
        )
        .order_by("area__number", "code")
    )


def plan_updates(plan):
    return list(plan.updates.order_by("-happened_on", "-recorded_at"))


def public_proposals(round, *, area=None, theme=None, include_hidden=False):
    """Proposals of ``round`` anyone can read; hidden ones only when asked for (a hidden
    proposal's own page shows why it was hidden)."""
    proposals = Proposal.objects.filter(round=round).select_related("area", "plan")
    if not include_hidden:
        proposals = proposals.filter(hidden_at__isnull=True)
    if area is not None:
        proposals = proposals.filter(area=area)
    if theme:
        proposals = proposals.filter(theme=theme)
    return proposals.order_by("-submitted_at")


def proposals_to_decide(round):
    return list(
        Proposal.objects.filter(round=round, status=ProposalStatus.SUBMITTED)
        .select_related("area")
        .order_by("submitted_at")
    )


def accepted_proposals_by_area(round):
    """``[(area, count)]`` of accepted proposals not yet part of a plan."""
    rows = (
        Proposal.objects.filter(round=round, status=ProposalStatus.ACCEPTED, hidden_at__isnull=True)
        .values("area")
        .annotate(n=Count("id"))
    )
    counts = {row["area"]: row["n"] for row in rows}
    return [
        (area, counts[area.pk]) for area in Area.objects.filter(pk__in=counts).order_by("number")
    ]


def plans_for_staff(round, *, areas):
    """Every plan of ``round`` in ``areas``, drafts and withdrawn ones too, with how
    many proposals each is made of."""
    return list(
        Plan.objects.filter(round=round, area__in=areas)
        .select_related("area")
        .annotate(proposal_count=Count("proposals"))
        .order_by("area__number", "code")
    )


def plan_sources(plan):
    """The proposals a plan is made of, with their authors (for staff)."""
    return list(plan.proposals.select_related("author", "area").order_by("submitted_at"))


def proposals_of(author):
    """A person's own proposals in every round, newest first, with the round."""
    return list(
        Proposal.objects.filter(author=author)
        .select_related("round", "area", "plan")
        .order_by("-submitted_at")
    )


def proposal_comments(proposal):
    """Comments on a proposal, oldest first; hidden ones stay in place with the reason."""
    return list(proposal.comments.select_related("author").order_by("written_at", "id"))


def latest_count_jobs(round):
    """``{area_id: the newest background count}`` of each area of ``round``."""
    latest = {}
    jobs = Job.objects.filter(name="budgeting.count", payload__round=round.pk).order_by(
        "-created_at", "-id"
    )
    for job in jobs:
        latest.setdefault(job.payload.get("area"), job)
    return latest
