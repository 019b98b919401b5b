"""Writes of participatory budgeting, in the order of a round: settings and money,
proposals and co-creation, ballots, counting, carrying out the funded plans.

Every function here does one business action in one transaction, raises a
``BudgetingError`` with a message a resident can read, and writes the audit log.
The audit log says who voted and how, never what they chose.
"""

import json
import logging
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.areas.models import Area
from osallistu.core import audit, jobs
from osallistu.core.models import AuditEntry, Job
from osallistu.core.rows import prepared_cursor
from osallistu.core.templatetags.osallistu import euros
from osallistu.identity.eligibility import check_eligibility

from . import permissions, rules_cache, selectors
from .counting import CountingError, TieBreaking, count
from .images import ImageRejected, clean_image
from .jobs import BALLOT_SUMMARY
from .models import (
    PROGRESS_STEPS,
    VOTED_STATUSES,
    Ballot,
    BallotChoice,
    Channel,
    Participation,
    Plan,
    PlanStatus,
    PlanUpdate,
    Proposal,
    ProposalComment,
    ProposalImage,
    ProposalStatus,
    Round,
    RoundBudget,
    Tally,
)
from .results import COUNT_SETTINGS, election_for

logger = logging.getLogger(__name__)


class BudgetingError(Exception):
    """A budgeting action was refused; ``message`` says why in plain words."""

    def __init__(self, message, code=""):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


class BallotError(BudgetingError):
    """A ballot cannot be cast or changed."""


class RoundLocked(BudgetingError):
    """The round's rules or money cannot change because voting has started."""


class TallyError(BudgetingError):
    """A count cannot be run or published."""


class ProposalError(BudgetingError):
    """A proposal cannot be submitted, decided or combined."""


class ProgressError(BudgetingError):
    """A progress update of a plan cannot be recorded."""


# Round settings


def create_round(*, actor, **fields):
    """A new round from the staff's form. Its rules are checked as the model states them."""
    with transaction.atomic():
        round = Round(**fields)
        round.full_clean()
        round.save()
        audit.record(action="budgeting.round_created", actor=actor, target=round)
    return round


def update_round_settings(*, round, actor, **changes):
    """Change settings of ``round``. Its voting rules are fixed once voting has started."""
    unknown = set(changes) - {field.name for field in Round._meta.concrete_fields}
    if unknown:
        raise ValueError(f"unknown round fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        changed = {name: value for name, value in changes.items() if getattr(round, name) != value}
        locked = sorted(set(changed) & set(Round.LOCKED_WHEN_VOTING))
        if locked and round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the rules of this round can no longer be changed."),
                code="voting_started",
            )
        if "slug" in changed and round.voting_has_started():
            # Voters have the round's links in their receipts, e-mails and bookmarks.
            raise RoundLocked(
                _(
                    "Voting has started, so the web address of this round can no longer be "
                    "changed: voters already have its links."
                ),
                code="voting_started",
            )
        for name, value in changed.items():
            setattr(round, name, value)
        round.full_clean()
        round.save()
        if changed:
            audit.record(
                action="budgeting.round_changed",
                actor=actor,
                target=round,
                data={"fields": sorted(changed)},
            )
    return round


def split_budget(*, total, city_share_percent, districts):
    """Split ``total`` whole euros: ``city_share_percent`` to the city-wide budget and
    the rest to ``districts`` in proportion to their population.

    Returns ``{area: euros}`` with the city-wide area first (left out when its share
    is 0). Shares are exact fractions; the euros left after rounding every share down
    go one by one to the largest remainders (ties: larger population first), so the
    amounts always add up to ``total`` exactly.
    """
    districts = list(districts)
    population = sum(district.population for district in districts)
    if total <= 0 or not districts or population <= 0:
        raise ValueError("a positive total and districts with population are needed")
    city_share = Fraction(str(city_share_percent)) / 100
    if not 0 <= city_share < 1:
        raise ValueError("the city-wide share must be at least 0 % and under 100 %")
    quotas = []
    if city_share:
        quotas.append((Area.objects.city(), total * city_share))
    for district in districts:
        quotas.append((district, total * (1 - city_share) * district.population / population))
    amounts = {area: int(quota) for area, quota in quotas}
    left = total - sum(amounts.values())
    by_remainder = sorted(
        quotas, key=lambda item: (item[1] - int(item[1]), item[0].population), reverse=True
    )
    for area, _quota in by_remainder[:left]:
        amounts[area] += 1
    return amounts


