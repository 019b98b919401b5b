"""Pages of the open data API as Linked Events gives them."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.response import Response

from . import resources

MAX_PAGE_SIZE = 100


class Pagination(pagination.PageNumberPagination):
    """``{"meta": {"count", "next", "previous"}, "data": [...]}``; a page size out of
    range is refused rather than quietly changed."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    "page_size": [
                        _("Give a whole number from 1 to %(most)s.") % {"most": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_paginated_response(self, data):
        return Response(
            {
                "meta": {
                    "count": self.page.paginator.count,
                    "next": self.get_next_link(),
                    "previous": self.get_previous_link(),
                },
                "data": data,
            }
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": str(resources.PAGE_HELP),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": str(resources.PAGE_SIZE_HELP),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["meta", "data"],
            "properties": {
                "meta": {
                    "type": "object",
                    "required": ["count", "next", "previous"],
                    "properties": {"count": {"type": "integer"}, "next": link, "previous": link},
                },
                "data": schema,
            },
        }
