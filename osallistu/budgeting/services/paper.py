"""Paper ballots, entered in batches that a second person reconciles.

A paper slip carries no name: at the service point staff mark the person as having
voted (``ballots.record_paper_vote``) and the slip goes into the district's envelope.
Whoever opens an envelope writes down how many slips it holds, enters each slip (a
slip that breaks the rules is entered as void), and submits the batch; another member
of staff counts the slips again and reconciles the batch. Only reconciled batches are
counted, and nobody reconciles a batch they entered.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.core import audit

from .. import permissions, selectors
from ..models import Ballot, BallotChoice, PaperBatch, Round
from .ballots import check_ballot
from .errors import BallotBoxError

MAX_RETURN_REASON = PaperBatch._meta.get_field("return_reason").max_length


def check_may_enter(actor, district):
    if not permissions.may_record_ballots(actor, district):
        raise PermissionDenied("paper ballots are entered by staff of their district")


def check_count_not_published(round, district):
    if round.tallies.published().filter(area=district).exists():
        raise BallotBoxError(
            _("The result of %(area)s is already published, so no more ballots go in.")
            % {"area": district.name},
            code="published",
        )


def open_paper_batch(*, round, district, label, slips_declared, actor):
    """Start entering an envelope of ``slips_declared`` paper ballots of ``district``."""
    check_may_enter(actor, district)
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        if not round.voting_has_started():
            raise BallotBoxError(
                _("Voting has not started, so there are no paper ballots yet."), code="not_started"
            )
        if district not in selectors.ballot_districts(round):
            raise BallotBoxError(
                _("Please choose one of the districts on the list."), code="district"
            )
        check_count_not_published(round, district)
        batch = PaperBatch.objects.create(
            round=round,
            district=district,
            label=label.strip(),
            slips_declared=slips_declared,
            entered_by=actor,
        )
        audit.record(
            action="budgeting.paper_batch_opened",
            actor=actor,
            target=batch,
            data={"district": district.slug, "slips": slips_declared},
        )
    return batch


def lock_batch_being_entered(batch, actor):
    """The batch, locked, if ``actor`` is entering it and has not submitted it."""
    batches = PaperBatch.objects.select_for_update().select_related("round", "district")
    batch = batches.get(pk=batch.pk)
    if batch.entered_by_id != actor.pk:
        raise PermissionDenied("a batch is entered by the person who opened it")
    if batch.submitted_at is not None:
        raise BallotBoxError(
            _("This batch is already entered in full, so it cannot be changed."),
            code="submitted",
        )
    return batch


def enter_paper_slip(*, batch, plan_ids, actor):
    """Enter one slip of the batch; it goes to the ballot box as it is, without a name."""
    with transaction.atomic():
        batch = lock_batch_being_entered(batch, actor)
        check_count_not_published(batch.round, batch.district)
        if entered_slips(batch) >= batch.slips_declared:
            raise too_many_slips(batch)
        checked = check_ballot(round=batch.round, district=batch.district, plan_ids=plan_ids)
        ballot = Ballot.objects.create(
            round=batch.round, district=batch.district, paper_batch=batch
        )
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, plan=plan) for plan in checked.plans
        )
    return ballot


def enter_void_slip(*, batch, actor):
    """Count a slip that cannot be entered (unreadable, breaks the rules) as void."""
    with transaction.atomic():
        batch = lock_batch_being_entered(batch, actor)
        if entered_slips(batch) >= batch.slips_declared:
            raise too_many_slips(batch)
        PaperBatch.objects.filter(pk=batch.pk).update(void_slips=F("void_slips") + 1)
    batch.refresh_from_db()
    return batch


def remove_paper_slip(*, batch, ballot_id, actor):
    """Take back a slip entered by mistake, before the batch is submitted."""
    try:
        ballot_id = uuid.UUID(str(ballot_id))
    except ValueError:
        ballot_id = None
    with transaction.atomic():
        batch = lock_batch_being_entered(batch, actor)
        removed, _counts = Ballot.objects.filter(paper_batch=batch, pk=ballot_id).delete()
        if not removed:
            raise BallotBoxError(_("That slip is not in this batch."), code="unknown_slip")


def entered_slips(batch):
    return batch.ballots.count() + batch.void_slips


def too_many_slips(batch):
    return BallotBoxError(
        ngettext(
            "The envelope holds %(count)d slip, and that many are entered already.",
            "The envelope holds %(count)d slips, and that many are entered already.",
            batch.slips_declared,
        )
        % {"count": batch.slips_declared},
        code="too_many_slips",
    )


def submit_paper_batch(*, batch, actor):
    """The person entering a batch says it is entered in full: every slip of the
    envelope, no more, no fewer."""
    with transaction.atomic():
        batch = lock_batch_being_entered(batch, actor)
        entered = entered_slips(batch)
        if entered != batch.slips_declared:
            raise BallotBoxError(
                _(
                    "%(entered)s of the %(declared)s slips of the envelope are entered. "
                    "Enter the rest, or count the slips again."
                )
                % {"entered": entered, "declared": batch.slips_declared},
                code="counts_differ",
            )
        batch.submitted_at = timezone.now()
        batch.save(update_fields=["submitted_at"])
        audit.record(
            action="budgeting.paper_batch_submitted",
            actor=actor,
            target=batch,
            data={"ballots": batch.ballots.count(), "void": batch.void_slips},
        )
    return batch


def reconcile_paper_batch(*, batch, slips_counted, actor):
    """A second member of staff counted the envelope's slips again: when the counts
    agree, the batch's ballots are counted with the others."""
    with transaction.atomic():
        batches = PaperBatch.objects.select_for_update().select_related("round", "district")
        batch = batches.get(pk=batch.pk)
        check_may_enter(actor, batch.district)
        if batch.entered_by_id == actor.pk:
            raise BallotBoxError(
                _("Someone else than the person who entered the batch must reconcile it."),
                code="same_person",
            )
        if batch.submitted_at is None:
            raise BallotBoxError(_("The batch is still being entered."), code="not_submitted")
        if batch.is_reconciled:
            raise BallotBoxError(_("This batch is already reconciled."), code="reconciled")
        if slips_counted != batch.slips_declared:
            raise BallotBoxError(
                _(
                    "You counted %(counted)s slips, but %(declared)s were entered. Count "
                    "again, or return the batch to be entered again."
                )
                % {"counted": slips_counted, "declared": batch.slips_declared},
                code="counts_differ",
            )
        batch.slips_counted = slips_counted
        batch.reconciled_by = actor
        batch.reconciled_at = timezone.now()
        batch.save(update_fields=["slips_counted", "reconciled_by", "reconciled_at"])
        audit.record(
            action="budgeting.paper_batch_reconciled",
            actor=actor,
            target=batch,
            data={"slips": slips_counted},
        )
    return batch