def set_round_budgets(*, round, amounts, actor):
    """Give ``round`` exactly the budgets ``{area: euros}``; refused once voting has started."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the money of this round can no longer be changed."),
                code="voting_started",
            )
        removed = round.budgets.exclude(area__in=list(amounts))
        published = sorted(
            {
                plan.area.name
                for plan in round.plans.filter(
                    area__in=removed.values("area"), status__in=VOTED_STATUSES
                ).select_related("area")
            }
        )
        if published:
            raise BudgetingError(
                _(
                    "These areas have plans on the ballot, so their money cannot be removed: "
                    "%(areas)s. Take the plans off the ballot first, or give the areas money."
                )
                % {"areas": ", ".join(published)},
                code="plans_on_ballot",
            )
        removed.delete()
        for area, amount in amounts.items():
            RoundBudget.objects.update_or_create(
                round=round, area=area, defaults={"amount": amount}
            )
        audit.record(
            action="budgeting.budgets_set",
            actor=actor,
            target=round,
            data={area.slug: amount for area, amount in amounts.items()},
        )
    return round


def set_plan_on_ballot(*, plan, on_ballot, actor):
    """Put a plan on the ballot or take it off; the ballot is fixed once voting has started."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=plan.round_id)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the plans on the ballot can no longer be changed."),
                code="voting_started",
            )
        plan.status = PlanStatus.ON_BALLOT if on_ballot else PlanStatus.DRAFT
        plan.save(update_fields=["status"])
        audit.record(
            action="budgeting.plan_on_ballot" if on_ballot else "budgeting.plan_off_ballot",
            actor=actor,
            target=plan,
        )
    return plan


# Proposals and co-creation

# Enough for any resident's ideas; stops a script from flooding a round.
MAX_PROPOSALS_PER_PERSON = 20


@dataclass(frozen=True)
class Place:
    """Where a proposal should happen: words, and optionally a point (WGS84)."""

    text: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


# Helsinki with its sea area and Östersundom, generously: (south, west, north, east).
HELSINKI_BOUNDS = (Decimal("59.90"), Decimal("24.50"), Decimal("60.40"), Decimal("25.40"))
MAX_IMAGES_PER_PROPOSAL = 3


def check_place(place):
    if (place.latitude is None) != (place.longitude is None):
        raise ProposalError(
            _("Give both the latitude and the longitude, or neither."), code="place"
        )
    if place.latitude is not None:
        south, west, north, east = HELSINKI_BOUNDS
        if not (south <= place.latitude <= north and west <= place.longitude <= east):
            raise ProposalError(
                _("The point is not in Helsinki. Check the coordinates or write an address."),
                code="place",
            )


def submit_proposal(
    *, round, author, area, title, description, theme, language, place=None, images=()
):
    """A resident's proposal, accepted only while the round takes proposals.

    ``images`` are ``(file bytes, description)`` pairs; each is checked and stored
    without its metadata.
    """
    place = place or Place()
    check_place(place)
    prepared = _prepare_images(images)
    with _removing_files_on_error() as stored, transaction.atomic():
        round = Round.objects.get(pk=round.pk)
        if not round.proposals_open():
            raise ProposalError(_("This round does not take proposals now."), code="closed")
        if not round.budgets.filter(area=area).exists():
            raise ProposalError(_("Please choose one of the areas on the list."), code="area")
        # Lock the author's row so simultaneous submissions count each other.
        get_user_model().objects.select_for_update().filter(pk=author.pk).exists()
        if round.proposals.filter(author=author).count() >= MAX_PROPOSALS_PER_PERSON:
            raise ProposalError(
                _(
                    "You have sent %(count)s proposals to this round, which is the most one "
                    "person can send."
                )
                % {"count": MAX_PROPOSALS_PER_PERSON},
                code="too_many",
            )
        proposal = Proposal.objects.create(
            round=round,
            area=area,
            author=author,
            title=title.strip(),
            description=description.strip(),
            theme=theme,
            language=language,
            place_text=place.text.strip(),
            latitude=place.latitude,
            longitude=place.longitude,
        )
        _store_images(proposal, prepared, stored)
        audit.record(action="budgeting.proposal_submitted", actor=author, target=proposal)
    return proposal


def _prepare_images(images):
    """Check and clean ``(file bytes, description)`` pairs before anything is stored."""
    prepared = []
    for data, description in images:
        if not description.strip():
            raise ProposalError(
                _("Describe each image for people who cannot see it."), code="image_description"
            )
        try:
            cleaned, extension = clean_image(data)
        except ImageRejected as error:
            raise ProposalError(error.message, code="image") from None
        prepared.append((cleaned, extension, description.strip()))
    return prepared


def _store_images(proposal, prepared, stored):
    """Save cleaned images of ``proposal``; ``stored`` collects the files written, so that
    the caller can remove them if its transaction fails."""
    if proposal.images.count() + len(prepared) > MAX_IMAGES_PER_PROPOSAL:
        raise ProposalError(
            ngettext(
                "A proposal can have at most %(count)d image.",
                "A proposal can have at most %(count)d images.",
                MAX_IMAGES_PER_PROPOSAL,
            )
            % {"count": MAX_IMAGES_PER_PROPOSAL},
            code="too_many_images",
        )
    for cleaned, extension, description in prepared:
        image = ProposalImage(proposal=proposal, description=description)
        image.image.save(f"image.{extension}", ContentFile(cleaned), save=False)
        stored.append(image.image)
        image.save()


