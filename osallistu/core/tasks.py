"""Core's background tasks."""

from datetime import time

from . import jobs, privacy


# Every night, when the site is quiet; the periods are days, so once a day is enough.
@jobs.task(name="core.apply_retention", attempts=3, daily_at=time(3, 30))
def apply_retention():
    """Erase or make anonymous the personal data whose retention period has ended."""
    return privacy.apply_retention()
