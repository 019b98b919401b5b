from osallistu.core.errors import DomainError


class InitiativeError(DomainError):
    """An action on an initiative was refused, for a reason the person can read."""
