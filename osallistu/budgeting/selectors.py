"""Reads of participatory budgeting. Nothing here joins a person to a ballot."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from osallistu.areas.models import AgeGroup, Area, Neighbourhood
from osallistu.areas.selectors import residents_by_area
from osallistu.core.models import Job
from osallistu.identity.selectors import in_person_checks_by_staff

from . import permissions, sealing
from .models import (
    PROGRESS_STEPS,
    VOTED_STATUSES,
    Ballot,
    Channel,
    PaperBatch,
    Participation,
    Plan,
    PlanImage,
    PlanUpdate,
    Proposal,
    ProposalComment,
    ProposalStatus,
    Round,
    RoundBudget,
    Shortlist,
)
from .tasks import count_area, mix_round


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


def plans_for_ballot_listing(round, district):
    """``ballot_plans`` with their neighbourhoods and pictures: two queries."""
    return list(
        Plan.objects.on_ballot()
        .filter(round=round)
        .filter(Q(area=district) | Q(area__kind=Area.Kind.CITY))
        .select_related("area", "neighbourhood")
        .prefetch_related(Prefetch("images", queryset=PlanImage.objects.order_by("position")))
        .order_by("area__number", "code")
    )


def neighbourhoods_of(district):
    return list(Neighbourhood.objects.filter(district=district).order_by("number"))


def plan_on_ballot(round, district, code):
    """The plan of ``code`` on the ballot of ``district`` (its own or city-wide) with its
    pictures and proposals, or None."""
    return (
        Plan.objects.on_ballot()
        .filter(round=round, code=code)
        .filter(Q(area=district) | Q(area__kind=Area.Kind.CITY))
        .select_related("area", "neighbourhood")
        .prefetch_related(
            Prefetch("images", queryset=PlanImage.objects.order_by("position")),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.filter(hidden_at__isnull=True).order_by("submitted_at"),
            ),
        )
        .first()
    )


def plans_to_compare(round, district, plan_ids):
    """Those of ``plan_ids`` on the ballot of ``district``, with their pictures, in the
    order given."""
    plans = (
        Plan.objects.on_ballot()
        .filter(round=round, pk__in=list(plan_ids))
        .filter(Q(area=district) | Q(area__kind=Area.Kind.CITY))
        .select_related("area", "neighbourhood")
        .prefetch_related(Prefetch("images", queryset=PlanImage.objects.order_by("position")))
    )
    by_id = {plan.pk: plan for plan in plans}
    return [by_id[plan_id] for plan_id in plan_ids if plan_id in by_id]


def plans_on_ballot(round, plan_ids):
    """Those of ``plan_ids`` that are on the ballot of ``round``, in one query, in no
    particular order (the model's ordering would join the round to sort by it)."""
    return list(Plan.objects.on_ballot().filter(round=round, pk__in=list(plan_ids)).order_by())


def budget_areas(round):
    """The areas that have money in ``round``: the city first, then districts by number."""
    return Area.objects.filter(
        pk__in=RoundBudget.objects.filter(round=round).values("area")
    ).order_by("number")


def public_plans(round=None, *, area=None, theme=None):
    """Plans residents can read: those on the ballot and those voted on, never drafts;
    of ``round``, or of every round (open data)."""
    plans = (
        Plan.objects.filter(status__in=VOTED_STATUSES)
        .select_related("area")
        .order_by("area__number", "code")
    )
    if round is not None:
        plans = plans.filter(round=round)
    if area is not None:
        plans = plans.filter(area=area)
    if theme:
        plans = plans.filter(theme=theme)
    return plans


def participation_of(round, voter):
    if not voter.is_authenticated:
        return None
    # One at most: no ordering, which by the model's would join the round.
    return Participation.objects.filter(round=round, voter=voter).order_by().first()


def shortlist_of(round, voter):
    """The ids of the plans on ``voter``'s shortlist in ``round``: one query."""
    if not voter.is_authenticated or round.seal_key_salt is None:
        return set()
    sealed = (
        Shortlist.objects.filter(round=round, voter=voter)
        .values_list("sealed_plans", flat=True)
        .first()
    )
    if sealed is None:
        return set()
    try:
        return sealing.open_shortlist(round.seal_key_salt, sealed)
    except sealing.BrokenSeal:
        return set()  # BALLOT_SEAL_KEY changed during voting: the voter ticks again


def turnout(round):
    """How many people voted, in total and per channel. No choices, no names."""
    rows = Participation.objects.filter(round=round).values("channel").annotate(n=Count("id"))
    by_channel = {row["channel"]: row["n"] for row in rows}
    return {
        "total": sum(by_channel.values()),
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in Channel.choices],
    }


def turnout_by_home_district(round):
    """``[(district, voters, residents)]`` by where voters lived when they voted, with
    the residents of the latest population figures up to the year voting ended (None
    when there are none); two queries."""
    rows = (
        Participation.objects.filter(round=round, home_district__isnull=False)
        .values(district=F("home_district"))
        .annotate(n=Count("id"))
    )
    counts = {row["district"]: row["n"] for row in rows}
    residents = residents_by_area(year=timezone.localdate(round.voting_ends_at).year)
    return [
        (district, counts.get(district.pk, 0), _count(residents.get(district.pk)))
        for district in Area.objects.districts()
    ]


def district_residents(districts):
    """The residents of ``districts`` together, by the latest population figures of each
    (``areas.Population``): ``{"count", "approximate"}``, or None when none of them has
    figures. One query."""
    residents = residents_by_area()
    figures = [residents[district.pk] for district in districts if district.pk in residents]
    if not figures:
        return None
    return {
        "count": sum(figure.count for figure in figures),
        "approximate": any(figure.approximate for figure in figures),
    }


def _count(figure):
    return figure.count if figure is not None else None


