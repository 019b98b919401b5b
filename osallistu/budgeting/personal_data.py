"""Participatory budgeting's personal data (see ``osallistu.core.personal_data``).

The ballot box (``Ballot``, ``BallotChoice``) holds none: no column joins it to a
person, and deleting an account never touches it. Who voted (``Participation``) is
personal until the voter deletes their account after mixing; it then stays as an
anonymous count with the home district and age group it was counted in.
"""

from functools import partial

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.core.personal_data import (
    Basis,
    Purpose,
    register_erasure,
    register_model,
    register_retention,
)

from .models import (
    Ballot,
    BallotChoice,
    PaperBatch,
    Participation,
    Plan,
    PlanImage,
    PlanUpdate,
    Proposal,
    ProposalComment,
    ProposalImage,
    Round,
    RoundBudget,
    Shortlist,
    Tally,
    new_receipt_code,
)

VOTING = Purpose(
    key="budgeting.voting",
    title=gettext_lazy("Voting in participatory budgeting"),
    description=gettext_lazy(
        "That you voted in a round, how and when, so that each person votes once. While "
        "voting is open your ballot is kept sealed with it; when voting ends the ballots "
        "are mixed into the anonymous ballot box and nothing links them to you."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "A year after voting ends the record is made anonymous: it stays only as a count "
        "by district, age group and channel."
    ),
    order=30,
)
PROPOSING = Purpose(
    key="budgeting.proposals",
    title=gettext_lazy("Proposals and comments in participatory budgeting"),
    description=gettext_lazy(
        "What you proposed or commented, with the pictures you added, shown to everyone "
        "with your first name."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "As long as the round's material is public. If you delete your account they stay "
        "without your name, unless you ask for them to be removed too."
    ),
    order=40,
)
STAFF_WORK = Purpose(
    key="budgeting.staff",
    title=gettext_lazy("Staff acts in participatory budgeting"),
    description=gettext_lazy(
        "Which member of staff recorded, confirmed, counted or decided something, so that "
        "it can be checked."
    ),
    basis=Basis.LEGAL_OBLIGATION,
    retention=gettext_lazy("Kept with the round's records."),
    order=820,
)

ROUND_FIELDS = [
    "name", "slug", "description", "proposals_start", "proposals_end", "co_creation_start",
    "co_creation_end", "cost_estimates_start", "cost_estimates_end", "voting_starts_at",
    "voting_ends_at", "results_on", "implementation_start", "implementation_end",
    "minimum_voting_age", "age_rule", "counting_rule", "ballot_changeable",
    "min_plans_per_area", "max_plans_per_area", "publication_needs_second_person",
    "seal_public_key", "seal_key_salt", "ballot_box_closed_at", "ballots_mixed_at",
]  # fmt: skip
register_model(Round, other=ROUND_FIELDS)
register_model(RoundBudget, other=["round", "area", "amount"])
register_model(
    Plan,
    other=[
        "round", "area", "code", "title", "description", "theme", "cost_low", "cost_high",
        "feasibility", "status", "neighbourhood", "place_name", "place",
    ],
)  # fmt: skip
# The ballot box: anonymous by construction.
register_model(Ballot, other=["id", "round", "district", "paper_batch", "plans"])
register_model(BallotChoice, other=["id", "ballot", "plan"])
register_model(
    Participation,
    personal={
        VOTING: ["voter", "channel", "sealed_ballot", "receipt_code", "voted_at", "changed_at"],
        STAFF_WORK: ["recorded_by", "confirmed_by"],
    },
    other=["round", "home_district", "age_group"],
    secret=["sealed_ballot"],
    of_person=lambda user: Participation.objects.filter(voter=user),
)
register_model(
    PaperBatch,
    personal={STAFF_WORK: ["entered_by", "reconciled_by", "returned_by"]},
    other=[
        "round", "district", "label", "slips_declared", "void_slips", "created_at",
        "submitted_at", "reconciled_at", "slips_counted", "returned_at", "return_reason",
    ],
)  # fmt: skip
register_model(
    Tally,
    personal={STAFF_WORK: ["counted_by", "published_by"]},
    other=[
        "round", "area", "rule", "budget", "ballots_counted", "result", "counted_at",
        "published_at",
    ],
)  # fmt: skip
register_model(
    PlanUpdate,
    personal={STAFF_WORK: ["recorded_by"]},
    other=["plan", "status", "note", "happened_on", "recorded_at"],
)
register_model(
    Proposal,
    personal={
        PROPOSING: [
            "author", "title", "description", "language", "place_text", "latitude",
            "longitude", "submitted_at", "edited_at",
        ],
        STAFF_WORK: ["decided_by"],
    },
    other=[
        "round", "area", "theme", "status", "decision_reason", "plan", "hidden_at",
        "hidden_reason", "decided_at",
    ],
    of_person=lambda user: Proposal.objects.filter(author=user),
)  # fmt: skip
register_model(
    PlanImage,
    other=[
        "plan", "position", "image", "thumbnail", "thumbnail_width", "thumbnail_height",
        "alt_text", "source",
    ],
)  # fmt: skip
register_model(
    Shortlist,
    personal={VOTING: ["voter", "sealed_plans"]},
    other=["round"],
    secret=["sealed_plans"],
    of_person=lambda user: Shortlist.objects.filter(voter=user),
)
register_model(
    ProposalImage,
    personal={PROPOSING: ["image", "description", "added_at"]},
    other=["proposal"],
    of_person=lambda user: ProposalImage.objects.filter(proposal__author=user),
)
register_model(
    ProposalComment,
    personal={PROPOSING: ["author", "text", "written_at"], STAFF_WORK: ["hidden_by"]},
    other=["proposal", "hidden_at", "hidden_reason", "proposal_hidden"],
    of_person=lambda user: ProposalComment.objects.filter(author=user),
)


