"""The read-only endpoints made from the resource declarations, their paging, rate
limits and errors.

Everyone is anonymous here: no authentication is read, so a member of staff sees
exactly what anybody sees, and every answer may be cached publicly.
"""

from django.db.models import Max
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from osallistu.core.models import AuditEntry

from . import filters, resources, serializers
from .pagination import Pagination
from .throttling import AnonymousRateThrottle

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
}


def exception_handler(exc, context):
    """Every refusal as ``{"code", "message"}`` (and ``errors`` per parameter for a bad
    request), with DRF's headers such as ``Retry-After`` kept."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "code": "invalid",
            "message": _("The request has invalid parameters."),
            "errors": response.data if isinstance(response.data, dict) else {"": response.data},
        }
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {"code": codes if isinstance(codes, str) else "error", "message": str(detail)}
    response.data = body
    return response


def not_found(request, path=""):
    """Any other address under /api/v1/: a JSON 404, or the same address with its
    missing slash."""
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            return HttpResponsePermanentRedirect(
                request.get_full_path().replace(request.path, request.path + "/", 1)
            )
    return JsonResponse(
        {"code": "not_found", "message": _("There is nothing at this address.")}, status=404
    )


COMMON_RESPONSES = {
    400: OpenApiResponse(ERROR_SCHEMA, description=gettext_lazy("A parameter is not valid.")),
    404: OpenApiResponse(
        ERROR_SCHEMA, description=gettext_lazy("There is no such object or page.")
    ),
    429: OpenApiResponse(
        ERROR_SCHEMA,
        description=gettext_lazy("Too many requests: try again after Retry-After seconds."),
    ),
}


class OpenDataView:
    """What every view of the open data API shares: nobody is authenticated, so a member
    of staff sees what anybody sees; one rate limit; errors as ``{code, message}``."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    def get_exception_handler(self):
        return exception_handler


