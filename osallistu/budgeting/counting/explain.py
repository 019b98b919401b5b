"""Why each project was or was not funded.

An explanation is structured data, a ``code`` plus numbers, so the platform can translate
it; ``text`` renders it in plain English for the command line and for anyone recounting.

Codes:

``funded``
    Funded; ``position`` is the order of funding (1 = first). Under equal shares
    ``price_per_voter`` is what each supporter paid (at most; a supporter with less money
    left paid all they had). A project added by the greedy top-up after equal shares has
    ``topped_up`` set.
``not_enough_money``
    When its turn came only ``money_left`` was left, less than its cost (``short_by``).
``supporters_short``
    Equal shares: its supporters together had only ``supporters_money`` left, so they could
    not afford it (``short_by``).
``no_votes``
    Nobody voted for it (equal shares funds only what voters chose).
``exceeds_budget``
    It costs more than the whole budget.
``count_stopped``
    The count stopped before it was reached, because project ``stopped_by`` no longer
    fitted in the budget (sequential Phragmén, and greedy without skipping).
``below_threshold``
    Its votes (points on cumulative and ordinal ballots) were below ``threshold``, the
    least a project needed to be eligible, so the count left it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Money


class Code(StrEnum):
    FUNDED = "funded"
    NOT_ENOUGH_MONEY = "not_enough_money"
    SUPPORTERS_SHORT = "supporters_short"
    NO_VOTES = "no_votes"
    EXCEEDS_BUDGET = "exceeds_budget"
    COUNT_STOPPED = "count_stopped"
    BELOW_THRESHOLD = "below_threshold"


@dataclass(frozen=True)
class Explanation:
    project_id: str
    code: Code
    cost: Money
    votes: int
    position: int | None = None
    price_per_voter: Money | None = None
    money_left: Money | None = None
    supporters_money: Money | None = None
    short_by: Money | None = None
    stopped_by: str | None = None
    topped_up: bool = False
    threshold: Money | None = None

    @property
    def funded(self) -> bool:
        return self.code is Code.FUNDED

    @property
    def text(self) -> str:
        votes = f"{self.votes} vote{'' if self.votes == 1 else 's'}"
        if self.code is Code.FUNDED:
            text = f"Funded as number {self.position} ({votes})"
            if self.topped_up:
                text += ", from the money equal shares left unspent"
            if self.price_per_voter is not None:
                text += f"; each supporter paid at most {money(self.price_per_voter)}"
            return text + "."
        if self.code is Code.NOT_ENOUGH_MONEY:
            return (
                f"Not funded ({votes}): when its turn came only {money(self.money_left)} was "
                f"left, {money(self.short_by)} less than its cost {money(self.cost)}."
            )
        if self.code is Code.SUPPORTERS_SHORT:
            return (
                f"Not funded ({votes}): its supporters could not afford it; together they had "
                f"{money(self.supporters_money)} of their shares left, short by "
                f"{money(self.short_by)} of its cost {money(self.cost)}."
            )
        if self.code is Code.NO_VOTES:
            return "Not funded: nobody voted for it."
        if self.code is Code.EXCEEDS_BUDGET:
            return f"Not funded ({votes}): its cost {money(self.cost)} exceeds the whole budget."
        if self.code is Code.BELOW_THRESHOLD:
            return (
                f"Not eligible ({votes}): a project needed at least {money(self.threshold)} "
                "votes to be counted."
            )
        return (
            f"Not funded ({votes}): the count stopped before its turn, because project "
            f"{self.stopped_by} no longer fitted in the budget."
        )

    def as_dict(self) -> dict[str, object]:
        numbers = {
            "cost": self.cost,
            "price_per_voter": self.price_per_voter,
            "money_left": self.money_left,
            "supporters_money": self.supporters_money,
            "short_by": self.short_by,
            "threshold": self.threshold,
        }
        data: dict[str, object] = {
            "project_id": self.project_id,
            "code": str(self.code),
            "funded": self.funded,
            "votes": self.votes,
            "position": self.position,
            "stopped_by": self.stopped_by,
            "topped_up": self.topped_up,
        }
        data.update({key: json_number(value) for key, value in numbers.items()})
        data["text"] = self.text
        return {key: value for key, value in data.items() if value is not None}


def json_number(value: Money | None) -> int | float | None:
    """Whole amounts stay exact integers; fractions of a unit are rounded for display."""
    if value is None or isinstance(value, int):
        return value
    if value.denominator == 1:
        return value.numerator
    return round(float(value), 2)


def money(value: Money | None) -> str:
    if value is None:
        return "?"
    if isinstance(value, int) or value.denominator == 1:
        return f"{int(value):,}".replace(",", " ")
    return f"{float(value):,.2f}".replace(",", " ")


def exceeds_budget(project_id: str, cost: Money, votes: int) -> Explanation:
    return Explanation(project_id, Code.EXCEEDS_BUDGET, cost, votes)
