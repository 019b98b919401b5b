"""The OpenAPI 3 description of the API, in Finnish, Swedish or English: served at
/api/v1/schema/ and drawn as the documentation page. Made once per language and
process, since it changes only with the code."""

import functools
import json

from django.conf import settings
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions
from rest_framework.response import Response

from . import api, resources
from .throttling import AnonymousRateThrottle

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def description():
    return _(
        "Open data of the city's participation: budgets, plans, votes and results, "
        "surveys and hearings, initiatives, premises, feedback, coaches, volunteering "
        "and the monitoring of participation. Free to reuse under the licence "
        "CC BY 4.0; no personal data. Lists come in pages of {meta: {count, next, "
        "previous}, data: [...]}; texts the city writes in several languages are objects "
        'keyed by language (fi, sv, en); links to other objects are {"@id": address} '
        "and include= gives the objects themselves. Clients without an account may make "
        "a limited number of requests a minute; past it the answer is 429 with "
        "Retry-After. Answers carry an ETag: ask again with If-None-Match for a 304."
    )


@functools.lru_cache(maxsize=len(LANGUAGES))
def openapi(language):
    """The schema as plain JSON data, in ``language``."""
    with override(language):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        schema["info"]["title"] = _("Osallistu open data")
        schema["info"]["description"] = description()
        schema["tags"] = [
            {"name": name, "description": str(title)}
            for name, title in (
                ("areas", _("The city, its districts and population")),
                ("budgeting", _("Participatory budgeting")),
                ("surveys", _("Surveys and hearings")),
                ("initiatives", _("Residents' initiatives")),
                ("premises", _("City premises")),
                ("feedback", _("Feedback to the city")),
                ("coaches", _("City and business coaches")),
                ("volunteering", _("Volunteering and talkoot")),
                ("monitoring", _("Monitoring of participation")),
            )
        ]
        return json.loads(OpenApiJsonRenderer().render(schema))


def operations(language):
    """The documentation page's view of the schema: per resource, its address, what it
    is, its parameters and its fields, each with its description."""
    return [operation(resource, language) for resource in resources.resources()]


def operation(resource, language):
    """One resource's part of ``operations``."""
    schema = openapi(language)
    components = schema["components"]["schemas"]
    path = f"/api/v1/{resource.name}/"
    found = schema["paths"][path]["get"]
    page = resolve(components, found["responses"]["200"]["content"]["application/json"]["schema"])
    properties = resolve(components, page["properties"]["data"]["items"])["properties"]
    return {
        "resource": resource,
        "path": path,
        "summary": found.get("summary", ""),
        "description": found.get("description", ""),
        "parameters": [
            {
                "name": parameter["name"],
                "description": parameter.get("description", ""),
                "type": describe_type(parameter.get("schema", {})),
            }
            for parameter in found.get("parameters", [])
        ],
        "fields": [
            {
                "name": name,
                "description": field.get("description", ""),
                "type": describe_type(field),
            }
            for name, field in properties.items()
        ],
    }


def resolve(components, schema):
    if "$ref" in schema:
        return components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def describe_type(schema):
    if "$ref" in schema or "allOf" in schema or "oneOf" in schema:
        return _("one of a list of values")
    kind = schema.get("type", "")
    if kind == "array":
        return _("list")
    if kind == "object":
        return _("object")
    return schema.get("format") or kind


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema; ``?lang=fi|sv|en`` (else the request's language),
    ``?format=json`` for JSON instead of YAML."""

    authentication_classes = []
    throttle_classes = [AnonymousRateThrottle]

    def get_exception_handler(self):
        return api.exception_handler

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        language = request.query_params.get("lang") or get_language()
        if language not in LANGUAGES:
            raise exceptions.ValidationError(
                {"lang": [_("Choose one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}]}
            )
        return Response(openapi(language), headers={"Content-Language": language})