@contextmanager
def _removing_files_on_error():
    """Yield a list for the files a transaction writes; if the block fails, delete them
    again (the rows are rolled back, the files would otherwise stay behind)."""
    stored = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def check_author_may_edit(proposal, user):
    """Raise ProposalError unless ``user`` may still edit ``proposal``."""
    if proposal.author_id is None or proposal.author_id != user.pk:
        raise PermissionDenied("only the author edits a proposal")
    if not proposal.round.proposals_open():
        end = formats.date_format(proposal.round.proposals_end, "DATE_FORMAT")
        raise ProposalError(
            _(
                "Proposals could be edited until %(end)s, when the proposal phase ended. "
                "Your proposal stays as it was sent."
            )
            % {"end": end}
            if proposal.round.proposals_end
            else _("This round does not take proposals now."),
            code="closed",
        )
    if proposal.status == ProposalStatus.COMBINED:
        raise ProposalError(
            _("Your proposal is already part of a plan, so it can no longer be edited."),
            code="combined",
        )


def update_proposal(
    *, proposal, author, area, title, description, theme, place=None, images=(), remove_images=()
):
    """The author edits their proposal until the proposal phase ends.

    A proposal that was already accepted or declined goes back to waiting for review,
    because the decision was about the old text; the old decision stays in the audit log.
    """
    place = place or Place()
    check_place(place)
    prepared = _prepare_images(images)
    with _removing_files_on_error() as stored, transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
        check_author_may_edit(proposal, author)
        if not proposal.round.budgets.filter(area=area).exists():
            raise ProposalError(_("Please choose one of the areas on the list."), code="area")
        previous = proposal.status
        proposal.area = area
        proposal.title = title.strip()
        proposal.description = description.strip()
        proposal.theme = theme
        proposal.place_text = place.text.strip()
        proposal.latitude = place.latitude
        proposal.longitude = place.longitude
        proposal.edited_at = timezone.now()
        if previous != ProposalStatus.SUBMITTED:
            proposal.status = ProposalStatus.SUBMITTED
            proposal.decision_reason = ""
            proposal.decided_at = None
            proposal.decided_by = None
        proposal.full_clean()
        proposal.save()
        removed = list(proposal.images.filter(pk__in=[image.pk for image in remove_images]))
        for image in removed:
            image.delete()
        _store_images(proposal, prepared, stored)
        audit.record(
            action="budgeting.proposal_edited",
            actor=author,
            target=proposal,
            data={"previous_status": previous, "images_removed": len(removed)},
        )
        for image in removed:
            transaction.on_commit(partial(image.image.storage.delete, image.image.name))
    return proposal


# Comments on proposals

COMMENTS_PER_PERSON_PER_DAY = 30


def post_proposal_comment(*, proposal, author, text):
    """A signed-in person comments on a proposal, until voting starts."""
    text = text.strip()
    if not text:
        raise ProposalError(_("Write a comment first."), code="empty")
    if len(text) > 2000:
        raise ProposalError(_("A comment can be at most 2000 characters."), code="too_long")
    with transaction.atomic():
        proposal = Proposal.objects.select_related("round").get(pk=proposal.pk)
        if proposal.round.voting_has_started():
            raise ProposalError(
                _("Comments are closed: voting has started."), code="comments_closed"
            )
        if proposal.is_hidden:
            raise ProposalError(
                _("A moderator hid this proposal, so it cannot be commented on."),
                code="hidden",
            )
        get_user_model().objects.select_for_update().filter(pk=author.pk).exists()
        since = timezone.now() - timedelta(days=1)
        if (
            ProposalComment.objects.filter(author=author, written_at__gte=since).count()
            >= COMMENTS_PER_PERSON_PER_DAY
        ):
            raise ProposalError(
                _("You have written very many comments today. Please try again tomorrow."),
                code="rate_limited",
            )
        comment = ProposalComment.objects.create(proposal=proposal, author=author, text=text)
        audit.record(action="budgeting.comment_posted", actor=author, target=comment)
    return comment


def hide_proposal_comment(*, comment, reason, actor):
    """A moderator hides a comment and says why; the text stays for the record."""
    reason = reason.strip()
    if not reason:
        raise ProposalError(_("Please say why the comment is hidden."), code="no_reason")
    with transaction.atomic():
        comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_hidden:
            raise ProposalError(_("This comment is already hidden."), code="hidden")
        comment.hidden_at = timezone.now()
        comment.hidden_reason = reason[:300]
        comment.hidden_by = actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit.record(
            action="budgeting.comment_hidden",
            actor=actor,
            target=comment,
            data={"reason": comment.hidden_reason},
        )
    return comment


def hide_proposal(*, proposal, reason, actor):
    """A moderator hides a proposal that breaks the rules (personal data, insults) and
    says why. The page stays with the reason in place of the text; the author still sees
    their own text, and the text stays for the record. A hidden proposal is not made
    into a plan."""
    reason = reason.strip()
    if not reason:
        raise ProposalError(_("Please say why the proposal is hidden."), code="no_reason")
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.is_hidden:
            raise ProposalError(_("This proposal is already hidden."), code="hidden")
        if proposal.status == ProposalStatus.COMBINED:
            raise ProposalError(
                _("This proposal is part of a plan. Take it out of the plan first."),
                code="combined",
            )
        proposal.hidden_at = timezone.now()
        proposal.hidden_reason = reason[:300]
        proposal.save(update_fields=["hidden_at", "hidden_reason"])
        audit.record(
            action="budgeting.proposal_hidden",
            actor=actor,
            target=proposal,
            data={"reason": proposal.hidden_reason},
        )
    return proposal


