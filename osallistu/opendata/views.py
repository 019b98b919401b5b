"""The open data page (what is published, under which licence, and where) and the API's
documentation page, drawn on the server from the OpenAPI schema."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import resources, schema


@require_safe
def page(request):
    return render(request, "opendata/page.html", {"resources": resources.resources()})


@require_safe
def api_docs(request):
    return render(
        request, "opendata/api_docs.html", {"operations": schema.operations(get_language())}
    )
