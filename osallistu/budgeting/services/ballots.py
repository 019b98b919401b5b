"""Ballots: checking one against the round's rules, casting it online or with a member of
staff at a service point, and marking that a person voted on paper.

A ballot is stored sealed with the voter's participation (``sealing``) until voting
closes; the unique participation of a person in a round makes a second ballot "already
voted", whichever channel it comes through. Staff who record a ballot for someone
else need a second person: the voter's identity checked by someone else, or another
member of staff who confirms with their own second factor.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.areas.models import Area
from osallistu.areas.selectors import demographics_of
from osallistu.core import audit
from osallistu.core.templatetags.osallistu import euros
from osallistu.identity.eligibility import check_eligibility
from osallistu.identity.selectors import identity_checked_by_another

from .. import permissions, sealing, selectors
from ..models import Channel, Participation, Plan, Round, Shortlist
from ..tasks import send_ballot_receipt
from .errors import BallotError


@dataclass(frozen=True)
class BallotPart:
    """The plans chosen in one area, what they cost, and that area's money."""

    area: Area
    budget: int
    plans: tuple[Plan, ...]

    @property
    def cost(self):
        return sum(plan.cost for plan in self.plans)


@dataclass(frozen=True)
class CheckedBallot:
    district: Area
    parts: tuple[BallotPart, ...]
    """The district's part first, then the city-wide part when the round has one."""

    @property
    def plans(self):
        return tuple(plan for part in self.parts for plan in part.plans)


def snapshot_of_voter(voter, round):
    """The voter's home district when voting and age group on the round's last voting
    day (as eligibility counts age), kept with the participation for monitoring."""
    district, age_group = demographics_of(voter, round.last_voting_day)
    return {"home_district_id": district, "age_group": age_group}


def check_voting_open(round, now=None):
    now = now or timezone.now()
    if now < round.voting_starts_at:
        start = formats.date_format(timezone.localtime(round.voting_starts_at), "DATETIME_FORMAT")
        raise BallotError(
            _("Voting has not started yet. It starts on %(start)s.") % {"start": start},
            code="not_started",
        )
    if now >= round.voting_ends_at or round.ballot_box_closed_at is not None:
        raise BallotError(
            _("Voting has ended, so ballots can no longer be cast or changed."), code="ended"
        )


def check_ballot(*, round, district, plan_ids, budgets=None):
    """Check a ballot against the round's rules and return its parts, or raise BallotError.

    Nothing the browser sends is trusted: every plan must be on this round's ballot
    and in the chosen district or city-wide, and each part must fit its area's money.
    ``budgets`` are the round's budgets with their areas if the caller has read them.
    """
    if budgets is None:
        budgets = selectors.round_budgets(round)
    budgets = {budget.area_id: budget for budget in budgets}
    if district is None or district.kind != Area.Kind.DISTRICT or district.pk not in budgets:
        raise BallotError(_("Please choose one of the districts on the list."), code="district")
    wanted = plan_id_set(plan_ids)
    if wanted is None:
        raise BallotError(
            _("Something went wrong with your choices. Please choose again."), code="unknown_plan"
        )
    if not wanted:
        raise BallotError(_("Please choose at least one plan."), code="empty")
    plans = selectors.plans_on_ballot(round, wanted)
    if len(plans) != len(wanted):
        raise BallotError(
            _("Some of the plans you chose are not on this ballot. Please choose again."),
            code="unknown_plan",
        )
    allowed_areas = [district.pk] + [
        area_id for area_id, budget in budgets.items() if budget.area.kind == Area.Kind.CITY
    ]
    if any(plan.area_id not in allowed_areas for plan in plans):
        raise BallotError(
            _(
                "You can only choose plans of the district you chose and city-wide plans. "
                "Please choose again."
            ),
            code="wrong_area",
        )
    parts = []
    for area_id in allowed_areas:
        budget = budgets[area_id]
        chosen = tuple(sorted((p for p in plans if p.area_id == area_id), key=lambda p: p.code))
        part = BallotPart(area=budget.area, budget=budget.amount, plans=chosen)
        check_part(round, part)
        parts.append(part)
    return CheckedBallot(district=district, parts=tuple(parts))


# Larger than any plan id a database hands out: a bigger number is not a plan.
LARGEST_ID = 2**63 - 1


def plan_id_set(plan_ids):
    """The set of plan ids sent, or None if one of them is not a plan id."""
    try:
        wanted = {int(plan_id) for plan_id in plan_ids}
    except (TypeError, ValueError):
        return None
    if any(not 0 < plan_id <= LARGEST_ID for plan_id in wanted):
        return None
    return wanted