class ResourceViewSet(OpenDataView, viewsets.ReadOnlyModelViewSet):
    resource: resources.Resource
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    lookup_url_kwarg = "key"

    def get_queryset(self):
        return self.resource.queryset().order_by(*self.resource.ordering)

    def get_object(self):
        key = self.kwargs[self.lookup_url_kwarg]
        if self.resource.lookup == "pk" and key.isdigit() and int(key) > filters.LARGEST:
            raise exceptions.NotFound  # no such id, and more than the database can hold
        return super().get_object()

    def included(self):
        raw = self.request.query_params.get("include", "")
        names = [name.strip() for name in raw.split(",") if name.strip()]
        unknown = [name for name in names if name not in self.resource.links]
        if unknown:
            known = ", ".join(sorted(self.resource.links)) or _("none")
            raise exceptions.ValidationError(
                {
                    "include": [
                        _("%(names)s cannot be included here. Fields that can: %(known)s.")
                        % {"names": ", ".join(unknown), "known": known}
                    ]
                }
            )
        return tuple(names)

    def serialize(self, objects, *, many):
        context = self.get_serializer_context()
        context.update(link_context(self.resource, objects, self.included(), context=context))
        serializer_class = self.get_serializer_class()
        return serializer_class(objects if many else objects[0], many=many, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        # The page is found by ids alone, which an index of the order answers however deep
        # the page is; only its own objects are then read with what they join.
        ids = list(self.paginate_queryset(queryset.values_list("pk", flat=True)))
        found = queryset.in_bulk(ids)
        objects = [found[pk] for pk in ids if pk in found]
        return self.get_paginated_response(self.serialize(objects, many=True))

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        response = Response(self.serialize([obj], many=False))
        modified = self.last_modified(obj)
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        return response

    def last_modified(self, obj):
        """The newest of the object's own timestamps and of the audit log's entries about it."""
        times = [getattr(obj, name) for name in self.resource.timestamps]
        logged = AuditEntry.objects.filter(
            target_type=obj._meta.label_lower, target_id=str(obj.pk)
        ).aggregate(newest=Max("created_at"))["newest"]
        times = [moment for moment in [*times, logged] if moment is not None]
        return max(times) if times else None


def link_context(resource, objects, include=(), *, context):
    """What the serializer needs to write the links of ``objects``: for each link, the
    referenced objects that the other resource publishes (``linked``), for links to
    many the ids each object refers to (``many_ids``), and for the links named in
    ``include`` those objects serialized, once each however many objects link to them
    (``included``, pk → data). One query per link, and one more per link of an included
    resource, however many objects there are. ``context`` is the serializer's (its
    request and addresses), shared with the included objects."""
    serializers.addresses(context)  # made here, so that the included objects share it
    found, many_ids, included = {}, {}, {}
    for name, link in resource.links.items():
        target = resources.registry[link.resource]
        if link.many:
            relation = resource.model._meta.get_field(name)
            through = relation.remote_field.through
            source, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            per_object = {}
            rows = through.objects.filter(**{f"{source}__in": [obj.pk for obj in objects]})
            for owner, pk in rows.values_list(f"{source}_id", f"{other}_id"):
                per_object.setdefault(owner, []).append(pk)
            many_ids[name] = per_object
            ids = {pk for pks in per_object.values() for pk in pks}
        else:
            ids = {link.id_of(name, obj) for obj in objects} - {None}
        found[name] = target.queryset().in_bulk(list(ids)) if ids else {}
        if name in include:
            linked = list(found[name].values())
            nested = {**context, **link_context(target, linked, context=context)}
            data = serializers.serializer_for(target)(linked, many=True, context=nested).data
            included[name] = {obj.pk: item for obj, item in zip(linked, data, strict=True)}
    return {"linked": found, "many_ids": many_ids, "included": included}


def viewset_for(resource):
    include = OpenApiParameter(
        "include",
        str,
        description=resources.INCLUDE_HELP,
        enum=sorted(resource.links),
        many=True,
        explode=False,
        style="form",
    )
    name = "".join(part.capitalize() for part in resource.basename.split("-")) + "ViewSet"
    lookup_regex = "[0-9]+" if resource.lookup == "pk" else "[-a-zA-Z0-9_]+"
    viewset = type(
        name,
        (ResourceViewSet,),
        {
            "resource": resource,
            "serializer_class": serializers.serializer_for(resource),
            "filterset_class": filters.filterset_for(resource),
            "lookup_field": resource.lookup,
            "lookup_value_regex": lookup_regex,
            "__doc__": str(resource.description),
        },
    )
    parameters = [include] if resource.links else []
    return extend_schema_view(
        list=extend_schema(
            summary=resource.title,
            description=resource.description,
            parameters=[*parameters],
            responses={
                200: OpenApiResponse(
                    serializers.serializer_for(resource)(many=True),
                    description=gettext_lazy("A page of objects."),
                ),
                **COMMON_RESPONSES,
            },
            tags=[resource.tag],
        ),
        retrieve=extend_schema(
            summary=resource.title,
            description=resource.description,
            parameters=parameters,
            responses={
                200: OpenApiResponse(
                    serializers.serializer_for(resource), description=gettext_lazy("The object.")
                ),
                **COMMON_RESPONSES,
            },
            tags=[resource.tag],
        ),
    )(viewset)


class Root(OpenDataView, APIView):
    """The open data of Osallistu: every resource with its address."""

    def get_view_name(self):
        return _("Osallistu open data")

    @extend_schema(exclude=True)
    def get(self, request):
        def absolute(name):
            return request.build_absolute_uri(reverse(name))

        return Response(
            {
                "licence": "https://creativecommons.org/licenses/by/4.0/",
                "schema": absolute("api-v1:schema"),
                "catalog": absolute("api-v1:catalog"),
                "resources": {
                    item.name: {
                        "title": str(item.title),
                        "@id": absolute(f"api-v1:{item.basename}-list"),
                    }
                    for item in resources.resources()
                },
            }
        )