def turnout_by_age(round):
    """``[(age group, voters)]`` by age on the last voting day, as kept with each
    participation; one query."""
    rows = Participation.objects.filter(round=round).values("age_group").annotate(n=Count("id"))
    counts = {row["age_group"]: row["n"] for row in rows}
    return [(group, counts.get(group.value, 0)) for group in AgeGroup]


def participations_for_staff(round):
    """Who voted, for a service point checking that a person has not voted yet.

    Only the participation table: there is no way from here to a ballot.
    """
    return (
        Participation.objects.filter(round=round)
        .select_related("voter", "recorded_by", "confirmed_by")
        .order_by("-voted_at")
    )


def person_at_service_point(*, staff, email="", full_name="", birth_date=None):
    """The person staff are helping, found by their exact e-mail address or by their
    full name and birth date, if staff record ballots for people of their district;
    else None. Never a list to browse: staff find the person in front of them."""
    people = get_user_model().objects.select_related("district")
    if email:
        people = people.filter(email__iexact=email.strip())
    elif full_name and birth_date:
        people = people.filter(full_name__iexact=full_name.strip(), birth_date=birth_date)
    else:
        return None
    found = list(people[:2])
    if len(found) != 1 or not permissions.may_record_ballots_for(staff, found[0]):
        return None
    return found[0]


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


def public_proposals(round=None, *, area=None, theme=None, include_hidden=False):
    """Proposals of ``round`` (or of every round) anyone can read; hidden ones only when
    asked for (a hidden proposal's own page shows why it was hidden)."""
    proposals = Proposal.objects.select_related("area", "plan")
    if round is not None:
        proposals = proposals.filter(round=round)
    if not include_hidden:
        proposals = proposals.filter(hidden_at__isnull=True)
    if area is not None:
        proposals = proposals.filter(area=area)
    if theme:
        proposals = proposals.filter(theme=theme)
    return proposals.order_by("-submitted_at")


def public_proposal_comments():
    """Comments anyone can read: neither the comment nor its proposal hidden."""
    return ProposalComment.objects.filter(hidden_at__isnull=True, proposal_hidden=False)


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
    jobs = count_area.jobs().filter(payload__round=round.pk).order_by("-created_at", "-id")
    for job in jobs:
        latest.setdefault(job.payload.get("area"), job)
    return latest


def paper_batches(round, *, districts):
    """The paper batches of ``round`` in ``districts``, newest first, with their slips."""
    return list(
        PaperBatch.objects.filter(round=round, district__in=districts)
        .select_related("district", "entered_by", "reconciled_by")
        .annotate(ballot_count=Count("ballots"))
        .order_by("-created_at")
    )


def paper_slips(batch):
    """The slips entered in ``batch`` with their plans, in the order they were entered."""
    return list(Ballot.objects.filter(paper_batch=batch).prefetch_related("plans").order_by("id"))


def staff_activity(round):
    """Per member of staff, what they did that made a voter or a vote in ``round``:
    identity documents checked during voting, assisted ballots and paper votes
    recorded, ballots confirmed as the second person, paper slips entered and batches
    reconciled. Sorted by the most acts first, so that what stands out is on top."""
    participations = Participation.objects.filter(round=round)
    recorded = participations.exclude(recorded_by=None).values("recorded_by", "channel")
    rows = {}

    def row(staff_id):
        return rows.setdefault(
            staff_id,
            {
                "assisted": 0,
                "paper": 0,
                "confirmed": 0,
                "identity_checks": 0,
                "slips": 0,
                "reconciled": 0,
            },
        )

    for entry in recorded.annotate(n=Count("pk")):
        row(entry["recorded_by"])[entry["channel"]] += entry["n"]
    for entry in (
        participations.exclude(confirmed_by=None).values("confirmed_by").annotate(n=Count("pk"))
    ):
        row(entry["confirmed_by"])["confirmed"] += entry["n"]
    checks = in_person_checks_by_staff(since=round.voting_starts_at, until=round.voting_ends_at)
    for staff_id, count in checks.items():
        row(staff_id)["identity_checks"] += count
    batches = PaperBatch.objects.filter(round=round)
    for entry in batches.values("entered_by").annotate(n=Count("ballots")):
        row(entry["entered_by"])["slips"] += entry["n"]
    for entry in (
        batches.exclude(reconciled_by=None).values("reconciled_by").annotate(n=Count("pk"))
    ):
        row(entry["reconciled_by"])["reconciled"] += entry["n"]
    people = get_user_model().objects.in_bulk(list(rows))
    activity = [{"staff": people[staff_id], **counts} for staff_id, counts in rows.items()]
    activity.sort(
        key=lambda entry: (-sum(v for k, v in entry.items() if k != "staff"), str(entry["staff"]))
    )
    return activity


def mixing_queued(round):
    """Whether a task that mixes the ballots of ``round`` is due now or running."""
    return (
        mix_round.jobs()
        .filter(payload__round=round.pk, run_after__lte=timezone.now())
        .filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])
        .exists()
    )


def voters_by_group(*, since=None, until=None, district=None):
    """Votes of every round for monitoring: ``[{year, district, age_group, channel,
    people}]`` by year of voting and by the home district and age group that each
    participation kept; ``since`` and ``until`` (datetimes) bound the time of voting and
    ``district`` the home district. One query; no names, no choices."""
    rows = Participation.objects.all()
    if since is not None:
        rows = rows.filter(voted_at__gte=since)
    if until is not None:
        rows = rows.filter(voted_at__lt=until)
    if district is not None:
        rows = rows.filter(home_district=district)
    return list(
        rows.annotate(year=ExtractYear("voted_at"))
        .values("year", "age_group", "channel", district=F("home_district"))
        .annotate(people=Count("*"))
        .order_by()
    )