def check_part(round, part):
    count = len(part.plans)
    if count < round.min_plans_per_area:
        raise BallotError(
            ngettext(
                "Please choose at least %(count)d plan in %(area)s.",
                "Please choose at least %(count)d plans in %(area)s.",
                round.min_plans_per_area,
            )
            % {"count": round.min_plans_per_area, "area": part.area.name},
            code="too_few",
        )
    if round.max_plans_per_area is not None and count > round.max_plans_per_area:
        raise BallotError(
            ngettext(
                "You can choose at most %(count)d plan in %(area)s. Please remove some.",
                "You can choose at most %(count)d plans in %(area)s. Please remove some.",
                round.max_plans_per_area,
            )
            % {"count": round.max_plans_per_area, "area": part.area.name},
            code="too_many",
        )
    if part.cost > part.budget:
        raise BallotError(
            _(
                "The plans you chose in %(area)s cost %(cost)s together, but there is only "
                "%(budget)s to spend. Please remove some plans."
            )
            % {"area": part.area.name, "cost": euros(part.cost), "budget": euros(part.budget)},
            code="over_budget",
        )


def check_voter(*, round, voter):
    """Raise BallotError with the eligibility reason unless ``voter`` may vote in ``round``."""
    eligibility = check_eligibility(
        voter,
        on_date=round.last_voting_day,
        minimum_age=round.minimum_voting_age,
        age_counted=round.age_rule,
    )
    if not eligibility.allowed:
        raise BallotError(eligibility.reason, code=eligibility.code)


def check_staff_may_record(*, staff, voter, district=None):
    """Staff record ballots only where their roles reach: for residents of their
    district, and a ballot of their district (a city-wide role reaches everywhere)."""
    if not permissions.may_record_ballots(staff, district):
        raise PermissionDenied("this member of staff does not record ballots of that district")
    if not permissions.may_record_ballots_for(staff, voter):
        raise BallotError(
            _(
                "This person lives outside the districts where you record ballots. Please "
                "ask the staff of their district."
            ),
            code="other_district",
        )


def check_second_person(*, voter, staff, confirmed_by):
    """Raise BallotError unless a second person stands behind a ballot that ``staff``
    records for ``voter``: someone else checked the voter's identity, or the member of
    staff ``confirmed_by`` confirms it."""
    if confirmed_by is not None:
        if confirmed_by.pk in (staff.pk, voter.pk):
            raise BallotError(
                _("The second member of staff must be someone else than you and the voter."),
                code="same_person",
            )
        if not permissions.may_record_ballots_for(confirmed_by, voter):
            raise BallotError(
                _("The second member of staff does not record ballots for this person's district."),
                code="confirmer_other_district",
            )
        return
    if not identity_checked_by_another(voter, staff):
        raise BallotError(
            _(
                "You checked this person's identity yourself, or nobody has checked it, so a "
                "second member of staff must confirm the ballot with their own code."
            ),
            code="needs_second_person",
        )


def already_voted():
    return BallotError(
        _("You have already voted in this round. Each person can vote once."),
        code="already_voted",
    )


def check_same_channel_kind(participation, channel):
    """A ballot is changed through the kind of channel it was cast in: a ballot staff
    recorded at a service point is not replaced online, nor an online one at a desk."""
    if participation.channel == channel:
        return
    if channel == Channel.ONLINE:
        raise BallotError(
            _(
                "Your vote was recorded at a service point, so it cannot be changed "
                "online. Each person can vote once."
            ),
            code="voted_at_service_point",
        )
    raise BallotError(
        _(
            "This person has already voted online. A ballot cast online cannot be "
            "changed at a service point."
        ),
        code="voted_online",
    )


def lock_voter(voter):
    """Hold the voter's row until the transaction ends: their ballot and their shortlist
    are written one after the other, never at once (``shortlists``)."""
    get_user_model().objects.select_for_update().filter(pk=voter.pk).exists()


def lock_open_round(round):
    """Hold the round's row until the ballot commits, and check that voting is still
    open. Mixing closes the ballot box under the same lock, so a ballot either commits
    before the box closes, and is mixed, or is refused.

    Taken last in a new ballot's transaction, so that new ballots wait for each other
    only for its commit."""
    current = Round.objects.select_for_update(no_key=True).get(pk=round.pk)
    check_voting_open(current)


def cast_ballot(
    *,
    round,
    voter,
    district,
    plan_ids,
    channel=Channel.ONLINE,
    recorded_by=None,
    confirmed_by=None,
    email_choices=False,
):
    """Record the ballot of ``voter`` in ``round``, or change it where the round allows.

    Online ballots are the voter's own. An assisted ballot is recorded by a member of
    staff (``recorded_by``) at a service point for a resident of their district, with a
    second person behind it (``check_second_person``). One person has one ballot per
    round across every channel: the database's unique participation refuses a second.
    Of simultaneous first ballots of one person one commits; the others then become
    changes, where the round allows them, or are refused.

    The receipt e-mail is a background task committed with the ballot; it carries the
    voter's choices only when ``email_choices``.
    """
    if channel not in (Channel.ONLINE, Channel.ASSISTED):
        raise ValueError(f"ballots are cast online or assisted, not {channel!r}")
    if (channel == Channel.ONLINE) != (recorded_by is None):
        raise ValueError("assisted ballots need recorded_by; online ballots must not")
    if recorded_by is not None:
        check_staff_may_record(staff=recorded_by, voter=voter, district=district)
        check_second_person(voter=voter, staff=recorded_by, confirmed_by=confirmed_by)
    elif confirmed_by is not None:
        raise ValueError("only ballots recorded by staff are confirmed")
    ballot = {
        "voter": voter,
        "district": district,
        "plan_ids": plan_ids,
        "channel": channel,
        "recorded_by": recorded_by,
        "confirmed_by": confirmed_by,
        "email_choices": email_choices,
    }
    try:
        with transaction.atomic():
            return cast_or_change(round=round, **ballot)
    except IntegrityError:
        if not Participation.objects.filter(round=round, voter=voter).exists():
            raise
    # A simultaneous first ballot of this person committed while this one was on its
    # way; now that it is in, this one is a change, or refused.
    with transaction.atomic():
        return cast_or_change(round=round, **ballot)


