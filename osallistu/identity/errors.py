"""The domain error of identity: a message a resident or a member of staff can read."""


class IdentityError(Exception):
    """Identification was refused. ``message`` is translated; ``code`` names the case
    for the audit log and for code that branches on it."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)