def unhide_proposal_comment(*, comment, actor):
    """A moderator shows a hidden comment again (hidden by mistake, or the reason no
    longer holds). The reason leaves the comment; the audit log keeps it."""
    with transaction.atomic():
        comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
        if not comment.is_hidden:
            raise ProposalError(_("This comment is not hidden."), code="not_hidden")
        reason = comment.hidden_reason
        comment.hidden_at = None
        comment.hidden_reason = ""
        comment.hidden_by = None
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit.record(
            action="budgeting.comment_unhidden",
            actor=actor,
            target=comment,
            data={"reason": reason},
        )
    return comment


def unhide_proposal(*, proposal, actor):
    """A moderator shows a hidden proposal again. The reason leaves the proposal; the
    audit log keeps it."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_hidden:
            raise ProposalError(_("This proposal is not hidden."), code="not_hidden")
        reason = proposal.hidden_reason
        proposal.hidden_at = None
        proposal.hidden_reason = ""
        proposal.save(update_fields=["hidden_at", "hidden_reason"])
        audit.record(
            action="budgeting.proposal_unhidden",
            actor=actor,
            target=proposal,
            data={"reason": reason},
        )
    return proposal


def decide_proposal(*, proposal, accept, reason, actor):
    """Accept a proposal for co-creation, or decline it with a reason the proposer reads."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != ProposalStatus.SUBMITTED:
            raise ProposalError(_("This proposal has already been decided."), code="decided")
        if not accept and not reason.strip():
            raise ProposalError(
                _("Please tell the proposer why the proposal cannot go on."), code="no_reason"
            )
        proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
        proposal.decision_reason = reason.strip()
        proposal.decided_at = timezone.now()
        proposal.decided_by = actor
        proposal.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        audit.record(
            action="budgeting.proposal_decided",
            actor=actor,
            target=proposal,
            data={"status": proposal.status},
        )
    return proposal


def create_plan_from_proposals(
    *, proposals, code, title, description, theme, cost_low, cost_high, actor, feasibility=None
):
    """Co-creation: combine accepted proposals of one area into a new draft plan.

    ``title``, ``description`` and ``feasibility`` are ``{"fi": …, "sv": …, "en": …}``.
    The plan goes on the ballot later, with ``set_plan_on_ballot``, before voting starts.
    """
    with transaction.atomic():
        proposals = list(
            Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals])
        )
        if not proposals:
            raise ProposalError(_("Please choose at least one proposal."), code="empty")
        if any(p.status != ProposalStatus.ACCEPTED for p in proposals):
            raise ProposalError(
                _("Only accepted proposals that are not yet part of a plan can be combined."),
                code="not_accepted",
            )
        if any(p.is_hidden for p in proposals):
            raise ProposalError(_("A hidden proposal cannot be made into a plan."), code="hidden")
        if len({(p.round_id, p.area_id) for p in proposals}) != 1:
            raise ProposalError(
                _("A plan is made from proposals of one round and one area."), code="mixed"
            )
        round = Round.objects.select_for_update().get(pk=proposals[0].round_id)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the plans on the ballot can no longer be changed."),
                code="voting_started",
            )
        if Plan.objects.filter(round=round, code=code).exists():
            raise ProposalError(
                _("Another plan of this round already has the code %(code)s.") % {"code": code},
                code="code_taken",
            )
        plan = Plan(
            round=round,
            area_id=proposals[0].area_id,
            code=code,
            theme=theme,
            cost_low=cost_low,
            cost_high=cost_high,
            status=PlanStatus.DRAFT,
            **{f"title_{language}": text for language, text in title.items()},
            **{f"description_{language}": text for language, text in description.items()},
            **{f"feasibility_{language}": text for language, text in (feasibility or {}).items()},
        )
        plan.full_clean()
        plan.save()
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
            status=ProposalStatus.COMBINED, plan=plan
        )
        audit.record(
            action="budgeting.plan_created",
            actor=actor,
            target=plan,
            data={"proposals": sorted(p.pk for p in proposals)},
        )
    return plan


# Fields of a plan that only change before voting starts; its texts may be corrected later.
PLAN_FIELDS_FIXED_WHEN_VOTING = ("code", "theme", "cost_low", "cost_high")
TRANSLATED_PLAN_TEXTS = ("title", "description", "feasibility")


