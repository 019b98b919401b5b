"""Counting an area's ballots with the round's rule, and publishing the result.

Only the ballot box is counted, so only after mixing, and only once every paper batch
that holds the area's ballots is reconciled. A count is a preview until published;
where the round says so, another person than the one who asked for the count
publishes it.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas.models import Area
from osallistu.core import audit
from osallistu.core.models import Job

from ..counting import CountingError, TieBreaking, count
from ..models import PaperBatch, Plan, PlanStatus, Round, Tally
from ..results import COUNT_SETTINGS, election_for
from ..tasks import count_area
from .errors import TallyError

logger = logging.getLogger(__name__)


def why_not_countable(round, area):
    """The ``TallyError`` that refuses counting ``area`` of ``round`` now, or None."""
    if not round.voting_has_ended():
        return TallyError(_("Votes can be counted only after voting has ended."), code="open")
    if not round.ballots_mixed:
        return TallyError(
            _(
                "The ballots are being moved to the ballot box. Counting is possible once "
                "that is done."
            ),
            code="not_mixed",
        )
    if round.tallies.published().filter(area=area).exists():
        return TallyError(
            _("The result of %(area)s is already published.") % {"area": area.name},
            code="published",
        )
    if not round.budgets.filter(area=area).exists():
        return TallyError(_("This area has no money in this round."), code="no_budget")
    waiting = PaperBatch.objects.filter(round=round, reconciled_at__isnull=True)
    if area.kind != Area.Kind.CITY:  # city-wide plans are on every district's slips
        waiting = waiting.filter(district=area)
    if waiting.exists():
        return TallyError(
            _(
                "Some paper ballots of %(area)s are not reconciled yet. Count once a second "
                "person has reconciled every batch."
            )
            % {"area": area.name},
            code="paper_waiting",
        )
    return None


def lock_countable(round, area):
    """Lock the round and check that ``area`` can be counted. Returns the locked round."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    problem = why_not_countable(round, area)
    if problem is not None:
        raise problem
    return round


def run_count(*, round, area, actor, tie_seed=None):
    """Count the area's ballots with the round's rule and keep the result as a preview.

    Ties are broken by cost, then votes, then a lot whose seed is stored with the
    result, so anyone can recount.
    """
    with transaction.atomic():
        round = lock_countable(round, area)
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
        round = Round.objects.select_for_update().get(pk=tally.round_id)
        tally = Tally.objects.select_for_update().select_related("area").get(pk=tally.pk)
        if Tally.objects.published().filter(round=round, area=tally.area_id).exists():
            raise TallyError(
                _("The result of %(area)s is already published.") % {"area": tally.area.name},
                code="published",
            )
        if round.publication_needs_second_person and tally.counted_by_id == actor.pk:
            raise TallyError(
                _(
                    "You asked for this count, so another city administrator checks and "
                    "publishes it."
                ),
                code="same_person",
            )
        tally.published_at = timezone.now()
        tally.published_by = actor
        tally.save(update_fields=["published_at", "published_by"])
        plans = Plan.objects.filter(round=round, area=tally.area_id, status=PlanStatus.ON_BALLOT)
        plans.filter(code__in=tally.selected).update(status=PlanStatus.FUNDED)
        plans.exclude(code__in=tally.selected).update(status=PlanStatus.NOT_FUNDED)
        audit.record(
            action="budgeting.result_published",
            actor=actor,
            target=tally,
            data={"area": tally.area.slug, "funded": list(tally.selected)},
        )
    return tally


def request_count(*, round, area, actor):
    """Ask for the area's votes to be counted in the background (``tasks.count_area``).

    The same rules as ``run_count`` are checked first, so that staff hear at once
    why a count cannot run; one count of an area runs at a time.
    """
    with transaction.atomic():
        round = lock_countable(round, area)
        running = count_area.jobs().filter(
            payload__round=round.pk,
            payload__area=area.pk,
            state__in=[Job.State.QUEUED, Job.State.RUNNING],
        )
        if running.exists():
            raise TallyError(
                _("%(area)s is being counted already.") % {"area": area.name}, code="counting"
            )
        job = count_area.enqueue(round=round.pk, area=area.pk, actor=actor.pk)
        audit.record(
            action="budgeting.count_requested",
            actor=actor,
            target=round,
            data={"area": area.slug, "job": job.pk},
        )
    return job
