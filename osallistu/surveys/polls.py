"""Writes of hearing polls: a vote, once.

One vote per person where people are identified is a database constraint
(``poll_vote_once_per_person``), so it holds however many requests arrive at once.
Where a poll lets anyone vote, a browser votes once (the view keeps the poll ids in
the session) and one network address at most the hearing's hourly limit of
anonymous comments, counted apart from the comments.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import Poll, PollChoice, PollVote


class PollError(services.HearingError):
    """A vote was refused; ``message`` says why."""


def vote(*, poll, user, option_ids, client_ip, voted_here=False, now=None):
    """Record the vote of ``user`` (or of an anonymous visitor) for ``option_ids``.
    ``voted_here``: this browser has already voted in ``poll``."""
    now = now or timezone.now()
    hearing = poll.section.hearing
    admission = selectors.may_vote(poll, hearing, user, now)
    if not admission:
        raise PollError(admission.reason, code=admission.code)
    if voted_here:
        raise PollError(_("You have already voted in this poll."), code="already_voted")
    allowed = {option.pk: option for option in poll.options.all()}
    chosen = []
    for raw in option_ids:
        try:
            option = allowed[int(raw)]
        except (KeyError, TypeError, ValueError):
            raise PollError(_("Choose one of the options given."), code="invalid") from None
        if option not in chosen:
            chosen.append(option)
    if not chosen:
        raise PollError(_("Choose an option before voting."), code="empty")
    if poll.kind == Poll.Kind.SINGLE and len(chosen) > 1:
        raise PollError(_("Choose only one option."), code="invalid")
    if not user.is_authenticated and not services._rate_limit(
        f"poll:{hearing.pk}", client_ip, hearing.anonymous_comments_per_hour
    ):
        raise PollError(
            _(
                "Very many votes have come from your network in the last hour. Please "
                "try again later."
            ),
            code="rate_limited",
        )
    try:
        with transaction.atomic():
            ballot = PollVote.objects.create(
                poll=poll, user=user if user.is_authenticated else None, created_at=now
            )
            PollChoice.objects.bulk_create(
                PollChoice(vote=ballot, poll=poll, option=option) for option in chosen
            )
    except IntegrityError:
        # Only a second vote of the same person may meet a constraint here.
        if not (user.is_authenticated and PollVote.objects.filter(poll=poll, user=user).exists()):
            raise
        raise PollError(_("You have already voted in this poll."), code="already_voted") from None
    return ballot
