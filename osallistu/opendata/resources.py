"""What the open data API publishes, declared once per resource.

A ``Resource`` names an app's public selector (what a logged-out visitor may see on
the site, never a looser query), the fields it publishes and how they are filtered.
From the declaration come the endpoint (list and detail under ``/api/v1/``), its
serializer, its filters, its OpenAPI description and its bulk download. An app that
adds a model declares it in ``osallistu/opendata/datasets/`` or says there why it is
not published (``NOT_PUBLISHED``); ``tests/opendata/test_privacy.py`` fails until it
has done one or the other.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Link:
    """A reference to an object of another resource: ``{"@id": …}``, or the object
    itself when the client asks for it with ``include=``. Only objects that the other
    resource publishes are linked; any other reference is ``null``."""

    resource: str
    many: bool = False
    attribute: str = ""
    """The attribute holding the linked object's primary key, when it is not the
    model's own ``<name>_id`` (an annotation of the selector, for a link that goes
    through another object)."""
    help: str = ""
    """The field's description, for a link that is not a field of the model."""

    def id_of(self, name, obj):
        return getattr(obj, self.attribute or f"{name}_id")


@dataclass(frozen=True)
class Resource:
    name: str
    """The path under /api/v1/, for example ``budgeting/plans``."""
    type: str
    """Its JSON-LD ``@type``."""
    title: str
    description: str
    queryset: Callable
    """The app's public selector, called per request: a QuerySet of what anyone may see."""
    fields: tuple[str, ...] = ()
    """Plain fields of the model or annotations of the selector, published as they are."""
    translated: tuple[str, ...] = ()
    """Fields held in Finnish, Swedish and English: published as ``{"fi", "sv", "en"}``."""
    links: dict[str, Link] = field(default_factory=dict)
    computed: dict = field(default_factory=dict)
    """Name → a read-only serializer field of its own (counts, file addresses)."""
    filters: dict = field(default_factory=dict)
    """Name → a django-filter ``Filter``, with its ``label`` as its documentation."""
    lookup: str = "pk"
    """The field whose value is the object's stable id in its address."""
    timestamps: tuple[str, ...] = ()
    """Date-time fields that say when an object changed, with the audit log's entries
    about it: ``updated_since`` and ``Last-Modified`` read them."""
    point: tuple[str, str] | None = None
    """(latitude, longitude) fields: ``bbox`` filters by them."""
    ordering: tuple[str, ...] = ("pk",)
    frequency: str = "daily"
    """How often the dataset changes, for the catalogue (``daily``, ``weekly``, …)."""

    @property
    def basename(self):
        return self.name.replace("/", "-")

    @property
    def tag(self):
        """The group the resource is documented in: its app's."""
        return self.name.split("/")[0] if "/" in self.name else "areas"

    @property
    def model(self):
        return self.queryset().model


registry: dict[str, Resource] = {}

NOT_PUBLISHED: dict[str, str] = {}
"""``app_label.ModelName`` → why the model has no endpoint of its own."""


def register(resource):
    if resource.name in registry and registry[resource.name] != resource:
        raise ValueError(f"Two resources are called {resource.name!r}")
    registry[resource.name] = resource
    return resource


def not_published(label, reason):
    NOT_PUBLISHED[label] = reason


def resources():
    return [registry[name] for name in sorted(registry)]


def resource_of(model):
    """The resource that publishes ``model``, or None."""
    return next((item for item in registry.values() if item.model is model), None)


# Descriptions shared by every list endpoint.
PAGE_HELP = _("Page number, from 1.")
PAGE_SIZE_HELP = _("Objects per page: 20 unless given, at most 100.")
INCLUDE_HELP = _(
    "Comma-separated names of linked fields to give as whole objects instead of links."
)
UPDATED_SINCE_HELP = _(
    "Only objects created or changed at or after this time (ISO 8601, for example "
    "2026-03-01T00:00:00+02:00)."
)
BBOX_HELP = _(
    "Only objects with a place inside this box: west,south,east,north in degrees "
    "(WGS 84), for example 24.9,60.15,25.0,60.2."
)
