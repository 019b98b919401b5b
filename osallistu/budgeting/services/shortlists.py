"""Shortlists: the plans a voter has ticked, kept as they go until they vote.

A shortlist is the voter's own draft: it is written on every tick, read only on their
own ballot pages, never audit-logged (the log would become a record of choices next to
a person) and deleted in the transaction that records their ballot or paper vote
(``ballots.cast_or_change``, ``ballots.record_paper_vote``) and, for everyone else,
when the round's ballot box closes (``ballot_box.close_ballot_box``).

Saving and voting both lock the voter's row first, so a tick sent at the moment the
ballot is cast either lands before it, and is deleted with it, or finds the vote and
is refused: no shortlist outlives the vote.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import sealing, selectors
from ..models import Round, Shortlist
from .ballots import already_voted, check_voting_open, lock_voter, plan_id_set
from .errors import BallotError


def update_shortlist(*, round, voter, shown, chosen):
    """Make the voter's shortlist ``(shortlist - shown) | chosen`` and return it.

    ``shown`` are the plans the voter saw (a filtered page of the ballot, one plan's
    page), ``chosen`` those of them they ticked; ticks of plans they did not see are
    kept. Every chosen plan must be on the round's ballot; it may be of any district,
    as voters look at more than one before they vote.
    """
    shown, chosen = plan_id_set(shown), plan_id_set(chosen)
    if shown is None or chosen is None:
        raise BallotError(
            _("Something went wrong with your choices. Please choose again."), code="unknown_plan"
        )
    if chosen and len(selectors.plans_on_ballot(round, chosen)) != len(chosen):
        raise BallotError(_("A plan you chose is not on this ballot."), code="unknown_plan")
    with transaction.atomic():
        lock_voter(voter)
        round = Round.objects.get(pk=round.pk)
        check_voting_open(round)
        participation = selectors.participation_of(round, voter)
        if participation is not None and not participation.changeable_online(round):
            raise already_voted()
        stored = Shortlist.objects.filter(round=round, voter=voter).first()
        before = set() if stored is None else _opened(round, stored)
        after = (before - shown) | chosen
        if after == before:
            return after
        if not after:
            stored.delete()
        elif stored is None:
            Shortlist.objects.create(
                round=round,
                voter=voter,
                sealed_plans=sealing.seal_shortlist(round.seal_key_salt, after),
            )
        else:
            stored.sealed_plans = sealing.seal_shortlist(round.seal_key_salt, after)
            stored.save(update_fields=["sealed_plans"])
    return after


def _opened(round, stored):
    try:
        return sealing.open_shortlist(round.seal_key_salt, stored.sealed_plans)
    except sealing.BrokenSeal:
        # BALLOT_SEAL_KEY was changed during voting: what was ticked is lost, the
        # voter ticks again.
        return set()
