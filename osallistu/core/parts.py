"""The parts of the participation model that this installation offers.

Each domain app registers its parts in ``AppConfig.ready``: public parts appear
on the home page, staff tools on the staff desk. Both list exactly what is
registered, so a part that is not built or not installed is never shown.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language


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
    in_footer: bool = False
    """A public part also linked from every page's footer (open data, for example)."""


_parts: dict[str, Part] = {}


def register(part):
    _parts[part.key] = part


def public_parts():
    return sorted(
        (part for part in _parts.values() if not part.staff_only),
        key=lambda part: (part.order, part.key),
    )


def footer_parts():
    return [part for part in public_parts() if part.in_footer]


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


@dataclass(frozen=True)
class NavigationLink:
    part: Part
    url: str
    current: str | None  # the value of aria-current, or None


@dataclass(frozen=True)
class Navigation:
    links: list
    in_staff_tool: bool


def navigation(path):
    """The public parts as links for the header of the page at ``path``. The part the
    page belongs to (the longest address of a part that begins ``path``) is marked:
    ``"page"`` on the part's own page, ``"true"`` below it. A staff tool's pages belong
    to no public part, though a public part's address may begin theirs:
    ``in_staff_tool`` says whether the page is one of them."""
    addresses = [(part, address_of(part.url_name)) for part in _parts.values()]
    owner = max(
        ((part, url) for part, url in addresses if path.startswith(url)),
        key=lambda item: len(item[1]),
        default=(None, ""),
    )[0]
    links = [
        NavigationLink(
            part=part,
            url=url,
            current=("page" if path == url else "true") if part == owner else None,
        )
        for part, url in sorted(
            ((part, url) for part, url in addresses if not part.staff_only),
            key=lambda item: (item[0].order, item[0].key),
        )
    ]
    return Navigation(links=links, in_staff_tool=owner is not None and owner.staff_only)


def address_of(url_name):
    """The address of a part's page in the active language, read once per language."""
    return _address(url_name, get_language(), get_script_prefix())


@lru_cache(maxsize=256)
def _address(url_name, language, prefix):
    # The language and the script prefix are the key: reverse() reads both.
    return reverse(url_name)
