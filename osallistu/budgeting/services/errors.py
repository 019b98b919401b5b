"""The refusals of participatory budgeting, each with a message a resident can read."""

from osallistu.core.errors import DomainError


class BudgetingError(DomainError):
    """A budgeting action was refused."""


class BallotError(BudgetingError):
    """A ballot cannot be cast or changed."""


class BallotBoxError(BudgetingError):
    """Ballots cannot be moved to the ballot box, or paper ballots entered, now."""


class RoundLocked(BudgetingError):
    """The round's rules or money cannot change because voting has started."""


class TallyError(BudgetingError):
    """A count cannot be run or published."""


class ProposalError(BudgetingError):
    """A proposal cannot be submitted, decided or combined."""


class ProgressError(BudgetingError):
    """A progress update of a plan cannot be recorded."""