def deletion_blockers(user):
    waiting = Round.objects.filter(participations__voter=user, ballots_mixed_at__isnull=True)
    return [
        _(
            "You voted in “%(round)s”. Your vote stays with your account until voting "
            "ends (%(end)s) and the ballots are mixed; then the account can be deleted."
        )
        % {
            "round": round.name,
            "end": formats.date_format(round.last_voting_day, "SHORT_DATE_FORMAT"),
        }
        for round in waiting.distinct()
    ]


def make_participations_anonymous(participations):
    """Detach each participation from its voter; it keeps the home district and age
    group it was counted in at voting. The ballot box is not read or written."""
    count = 0
    for participation in participations.only("pk"):
        # A new code: the one the voter was given no longer finds their record.
        Participation.objects.filter(pk=participation.pk).update(
            voter=None, receipt_code=new_receipt_code()
        )
        count += 1
    return count


def erase(user, *, remove_content):
    done = []
    voted = make_participations_anonymous(
        Participation.objects.filter(voter=user, round__ballots_mixed_at__isnull=False)
    )
    if voted:
        done.append(_("Your votes stay only as anonymous counts."))
    proposals = Proposal.objects.filter(author=user)
    comments = ProposalComment.objects.filter(author=user)
    if remove_content:
        for image in ProposalImage.objects.filter(proposal__in=proposals):
            transaction.on_commit(partial(image.image.storage.delete, image.image.name))
        removed = proposals.delete()[1].get(Proposal._meta.label, 0)
        removed_comments = comments.delete()[0]
        if removed or removed_comments:
            done.append(_("Your proposals and comments are removed."))
    else:
        kept = proposals.update(author=None)
        kept_comments = comments.update(author=None)
        if kept or kept_comments:
            done.append(_("Your proposals and comments stay, shown as written by a removed user."))
    return done


register_erasure(app_label="budgeting", blockers=deletion_blockers, erase=erase)


def anonymise_old_participations(*, before):
    return make_participations_anonymous(
        Participation.objects.filter(
            voter__isnull=False,
            round__ballots_mixed_at__isnull=False,
            round__voting_ends_at__lt=before,
        )
    )


register_retention(
    key="budgeting.participations",
    title=gettext_lazy("Who voted in a round, a year after voting ended"),
    setting="RETENTION_PARTICIPATIONS_DAYS",
    default_days=365,
    apply=anonymise_old_participations,
)