def update_plan(*, plan, actor, texts=None, add_proposals=(), remove_proposals=(), **fields):
    """Edit a plan in co-creation.

    ``texts`` is ``{"title": {"fi": …}, "description": …, "feasibility": …}``; ``fields``
    are among ``code``, ``theme``, ``cost_low`` and ``cost_high``. ``add_proposals`` are
    accepted proposals of the plan's round and area that become part of it;
    ``remove_proposals`` go back to being accepted proposals. Once voting has started
    only the texts can change, so that a typo can be fixed but the ballot stays the same.
    """
    unknown = set(fields) - set(PLAN_FIELDS_FIXED_WHEN_VOTING)
    if unknown:
        raise ValueError(f"unknown plan fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=plan.round_id)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        changed = {name for name, value in fields.items() if getattr(plan, name) != value}
        if (changed or add_proposals or remove_proposals) and round.voting_has_started():
            raise RoundLocked(
                _(
                    "Voting has started, so only the texts of the plan can be corrected. "
                    "Its code, theme, cost and proposals stay as they are."
                ),
                code="voting_started",
            )
        if "code" in changed and round.plans.filter(code=fields["code"]).exists():
            raise ProposalError(
                _("Another plan of this round already has the code %(code)s.")
                % {"code": fields["code"]},
                code="code_taken",
            )
        for name in changed:
            setattr(plan, name, fields[name])
        for name, by_language in (texts or {}).items():
            if name not in TRANSLATED_PLAN_TEXTS:
                raise ValueError(f"unknown plan text: {name}")
            for language, text in by_language.items():
                field = f"{name}_{language}"
                if getattr(plan, field) != text:
                    setattr(plan, field, text)
                    changed.add(field)
        plan.full_clean()
        plan.save()
        added = _link_proposals(plan, add_proposals)
        removed = [p.pk for p in remove_proposals]
        if removed:
            Proposal.objects.filter(plan=plan, pk__in=removed).update(
                status=ProposalStatus.ACCEPTED, plan=None
            )
        if changed or added or removed:
            audit.record(
                action="budgeting.plan_changed",
                actor=actor,
                target=plan,
                data={"fields": sorted(changed), "added": added, "removed": sorted(removed)},
            )
    return plan


def _link_proposals(plan, proposals):
    proposals = list(Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals]))
    where = (plan.round_id, plan.area_id)
    if any(p.is_hidden for p in proposals):
        raise ProposalError(_("A hidden proposal cannot be made into a plan."), code="hidden")
    if any(
        p.status != ProposalStatus.ACCEPTED or (p.round_id, p.area_id) != where for p in proposals
    ):
        raise ProposalError(
            _(
                "Only accepted proposals of the plan's area that are not yet part of a plan "
                "can be added."
            ),
            code="not_accepted",
        )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=ProposalStatus.COMBINED, plan=plan
    )
    return sorted(p.pk for p in proposals)


def withdraw_plan(*, plan, actor):
    """Take a plan out of the round before voting starts; its proposals stay linked to it."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=plan.round_id)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the plans on the ballot can no longer be changed."),
                code="voting_started",
            )
        if plan.status != PlanStatus.WITHDRAWN:
            plan.status = PlanStatus.WITHDRAWN
            plan.save(update_fields=["status"])
            audit.record(action="budgeting.plan_withdrawn", actor=actor, target=plan)
    return plan


# Ballots


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


def check_voting_open(round, now=None):
    now = now or timezone.now()
    if now < round.voting_starts_at:
        start = formats.date_format(timezone.localtime(round.voting_starts_at), "DATETIME_FORMAT")
        raise BallotError(
            _("Voting has not started yet. It starts on %(start)s.") % {"start": start},
            code="not_started",
        )
    if now >= round.voting_ends_at:
        raise BallotError(
            _("Voting has ended, so ballots can no longer be cast or changed."), code="ended"
        )


def check_ballot(*, round, district, plan_ids, budgets=None, known=None):
    """Check a ballot against the round's rules and return its parts, or raise BallotError.

    Nothing the browser sends is trusted: every plan must be on this round's ballot
    and in the chosen district or city-wide, and each part must fit its area's money.
    ``budgets`` are the round's budgets with their areas if the caller has read them,
    ``known`` the plans on its ballot by id.
    """
    if budgets is None:
        budgets = round.budgets.select_related("area")
    budgets = {budget.area_id: budget for budget in budgets}
    if district is None or district.kind != Area.Kind.DISTRICT or district.pk not in budgets:
        raise BallotError(_("Please choose one of the districts on the list."), code="district")
    wanted = _plan_ids(plan_ids)
    if wanted is None:
        raise BallotError(
            _("Something went wrong with your choices. Please choose again."), code="unknown_plan"
        )
    if not wanted:
        raise BallotError(_("Please choose at least one plan."), code="empty")
    if known is None:
        plans = selectors.plans_on_ballot(round, wanted)
    else:
        plans = [known[pk] for pk in wanted if pk in known]
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
        _check_part(round, part)
        parts.append(part)
    return CheckedBallot(district=district, parts=tuple(parts))


def _plan_ids(plan_ids):
    """The set of plan ids sent, or None if one of them is not a number."""
    try:
        return {int(plan_id) for plan_id in plan_ids}
    except (TypeError, ValueError):
        return None


def _check_part(round, part):
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


def ballot_change_key(*, round, voter):
    """The keyed digest that finds a voter's ballot in a round where ballots may change.

    Only code holding the secret key can compute it, so the table of who voted and
    the table of ballots cannot be joined with a query.
    """
    return salted_hmac(
        "osallistu.budgeting.ballot_change", f"{round.pk}:{voter.pk}", algorithm="sha256"
    ).hexdigest()


def cast_ballot(
    *,
    round,
    voter,
    district,
    plan_ids,
    channel=Channel.ONLINE,
    recorded_by=None,
    rules=None,
):
    """Record the ballot of ``voter`` in ``round``, or change it where the round allows.

    ``channel`` is online for the voter themself; assisted and paper ballots are
    recorded by a member of staff (``recorded_by``) who has checked the voter's
    identity. One person has one ballot per round across every channel: the
    database's unique participation refuses a second one. Of simultaneous first
    ballots of one person the database lets one in and holds the others until it
    commits; they are then refused, or, where the round allows changes, become
    changes, which queue on the locked participation row. The voter's choices are
    e-mailed to them by a background job that is committed with the ballot.

    ``rules`` are the round's ``rules_cache.Rules`` as the caller's process keeps
    them, so that they are not read again: the ballot is checked against them and
    written only if they are still current. Without them ``round`` may be an older
    copy, and the round is read again.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if (channel == Channel.ONLINE) != (recorded_by is None):
        raise ValueError("assisted and paper ballots need recorded_by; online ballots must not")
    if recorded_by is not None and not permissions.may_record_ballots(recorded_by, district):
        raise PermissionDenied("only staff with a role in the district record ballots for others")

    ballot = {
        "voter": voter,
        "district": district,
        "plan_ids": plan_ids,
        "channel": channel,
        "recorded_by": recorded_by,
    }
    look_first = False
    for _attempt in range(3):
        try:
            with _ballot_transaction(rules, look_first):
                return _cast_or_change(
                    round_id=round.pk, look_first=look_first, rules=rules, **ballot
                )
        except _RulesChanged:
            pass
        except BallotError:
            wanted = _plan_ids(plan_ids)
            if rules is None or wanted is None or rules.are_current(wanted):
                raise
            # Refused by rules or plans this process kept, which have changed since.
        except IntegrityError:
            if look_first or not Participation.objects.filter(round=round, voter=voter).exists():
                raise
            # A simultaneous submission of this person committed the first ballot
            # while this one was on its way. Now that it is in, this one is a change
            # or refused.
            look_first, rules = True, None
            continue
        rules = rules_cache.read_again(round.slug)
        round = rules.round
    raise BallotError(
        _("The rules of the round changed while your ballot was being saved. Please vote again."),
        code="rules_changed",
    )


