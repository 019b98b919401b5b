"""The one base of every domain error: an action was refused, for a reason a resident
or a member of staff can read."""


class DomainError(Exception):
    """``message`` is translated (or lazily so); ``code`` names the case for the audit
    log, for tests and for code that branches on it."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)
