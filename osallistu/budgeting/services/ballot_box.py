"""The ballot box: when voting closes, the sealed ballots are opened and written to the
anonymous ballot box in a random order, and the sealed copies are erased.

Mixing is two transactions. The first closes the box under the round's row lock,
which every new ballot takes just before it commits (``ballots.lock_open_round``):
ballots that took it earlier have committed, later ones are refused; then the
shortlists of people who did not vote are deleted. The second opens
every sealed ballot, shuffles them, writes them to the box, erases the sealed copies
and the salt of the round's private key, and strips the choices from receipt e-mails
still waiting to be sent. Either transaction may be interrupted and run again; once
the second has committed, running it again changes nothing.

After mixing, every ballot row of the round was written by one transaction in an order
that has nothing to do with the order of voting, and every participation row was last
written by that same transaction: neither the ids, the rows' physical order, nor the
transaction ids (PostgreSQL's ``xmin``) line a ballot up with a voter.
"""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.core import audit
from osallistu.core.models import Job

from .. import sealing, selectors
from ..models import Ballot, BallotChoice, Participation, Round, Shortlist
from ..tasks import mix_round, send_ballot_receipt
from .errors import BallotBoxError

# Rows written per INSERT when filling the box.
BATCH = 2000


def mix_ballots(*, round, actor=None):
    """Move the round's sealed ballots to the ballot box. Returns how many were moved
    (0 when they had been moved already)."""
    close_ballot_box(round)
    with transaction.atomic():
        delete_shortlists(round)
        round = Round.objects.select_for_update().get(pk=round.pk)
        if round.ballots_mixed:
            return 0
        open_sealed = sealing.opener(round.seal_key_salt)
        sealed = Participation.objects.filter(round=round, sealed_ballot__isnull=False)
        opened = [
            open_sealed(ballot)
            for ballot in sealed.values_list("sealed_ballot", flat=True).iterator(chunk_size=BATCH)
        ]
        random.SystemRandom().shuffle(opened)
        for start in range(0, len(opened), BATCH):
            ballots = [
                Ballot(round=round, district_id=district_id)
                for district_id, _plans in opened[start : start + BATCH]
            ]
            Ballot.objects.bulk_create(ballots)
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, plan_id=plan_id)
                for ballot, (_district, plan_ids) in zip(
                    ballots, opened[start : start + BATCH], strict=True
                )
                for plan_id in plan_ids
            )
        # Every participation, not only those that had a sealed ballot: then all of them
        # were last written by this transaction.
        Participation.objects.filter(round=round).update(sealed_ballot=None)
        strip_receipt_choices(round)
        round.ballots_mixed_at = timezone.now()
        round.seal_key_salt = None
        round.save(update_fields=["ballots_mixed_at", "seal_key_salt"])
        audit.record(
            action="budgeting.ballots_mixed",
            actor=actor,
            target=round,
            data={"ballots": len(opened)},
        )
    return len(opened)


def close_ballot_box(round):
    """Refuse every ballot from now on; those being cast commit first. Only once voting
    has ended. Then the shortlists of those who did not vote are deleted."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        if round.ballot_box_closed_at is None:
            if not round.voting_has_ended():
                raise BallotBoxError(
                    _("Voting is still open, so the ballot box cannot be closed."), code="open"
                )
            round.ballot_box_closed_at = timezone.now()
            round.save(update_fields=["ballot_box_closed_at"])
    delete_shortlists(round)


def delete_shortlists(round):
    """Delete every shortlist of ``round``, once its box is closed (so no new one is
    saved), and never under the round's lock: a ballot being cast deletes its voter's
    shortlist before it waits for that lock. Mixing runs this again, and erases the
    salt that the shortlists' key comes from."""
    Shortlist.objects.filter(round=round).delete()


def strip_receipt_choices(round):
    """Receipt e-mails of the round that wait to be sent (the mail server may be down)
    keep the receipt code but lose the choices, which would otherwise outlive mixing
    next to the voter's address."""
    waiting = send_ballot_receipt.jobs().filter(
        payload__round=round.pk, state__in=[Job.State.QUEUED, Job.State.RUNNING]
    )
    for job in waiting:
        if job.payload.get("choices") is not None:
            job.payload = {**job.payload, "choices": None}
            job.save(update_fields=["payload"])


def request_mixing(*, round, actor):
    """A city administrator asks for the ballots to be mixed now: voting has ended and
    the task queued for the closing time has not run (the worker was down)."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        if not round.voting_has_ended():
            raise BallotBoxError(
                _("Voting is still open, so the ballots cannot be mixed yet."), code="open"
            )
        if round.ballots_mixed:
            raise BallotBoxError(_("The ballots are already in the ballot box."), code="mixed")
        if selectors.mixing_queued(round):
            raise BallotBoxError(
                _("The ballots are being moved to the ballot box already."), code="mixing"
            )
        job = mix_round.enqueue(round=round.pk)
        audit.record(
            action="budgeting.mixing_requested", actor=actor, target=round, data={"job": job.pk}
        )
    return job
