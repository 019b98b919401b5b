"""Writes of feedback, one module per concern: sending it (``submission``), moderation
(``moderation``), handling by the division (``handling``), following (``following``),
the API keys of applications (``api_keys``) and divisions' members (``members``).

Every function does one action in one transaction, raises a ``FeedbackError`` with a
message a resident or a member of staff can read (or PermissionDenied when the person
may not act on the feedback at all), writes a history entry and the audit log.
"""

from .api_keys import issue_api_key, revoke_api_key
from .errors import FeedbackError, RateLimited
from .following import follow_feedback, unfollow_feedback
from .handling import (
    SETTABLE_STATUSES,
    answer_feedback,
    assign_handler,
    change_status,
    check_may_reopen,
    may_reopen,
    merge_duplicate,
    reopen_feedback,
)
from .members import add_member, remove_member
from .moderation import hide_feedback, publish_feedback
from .submission import Contact, Place, check_attribute_values, submit_feedback

__all__ = [
    "SETTABLE_STATUSES",
    "Contact",
    "FeedbackError",
    "Place",
    "RateLimited",
    "add_member",
    "answer_feedback",
    "assign_handler",
    "change_status",
    "check_attribute_values",
    "check_may_reopen",
    "follow_feedback",
    "hide_feedback",
    "issue_api_key",
    "may_reopen",
    "merge_duplicate",
    "publish_feedback",
    "remove_member",
    "reopen_feedback",
    "revoke_api_key",
    "submit_feedback",
    "unfollow_feedback",
]
