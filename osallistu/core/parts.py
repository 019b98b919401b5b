"""The parts of the participation model that this installation offers.

Each domain app registers its parts in ``AppConfig.ready``: public parts appear
on the home page, staff tools on the staff desk. Both list exactly what is
registered, so a part that is not built or not installed is never shown.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str
    title: str  # lazy translation
    description: str  # lazy translation
    url_name: str
    order: int = 100
    staff_only: bool = False
    visible_to: Callable | None = None
    """For a staff tool: whether a user's roles let them use it (any staff member when None)."""


_parts: dict[str, Part] = {}


def register(part):
    _parts[part.key] = part


def public_parts():
    return sorted(
        (part for part in _parts.values() if not part.staff_only),
        key=lambda part: (part.order, part.key),
    )


def staff_tools(user):
    """The staff tools ``user`` may use, so nobody is shown a door that answers 403."""
    return sorted(
        (
            part
            for part in _parts.values()
            if part.staff_only and (part.visible_to is None or part.visible_to(user))
        ),
        key=lambda part: (part.order, part.key),
    )