class _RulesChanged(Exception):
    """The round's rules or money changed after the ballot was checked against them."""


def _ballot_transaction(rules, look_first):
    """A transaction for the ballot, except where it is written by one statement
    (a new ballot on PostgreSQL in a round whose ballots do not change, its rules
    already read): a statement is atomic by itself, and the BEGIN and COMMIT would
    be two more round trips to the database for every ballot."""
    connection = transaction.get_connection()
    one_statement = (
        rules is not None
        and not rules.round.ballot_changeable
        and not look_first
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    return nullcontext() if one_statement else transaction.atomic()


def _cast_or_change(
    *, round_id, voter, district, plan_ids, channel, recorded_by, look_first, rules=None
):
    """The ballot transaction: the round as it is now, every rule checked, then a new
    participation and anonymous ballot, or the change of the voter's ballot."""
    if rules is None:  # read in the ballot's transaction: current
        round, budgets = selectors.round_with_budgets(pk=round_id)
        known_plans = None
    else:
        round, budgets = rules.round, rules.budgets
        known_plans = rules.plans
    now = timezone.now()
    check_voting_open(round, now)
    check_voter(round=round, voter=voter)
    checked = check_ballot(
        round=round, district=district, plan_ids=plan_ids, budgets=budgets, known=known_plans
    )

    participation = None
    if look_first or round.ballot_changeable:
        participation = (
            Participation.objects.select_for_update().filter(round=round, voter=voter).first()
        )
    new = participation is None
    if new:
        participation = Participation(
            round=round, voter=voter, channel=channel, recorded_by=recorded_by, voted_at=now
        )
        action = "budgeting.ballot_cast"
    else:
        if not round.ballot_changeable:
            raise _already_voted()
        if rules is not None and not rules.are_current([plan.pk for plan in checked.plans]):
            raise _RulesChanged
        check_same_channel_kind(participation, channel)
        _change_ballot(round=round, voter=voter, checked=checked)
        participation.channel = channel
        participation.recorded_by = recorded_by
        participation.changed_at = now
        participation.save(update_fields=["channel", "recorded_by", "changed_at"])
        action = "budgeting.ballot_changed"

    # What audit.record and jobs.enqueue would write, given here so that a new ballot
    # goes to the database with them in one statement.
    entry = {
        "action": action,
        "actor_id": (recorded_by or voter).pk,
        "on_behalf_of_id": voter.pk if recorded_by else None,
        "target_type": Participation._meta.label_lower,
        "target_repr": str(participation)[:200],
        "data": {"round": round.slug, "channel": channel},
    }
    plan_ids = [plan.pk for plan in checked.plans]
    summary = None
    if voter.email:
        summary = {
            "voter": voter.pk,
            "round": round.pk,
            "district": checked.district.pk,
            "plans": plan_ids,
            "receipt_code": participation.receipt_code,
            "changed": action == "budgeting.ballot_changed",
        }
    if new:
        ballot = Ballot(
            round=round,
            district=checked.district,
            change_key=ballot_change_key(round=round, voter=voter)
            if round.ballot_changeable
            else None,
        )
        # A second participation of the person fails here with IntegrityError.
        _insert_ballot(participation, ballot, plan_ids, entry, summary, rules)
    else:
        AuditEntry.objects.create(target_id=str(participation.pk), **entry)
        if summary is not None:
            Job.objects.create(name=BALLOT_SUMMARY, payload=summary, run_after=now)
    return participation


# The new ballot of _insert_ballot on PostgreSQL: one statement of one text, whatever the
# number of plans, which the database keeps prepared (every parameter has its type, as
# server-side binding needs). It writes nothing when the round's rules are no longer
# those of the given stamp. tests/budgeting checks that it writes every column of the
# models.
_INSERT_BALLOT = f"""
WITH participation AS (
    INSERT INTO budgeting_participation
        (round_id, voter_id, channel, recorded_by_id, receipt_code, voted_at, changed_at)
    SELECT %s::bigint, %s::bigint, %s::text, %s::bigint, %s::text, %s::timestamptz, NULL
    WHERE %s::text IS NULL
       OR ({selectors.RULES_STAMP_SQL} = %s::text
           AND {selectors.PLANS_STAMP_SQL} IS NOT DISTINCT FROM %s::text)
    RETURNING id
), ballot AS (
    INSERT INTO budgeting_ballot (id, round_id, district_id, change_key)
    SELECT %s::uuid, %s::bigint, %s::bigint, %s::text FROM participation
), choices AS (
    INSERT INTO budgeting_ballotchoice (id, ballot_id, plan_id)
    SELECT gen_random_uuid(), %s::uuid, plan FROM unnest(%s::bigint[]) AS plan, participation
), audit AS (
    INSERT INTO core_auditentry (created_at, actor_id, on_behalf_of_id, action, target_type,
                                 target_id, target_repr, data)
    SELECT %s::timestamptz, %s::bigint, %s::bigint, %s::text, %s::text, id::text, %s::text,
           %s::jsonb
    FROM participation
), summary AS (
    INSERT INTO core_job (name, payload, state, attempts, run_after, leased_until, created_at,
                          finished_at, result, error)
    SELECT %s::text, %s::jsonb, %s::text, 0, %s::timestamptz, NULL, %s::timestamptz, NULL, NULL,
           ''
    FROM participation WHERE %s::boolean
)
SELECT id FROM participation
"""


def _insert_ballot(participation, ballot, plan_ids, entry, summary, rules):
    """Insert a new participation, the anonymous ballot and its choices of ``plan_ids``,
    the audit ``entry`` and the ballot ``summary`` job (``None``: no e-mail), or raise
    _RulesChanged if the round's kept ``rules`` (if given) or the plans are no longer
    as read.

    On PostgreSQL this is one statement: one round trip to the database instead of five,
    the busiest write of a round. The database's constraints are checked as for any
    insert, so a second participation of the person still fails with IntegrityError.
    Elsewhere the rows are saved one by one.
    """
    connection = transaction.get_connection()
    now = participation.voted_at
    if connection.vendor != "postgresql":
        participation.save(force_insert=True)
        ballot.save(force_insert=True)
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, plan_id=plan_id) for plan_id in plan_ids
        )
        AuditEntry.objects.create(target_id=str(participation.pk), **entry)
        if summary is not None:
            Job.objects.create(name=BALLOT_SUMMARY, payload=summary, run_after=now)
        return
    stamp = rules and rules.stamp
    plans_stamp = stamp and rules.plans_stamp(plan_ids)
    params = [
        *(participation.round_id, participation.voter_id, participation.channel),
        *(participation.recorded_by_id, participation.receipt_code, now),
        *(stamp, participation.round_id, stamp),
        *(plan_ids, participation.round_id, plans_stamp),
        *(ballot.pk, ballot.round_id, ballot.district_id, ballot.change_key),
        *(ballot.pk, plan_ids),
        *(now, entry["actor_id"], entry["on_behalf_of_id"], entry["action"]),
        *(entry["target_type"], entry["target_repr"], json.dumps(entry["data"])),
        *(BALLOT_SUMMARY, json.dumps(summary), Job.State.QUEUED.value, now, now),
        summary is not None,
    ]
    with prepared_cursor() as cursor:
        cursor.execute(_INSERT_BALLOT, params)
        written = cursor.fetchone()
    if written is None:
        raise _RulesChanged
    participation.pk = written[0]
    participation._state.adding = False
    participation._state.db = connection.alias


