"""Serializers made from resource declarations, in the conventions of Helsinki's Linked
Events API: ``@id`` and ``@type`` on every object, multilingual fields as objects keyed
by language, links as ``{"@id": …}`` that ``include=`` expands."""

from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import resources

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Addresses:
    """The ``@id`` of objects in one serialization. Reversing an address costs as much as
    the rest of an object's fields together, so each resource's list address is reversed
    once and an object's address is the router's ``<list address><key>/``."""

    def __init__(self, request):
        self.request = request
        self.bases = {}

    def of(self, resource, obj):
        base = self.bases.get(resource.name)
        if base is None:
            path = reverse(f"api-v1:{resource.basename}-list")
            base = self.request.build_absolute_uri(path) if self.request is not None else path
            self.bases[resource.name] = base
        return f"{base}{quote(str(getattr(obj, resource.lookup)))}/"


def addresses(context):
    """The serialization's ``Addresses``, kept in its context."""
    if "addresses" not in context:
        context["addresses"] = Addresses(context.get("request"))
    return context["addresses"]


@extend_schema_field(
    {
        "type": "object",
        "properties": {code: {"type": "string", "nullable": True} for code in LANGUAGE_CODES},
    }
)
class TranslatedField(serializers.Field):
    """``{"fi": …, "sv": …, "en": …}`` from the model's fields ``<name>_<language>``;
    a language without a text is ``null``."""

    def __init__(self, name, **kwargs):
        self.base = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return {code: getattr(obj, f"{self.base}_{code}") or None for code in LANGUAGE_CODES}


@extend_schema_field(OpenApiTypes.URI)
class IdField(serializers.Field):
    """The object's own address in the API: its JSON-LD ``@id``."""

    def __init__(self, resource, **kwargs):
        self.resource = resource
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return addresses(self.context).of(self.resource, obj)


class TypeField(serializers.Field):
    def __init__(self, type_name, **kwargs):
        self.type_name = type_name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return self.type_name


extend_schema_field(OpenApiTypes.STR)(TypeField)


LINK_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": 'A link {"@id": …}, or the whole object when named in include=.',
    "properties": {"@id": {"type": "string", "format": "uri"}},
    "required": ["@id"],
    "additionalProperties": True,
}


@extend_schema_field(LINK_SCHEMA)
class LinkField(serializers.Field):
    """A link to a published object of another resource. The view has read, in one
    query per link per page, which of the referenced objects that resource publishes
    (``context["linked"]``), and serialized those named in ``include=`` once each
    (``context["included"]``); anything else is ``null``."""

    def __init__(self, name, link, **kwargs):
        self.link = link
        self.link_name = name
        super().__init__(source="*", read_only=True, **kwargs)

    def represent(self, pk):
        obj = self.context.get("linked", {}).get(self.link_name, {}).get(pk)
        if obj is None:
            return None
        included = self.context.get("included", {})
        if self.link_name in included:
            return included[self.link_name][pk]
        return {"@id": addresses(self.context).of(resources.registry[self.link.resource], obj)}

    def to_representation(self, obj):
        return self.represent(self.link.id_of(self.link_name, obj))


@extend_schema_field({"type": "array", "items": LINK_SCHEMA})
class ManyLinkField(LinkField):
    def to_representation(self, obj):
        ids = self.context.get("many_ids", {}).get(self.link_name, {}).get(obj.pk, ())
        return [found for found in (self.represent(pk) for pk in ids) if found is not None]


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "nullable": True})
class WallClockTimeField(serializers.TimeField):
    """A time of day in the city (``08:00``): opening hours have no time zone of their own,
    so they are not RFC 3339 times."""

    def __init__(self, **kwargs):
        kwargs["format"] = "%H:%M"
        super().__init__(**kwargs)


class ResourceSerializer(serializers.ModelSerializer):
    """Fields in a fixed order: ``@id``, ``@type``, ``id``, then the declaration's."""

    resource: resources.Resource
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.TimeField: WallClockTimeField,
    }

    def get_fields(self):
        resource = self.resource
        declared = super().get_fields()
        fields = {
            "@id": IdField(resource, help_text=_("The object's address in this API.")),
            "@type": TypeField(resource.type, help_text=_("The kind of the object.")),
            "id": id_field(resource),
        }
        for name in resource.fields:
            fields[name] = declared[name]
        for name in resource.translated:
            fields[name] = TranslatedField(name, help_text=field_help(resource, name))
        for name, link in resource.links.items():
            kind = ManyLinkField if link.many else LinkField
            fields[name] = kind(name, link, help_text=link.help or field_help(resource, name))
        fields.update({name: field_factory() for name, field_factory in resource.computed.items()})
        return fields


ID_HELP = _("The object's stable id, the last part of its address.")


def id_field(resource):
    """The stable id: the value in the object's address."""
    if resource.lookup == "pk":
        kind = resource.model._meta.pk.get_internal_type()
        if kind in ("AutoField", "BigAutoField", "SmallAutoField"):
            return serializers.IntegerField(source="pk", read_only=True, help_text=ID_HELP)
    return serializers.CharField(source=resource.lookup, read_only=True, help_text=ID_HELP)


def field_help(resource, name):
    """A field's description: the model's help text, else its name, in the active language."""
    try:
        model_field = resource.model._meta.get_field(name)
    except FieldDoesNotExist:  # a computed value: described where it is declared
        return ""
    return model_field.help_text or model_field.verbose_name


_serializers = {}


def serializer_for(resource):
    if resource.name not in _serializers:
        model_fields = list(resource.fields)
        extra = {
            name: {"help_text": field_help(resource, name)}
            for name in model_fields
            if field_help(resource, name)
        }
        meta = type(
            "Meta",
            (),
            {"model": resource.model, "fields": model_fields, "extra_kwargs": extra},
        )
        name = "".join(part.capitalize() for part in resource.basename.split("-"))
        _serializers[resource.name] = type(
            name, (ResourceSerializer,), {"Meta": meta, "resource": resource}
        )
    return _serializers[resource.name]