def cast_or_change(
    *, round, voter, district, plan_ids, channel, recorded_by, confirmed_by, email_choices
):
    """The ballot's transaction: the round as it is now, every rule checked, then the
    participation with the sealed ballot, new or changed, and the voter's shortlist
    deleted. A change deletes the shortlist too: ticks made for it are kept until the
    changed ballot is cast, like those before the first one."""
    lock_voter(voter)
    round = Round.objects.get(pk=round.pk)
    now = timezone.now()
    check_voting_open(round, now)
    check_voter(round=round, voter=voter)
    checked = check_ballot(round=round, district=district, plan_ids=plan_ids)
    sealed = sealing.seal(
        round.seal_public_key,
        district_id=checked.district.pk,
        plan_ids=[plan.pk for plan in checked.plans],
    )
    participation = selectors.participation_of(round, voter)
    if participation is None:
        participation = Participation.objects.create(
            round=round,
            voter=voter,
            channel=channel,
            recorded_by=recorded_by,
            confirmed_by=confirmed_by,
            sealed_ballot=sealed,
            voted_at=now,
            **snapshot_of_voter(voter, round),
        )
        action = "budgeting.ballot_cast"
    else:
        if not round.ballot_changeable or participation.sealed_ballot is None:
            raise already_voted()
        # The round first, then the participation: the order in which mixing takes them.
        lock_open_round(round)
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        check_same_channel_kind(participation, channel)
        participation.sealed_ballot = sealed
        participation.recorded_by = recorded_by
        participation.confirmed_by = confirmed_by
        participation.changed_at = now
        participation.save(
            update_fields=["sealed_ballot", "recorded_by", "confirmed_by", "changed_at"]
        )
        action = "budgeting.ballot_changed"
    audit.record(
        action=action,
        actor=recorded_by or voter,
        on_behalf_of=voter if recorded_by else None,
        target=participation,
        data={
            "round": round.slug,
            "channel": channel,
            "confirmed_by": confirmed_by.pk if confirmed_by else None,
        },
    )
    if voter.email:
        send_ballot_receipt.enqueue(
            voter=voter.pk,
            round=round.pk,
            receipt_code=participation.receipt_code,
            changed=action == "budgeting.ballot_changed",
            choices={
                "district": checked.district.pk,
                "plans": [plan.pk for plan in checked.plans],
            }
            if email_choices
            else None,
        )
    Shortlist.objects.filter(round=round, voter=voter).delete()
    if action == "budgeting.ballot_cast":
        lock_open_round(round)
    return participation


def record_paper_vote(*, round, voter, recorded_by, confirmed_by=None):
    """Staff mark that ``voter`` handed in a paper ballot: the person has voted, and the
    slip goes, without a name, into the batch of its district (``services.paper``).
    The same second-person rule as for an assisted ballot applies."""
    check_staff_may_record(staff=recorded_by, voter=voter)
    check_second_person(voter=voter, staff=recorded_by, confirmed_by=confirmed_by)
    try:
        with transaction.atomic():
            lock_voter(voter)
            round = Round.objects.get(pk=round.pk)
            check_voting_open(round)
            check_voter(round=round, voter=voter)
            if Participation.objects.filter(round=round, voter=voter).exists():
                raise voted_before_paper()
            Shortlist.objects.filter(round=round, voter=voter).delete()
            participation = Participation.objects.create(
                round=round,
                voter=voter,
                channel=Channel.PAPER,
                recorded_by=recorded_by,
                confirmed_by=confirmed_by,
                **snapshot_of_voter(voter, round),
            )
            audit.record(
                action="budgeting.paper_vote_recorded",
                actor=recorded_by,
                on_behalf_of=voter,
                target=participation,
                data={
                    "round": round.slug,
                    "confirmed_by": confirmed_by.pk if confirmed_by else None,
                },
            )
            lock_open_round(round)
    except IntegrityError:
        if not Participation.objects.filter(round=round, voter=voter).exists():
            raise
        raise voted_before_paper() from None
    return participation


def voted_before_paper():
    return BallotError(
        _(
            "This person has already voted in this round, so their paper ballot must not "
            "go into the box."
        ),
        code="already_voted",
    )