def return_paper_batch(*, batch, reason, actor):
    """The second person sends a submitted batch back to be corrected."""
    reason = reason.strip()
    if not reason:
        raise BallotBoxError(_("Please say what needs correcting."), code="no_reason")
    if len(reason) > MAX_RETURN_REASON:
        raise BallotBoxError(
            _("Please say what needs correcting in at most %(count)s characters.")
            % {"count": MAX_RETURN_REASON},
            code="reason_too_long",
        )
    with transaction.atomic():
        batch = PaperBatch.objects.select_for_update().select_related("district").get(pk=batch.pk)
        check_may_enter(actor, batch.district)
        if batch.entered_by_id == actor.pk:
            raise BallotBoxError(
                _("Someone else than the person who entered the batch must check it."),
                code="same_person",
            )
        if batch.submitted_at is None or batch.is_reconciled:
            raise BallotBoxError(
                _("Only a batch that waits for reconciling can be returned."),
                code="not_waiting",
            )
        batch.submitted_at = None
        batch.returned_by = actor
        batch.returned_at = timezone.now()
        batch.return_reason = reason
        batch.save(update_fields=["submitted_at", "returned_by", "returned_at", "return_reason"])
        audit.record(
            action="budgeting.paper_batch_returned",
            actor=actor,
            target=batch,
            data={"reason": reason},
        )
    return batch
