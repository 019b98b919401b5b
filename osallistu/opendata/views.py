"""The open data page: what is published, under which licence, and where."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import resources


@require_safe
def page(request):
    return render(request, "opendata/page.html", {"resources": resources.resources()})
