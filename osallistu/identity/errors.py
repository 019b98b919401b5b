"""The domain error of identity."""

from osallistu.core.errors import DomainError


class IdentityError(DomainError):
    """Identification was refused."""
