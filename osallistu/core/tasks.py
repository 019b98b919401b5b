"""Core's background tasks."""

from . import jobs, privacy


@jobs.task(name="core.apply_retention", attempts=3)
def apply_retention():
    """Erase or make anonymous the personal data whose retention period has ended."""
    return privacy.apply_retention()
