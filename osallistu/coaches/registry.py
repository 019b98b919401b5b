"""What other apps show on a district's page and on a coach's desk.

The district page lists "what is going on in the district now" in sections, and the
coach's desk lists work waiting for coaches beside their own requests. Neither knows
the other apps: each app contributes from its ``AppConfig.ready``, so that a part of
the platform appears as soon as its app is installed and built:

    from django.apps import apps

    if apps.is_installed("osallistu.coaches"):
        from osallistu.coaches import registry

        registry.register_district_section(
            registry.DistrictSection(
                key="initiatives",
                title=_("Initiatives"),
                items=open_initiatives_of,        # (district, now) -> [DistrictItem]
                more_url=initiatives_url,         # (district) -> str, optional
                order=40,
            )
        )
        registry.register_desk_source(
            registry.DeskSource(
                key="initiatives_help",
                title=_("Initiatives asking for help"),
                items=initiatives_asking_help,    # (user, districts, now) -> [DeskItem]
                order=30,
            )
        )

A section's ``items`` reads through the contributing app's own selectors and returns
at most a handful of items (the page shows them as a list with a link to the rest).
A desk source gets the coach, the districts their roles cover (a QuerySet of areas)
and the time, and returns what is waiting for them there. This module imports no
models, so that any app can import it at start-up.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class DistrictItem:
    title: str
    url: str
    detail: str = ""
    """One line beside the title: a date, a state, an address."""


@dataclass(frozen=True)
class DistrictSection:
    key: str
    title: str  # lazy translation
    items: Callable[..., list]
    """``items(district, now)`` → [DistrictItem]."""
    empty: str = ""  # lazy translation shown when there is nothing
    more_url: Callable[..., str] | None = None
    """``more_url(district)`` → a page listing everything, or None."""
    more_text: str = ""  # lazy translation of that link
    order: int = 100


@dataclass(frozen=True)
class DeskItem:
    title: str
    url: str
    detail: str = ""
    waiting_since: datetime.datetime | None = None


@dataclass(frozen=True)
class DeskSource:
    key: str
    title: str  # lazy translation
    items: Callable[..., list]
    """``items(user, districts, now)`` → [DeskItem]."""
    empty: str = ""
    order: int = 100
    visible_to: Callable | None = None
    """Whether a coach sees this source at all (everyone at the desk when None)."""


_sections: dict[str, DistrictSection] = {}
_desk_sources: dict[str, DeskSource] = {}


def _add(registered, key, entry):
    """Two apps that both claim a key would silently hide one of them."""
    if registered.get(key, entry) != entry:
        raise ImproperlyConfigured(f"{key!r} is registered twice on the district page")
    registered[key] = entry


def register_district_section(section):
    _add(_sections, section.key, section)


def register_desk_source(source):
    _add(_desk_sources, source.key, source)


def district_sections():
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def desk_sources(user=None):
    """The sources ``user`` sees at the desk (every one when None)."""
    return sorted(
        (
            source
            for source in _desk_sources.values()
            if user is None or source.visible_to is None or source.visible_to(user)
        ),
        key=lambda source: (source.order, source.key),
    )
