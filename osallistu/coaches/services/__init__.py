"""Writes of coaches: office hours, appointments, contact requests, events and
companies. Every function does one action in one transaction, writes an audit entry
and raises ``CoachesError`` with a ``code`` and a message the person can read, in the
language active when it is shown."""

from .errors import CoachesError

__all__ = ["CoachesError"]
