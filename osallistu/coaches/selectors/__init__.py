"""Reads of coaches. Other apps (monitoring, for one) use ``activity``,
``activity_by_group``, ``coach_names`` and ``companies_reached``; the district page
reads ``public``; the desk ``desk``."""

from .activity import (
    CONTACT_KINDS,
    Activity,
    ActivityRow,
    ReachRow,
    activity,
    activity_by_group,
    coach_names,
    companies_reached,
)

__all__ = [
    "CONTACT_KINDS",
    "Activity",
    "ActivityRow",
    "ReachRow",
    "activity",
    "activity_by_group",
    "coach_names",
    "companies_reached",
]
