"""Reads of coaches. Other apps (a monitoring app, for one) use ``activity`` and
``companies_reached``; the district page reads ``public``; the desk ``desk``."""

from .activity import Activity, ActivityRow, ReachRow, activity, companies_reached

__all__ = ["Activity", "ActivityRow", "ReachRow", "activity", "companies_reached"]
