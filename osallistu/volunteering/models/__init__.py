"""Volunteering: organisers (city units and associations), their opportunities, shifts
with capacity, sign-ups with a waiting list and guardians' consent, confirmed hours,
and residents' own talkoot.

Capacity is held by the database: a shift counts the places its sign-ups hold in
``taken``, and a check constraint keeps ``taken`` between 0 and ``capacity``. The
services change ``taken`` in the same transaction as the sign-up that takes or frees
a place, holding the shift's row (see ``services/signups.py``), so the count and the
rows agree; the constraint is the last word should anything get past them.
"""

from .opportunities import MAX_CANCEL_HOURS, MAX_CAPACITY, Opportunity, Shift, ShiftMessage
from .organisers import Invitation, Organiser, OrganiserMember
from .signups import ACTIVE, HOLDING, MAX_HOURS, SignUp
from .talkoot import Talkoot
from .terms import Language, Term, Theme

__all__ = [
    "ACTIVE",
    "HOLDING",
    "MAX_CANCEL_HOURS",
    "MAX_CAPACITY",
    "MAX_HOURS",
    "Invitation",
    "Language",
    "Opportunity",
    "Organiser",
    "OrganiserMember",
    "Shift",
    "ShiftMessage",
    "SignUp",
    "Talkoot",
    "Term",
    "Theme",
]
