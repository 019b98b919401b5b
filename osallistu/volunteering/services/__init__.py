"""Writes of volunteering, by concern: organisers and their members (``organisers``),
opportunities, shifts and messages (``opportunities``), sign-ups, guardians' consent
and the waiting list (``signups``), attendance and hours (``hours``) and residents'
talkoot (``talkoot``).

Every function does one action in one transaction, writes the audit log and raises
``VolunteeringError`` with a ``code`` and a message the person can read.
"""

from .errors import VolunteeringError
from .hours import record_attendance
from .opportunities import (
    add_shift,
    cancel_shift,
    close_opportunity,
    message_shift,
    publish_opportunity,
    save_opportunity,
    update_shift,
)
from .organisers import (
    accept_invitation,
    invitation_for,
    invite_member,
    refuse_organiser,
    register_organiser,
    remove_member,
    update_organiser,
    verify_organiser,
)
from .signups import (
    cancel_signup,
    cancellation_deadline,
    give_consent,
    lapse_consent,
    refuse_consent,
    remove_signup,
    sign_up,
    signup_for_guardian,
)
from .talkoot import approve_talkoot, cancel_talkoot, propose_talkoot, refuse_talkoot, rules

__all__ = [
    "VolunteeringError",
    "accept_invitation",
    "add_shift",
    "approve_talkoot",
    "cancel_shift",
    "cancel_signup",
    "cancel_talkoot",
    "cancellation_deadline",
    "close_opportunity",
    "give_consent",
    "invitation_for",
    "invite_member",
    "lapse_consent",
    "message_shift",
    "propose_talkoot",
    "publish_opportunity",
    "record_attendance",
    "refuse_consent",
    "refuse_organiser",
    "refuse_talkoot",
    "register_organiser",
    "remove_member",
    "remove_signup",
    "rules",
    "save_opportunity",
    "sign_up",
    "signup_for_guardian",
    "update_organiser",
    "update_shift",
    "verify_organiser",
]
