"""The refusals of feedback, each with a message a resident or a member of staff can read."""

from osallistu.core.errors import DomainError


class FeedbackError(DomainError):
    """A feedback action was refused. ``field`` names the input it is about, when one
    is (a form shows the message next to it; the API names it)."""

    def __init__(self, message, *, code, field=None):
        super().__init__(message, code=code)
        self.field = field


class RateLimited(FeedbackError):
    """Too much feedback from one network, person or application in a short time."""
