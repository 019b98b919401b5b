"""Writes of participatory budgeting, one module per concern, in the order of a round:
its settings and money (``rounds``), proposals (``proposals``), plans made of them
(``plans``), ballots (``ballots``), paper ballots (``paper``), the ballot box
(``ballot_box``) and counting (``counting``); voters' shortlists (``shortlists``) are
kept until they vote.

Every function does one business action in one transaction, raises a
``BudgetingError`` with a message a resident can read, and writes the audit log.
The audit log says who voted and how, never what they chose.
"""

from .ballot_box import mix_ballots, request_mixing
from .ballots import (
    BallotPart,
    CheckedBallot,
    cast_ballot,
    check_ballot,
    check_voter,
    check_voting_open,
    record_paper_vote,
)
from .counting import publish_tally, request_count, run_count, why_not_countable
from .errors import (
    BallotBoxError,
    BallotError,
    BudgetingError,
    ProgressError,
    ProposalError,
    RoundLocked,
    TallyError,
)
from .paper import (
    enter_paper_slip,
    enter_void_slip,
    open_paper_batch,
    reconcile_paper_batch,
    remove_paper_slip,
    return_paper_batch,
    submit_paper_batch,
)
from .plan_images import add_plan_image, describe_plan_image, remove_plan_image
from .plans import (
    PLAN_FIELDS_FIXED_WHEN_VOTING,
    check_place,
    create_plan_from_proposals,
    record_plan_progress,
    update_plan,
    withdraw_plan,
)
from .proposals import (
    MAX_IMAGES_PER_PROPOSAL,
    MAX_PROPOSALS_PER_PERSON,
    Place,
    check_author_may_edit,
    decide_proposal,
    hide_proposal,
    hide_proposal_comment,
    post_proposal_comment,
    submit_proposal,
    unhide_proposal,
    unhide_proposal_comment,
    update_proposal,
)
from .rounds import (
    create_round,
    set_plan_on_ballot,
    set_round_budgets,
    split_budget,
    update_round_settings,
)
from .shortlists import update_shortlist

__all__ = [
    "MAX_IMAGES_PER_PROPOSAL",
    "MAX_PROPOSALS_PER_PERSON",
    "PLAN_FIELDS_FIXED_WHEN_VOTING",
    "BallotBoxError",
    "BallotError",
    "BallotPart",
    "BudgetingError",
    "CheckedBallot",
    "Place",
    "ProgressError",
    "ProposalError",
    "RoundLocked",
    "TallyError",
    "add_plan_image",
    "cast_ballot",
    "check_author_may_edit",
    "check_ballot",
    "check_place",
    "check_voter",
    "check_voting_open",
    "create_plan_from_proposals",
    "create_round",
    "decide_proposal",
    "describe_plan_image",
    "enter_paper_slip",
    "enter_void_slip",
    "hide_proposal",
    "hide_proposal_comment",
    "mix_ballots",
    "open_paper_batch",
    "post_proposal_comment",
    "publish_tally",
    "reconcile_paper_batch",
    "record_paper_vote",
    "record_plan_progress",
    "remove_paper_slip",
    "remove_plan_image",
    "request_count",
    "request_mixing",
    "return_paper_batch",
    "run_count",
    "set_plan_on_ballot",
    "set_round_budgets",
    "split_budget",
    "submit_paper_batch",
    "submit_proposal",
    "unhide_proposal",
    "unhide_proposal_comment",
    "update_plan",
    "update_proposal",
    "update_round_settings",
    "update_shortlist",
    "why_not_countable",
    "withdraw_plan",
]
