"""Writes of residents' initiatives, one module per concern: writing and sending one
(``drafting``), supports online and on paper and the thresholds they reach
(``supports``), the city's handling (``handling``), city coaches' help (``coaching``)
and followers (``following``).

Every function does one business action in one transaction, raises an
``InitiativeError`` with a message a resident can read, and writes the audit log.
"""

from .coaching import assign_coach, coaches_of, request_help
from .drafting import (
    INVITATION_DAYS,
    AuthorDetails,
    Place,
    accept_invitation,
    cancel_invitation,
    delete_draft,
    invitation_for,
    invite_coauthor,
    publish_initiative,
    send_initiative,
    start_initiative,
    update_initiative,
    withdraw_initiative,
)
from .errors import InitiativeError
from .following import follow, unfollow, unsubscribe
from .handling import (
    add_attachment,
    decide_initiative,
    end_without_decision,
    prepare_initiative,
    register_initiative,
    set_deadline,
)
from .supports import (
    SUPPORT_MINIMUM_AGE,
    check_supporter,
    confirm_paper_batch,
    counted_supports,
    enter_paper_batch,
    return_paper_batch,
    support_initiative,
    withdraw_support,
)

__all__ = [
    "INVITATION_DAYS",
    "SUPPORT_MINIMUM_AGE",
    "AuthorDetails",
    "InitiativeError",
    "Place",
    "accept_invitation",
    "add_attachment",
    "assign_coach",
    "cancel_invitation",
    "check_supporter",
    "coaches_of",
    "confirm_paper_batch",
    "counted_supports",
    "decide_initiative",
    "delete_draft",
    "end_without_decision",
    "enter_paper_batch",
    "follow",
    "invitation_for",
    "invite_coauthor",
    "prepare_initiative",
    "publish_initiative",
    "register_initiative",
    "request_help",
    "return_paper_batch",
    "send_initiative",
    "set_deadline",
    "start_initiative",
    "support_initiative",
    "unfollow",
    "unsubscribe",
    "update_initiative",
    "withdraw_initiative",
    "withdraw_support",
]