def check_same_channel_kind(participation, channel):
    """A ballot is changed through the kind of channel it was cast in: a ballot staff
    recorded at a service point is not replaced online, nor an online one at a desk."""
    if participation.channel == channel or Channel.ONLINE not in (participation.channel, channel):
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


def _already_voted():
    return BallotError(
        _("You have already voted in this round. Each person can vote once."),
        code="already_voted",
    )


def _change_ballot(*, round, voter, checked):
    ballot = Ballot.objects.select_for_update().get(
        round=round, change_key=ballot_change_key(round=round, voter=voter)
    )
    ballot.district = checked.district
    ballot.save(update_fields=["district"])
    ballot.choices.all().delete()
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, plan=plan) for plan in checked.plans
    )


# Counting


def _lock_countable(round, area):
    """Lock the round and check that ``area`` can be counted: voting has ended, the
    area has money and its result is not yet published. Returns the locked round."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.voting_has_ended():
        raise TallyError(_("Votes can be counted only after voting has ended."), code="open")
    if round.tallies.published().filter(area=area).exists():
        raise TallyError(
            _("The result of %(area)s is already published.") % {"area": area.name},
            code="published",
        )
    if not round.budgets.filter(area=area).exists():
        raise TallyError(_("This area has no money in this round."), code="no_budget")
    return round


def run_count(*, round, area, actor, tie_seed=None):
    """Count the area's ballots with the round's rule and keep the result as a preview.

    Only after voting has ended, and only until the area's result is published.
    Ties are broken by cost, then votes, then a lot whose seed is stored with the
    result, so anyone can recount.
    """
    with transaction.atomic():
        round = _lock_countable(round, area)
        instance, profile = election_for(round, area)
        if not profile.ballots:
            raise TallyError(
                _("Nobody voted for plans in %(area)s, so there is nothing to count.")
                % {"area": area.name},
                code="no_ballots",
            )
        try:
            result = count(
                instance,
                profile,
                tie_breaking=TieBreaking(seed=tie_seed),
                **COUNT_SETTINGS[round.counting_rule],
            )
        except CountingError as error:
            # Ballots were checked when cast; this means stored data broke a rule.
            logger.exception("Count of %s / %s failed", round.slug, area.slug)
            raise TallyError(
                _("The votes could not be counted: %(reason)s") % {"reason": error},
                code="counting_error",
            ) from error
        tally = Tally.objects.create(
            round=round,
            area=area,
            rule=round.counting_rule,
            budget=instance.budget,
            ballots_counted=len(profile.ballots),
            result=result.as_dict(),
            counted_by=actor,
        )
        audit.record(
            action="budgeting.count_run",
            actor=actor,
            target=tally,
            data={"area": area.slug, "rule": tally.rule, "ballots": tally.ballots_counted},
        )
    return tally


def publish_tally(*, tally, actor):
    """Make a count the area's official result and mark its plans funded or not funded."""
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=tally.round_id)
        tally = Tally.objects.select_for_update().get(pk=tally.pk)
        if Tally.objects.published().filter(round=tally.round_id, area=tally.area_id).exists():
            raise TallyError(
                _("The result of %(area)s is already published.") % {"area": tally.area.name},
                code="published",
            )
        tally.published_at = timezone.now()
        tally.published_by = actor
        tally.save(update_fields=["published_at", "published_by"])
        plans = Plan.objects.filter(
            round=tally.round_id, area=tally.area_id, status=PlanStatus.ON_BALLOT
        )
        plans.filter(code__in=tally.selected).update(status=PlanStatus.FUNDED)
        plans.exclude(code__in=tally.selected).update(status=PlanStatus.NOT_FUNDED)
        audit.record(
            action="budgeting.result_published",
            actor=actor,
            target=tally,
            data={"area": tally.area.slug, "funded": list(tally.selected)},
        )
    return tally


