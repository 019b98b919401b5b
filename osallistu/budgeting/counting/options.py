"""Settings of the rules, kept apart from the rules so that naming one imports no numpy."""

from __future__ import annotations

from enum import StrEnum


class Utility(StrEnum):
    COST = "cost"
    APPROVAL = "approval"


class Completion(StrEnum):
    NONE = "none"
    ADD1 = "add1"
    ADD1_EXHAUSTIVE = "add1-exhaustive"
    ADD1U = "add1u"