COUNT_JOB = "budgeting.count"


def request_count(*, round, area, actor):
    """Ask for the area's votes to be counted in the background (``jobs.count_area``).

    The same rules as ``run_count`` are checked first, so that staff hear at once
    why a count cannot run; one count of an area runs at a time.
    """
    with transaction.atomic():
        round = _lock_countable(round, area)
        if Job.objects.filter(
            name=COUNT_JOB,
            payload__round=round.pk,
            payload__area=area.pk,
            state__in=[Job.State.QUEUED, Job.State.RUNNING],
        ).exists():
            raise TallyError(
                _("%(area)s is being counted already.") % {"area": area.name}, code="counting"
            )
        job = jobs.enqueue(COUNT_JOB, {"round": round.pk, "area": area.pk, "actor": actor.pk})
        audit.record(
            action="budgeting.count_requested",
            actor=actor,
            target=round,
            data={"area": area.slug, "job": job.pk},
        )
    return job


# Carrying out funded plans


def record_plan_progress(*, plan, status, note, actor, happened_on=None):
    """Add a public progress note to a funded plan and move it on if ``status`` says so.

    ``note`` is ``{"fi": …, "sv": …, "en": …}``; Finnish is required, the others fall
    back to it. A plan only moves forward: funded, being carried out, carried out.
    """
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        allowed = PROGRESS_STEPS.get(plan.status)
        if allowed is None:
            raise ProgressError(_("Only funded plans are carried out."), code="not_funded")
        if status not in allowed:
            raise ProgressError(_("A plan cannot go back to an earlier stage."), code="backwards")
        if not (note.get("fi") or "").strip():
            raise ProgressError(
                _("Please write what happened, at least in Finnish."), code="no_note"
            )
        update = PlanUpdate.objects.create(
            plan=plan,
            status=status,
            note_fi=note["fi"].strip(),
            note_sv=(note.get("sv") or "").strip() or None,
            note_en=(note.get("en") or "").strip() or None,
            happened_on=happened_on or timezone.localdate(),
            recorded_by=actor,
        )
        if status != plan.status:
            plan.status = status
            plan.save(update_fields=["status"])
        audit.record(
            action="budgeting.plan_progress",
            actor=actor,
            target=plan,
            data={"status": status, "update": update.pk},
        )
    return update
