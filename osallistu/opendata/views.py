"""The open data page (what is published, under which licence, how often and where) and
the API's documentation page, both drawn on the server from the declarations."""

import datetime

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe

from . import export, resources, schema, tasks

FREQUENCIES = {
    "daily": _("Changes daily"),
    "weekly": _("Changes weekly"),
    "annual": _("Changes yearly"),
}


@require_safe
def page(request):
    manifest = export.manifest() or {"files": []}
    files = {entry["dataset"]: entry for entry in manifest["files"]}
    datasets = [
        {
            "resource": resource,
            "frequency": FREQUENCIES[resource.frequency],
            "columns": export.columns(resource),
            "download": files.get(resource.basename),
        }
        for resource in resources.resources()
    ]
    generated_at = manifest.get("generated_at")
    return render(
        request,
        "opendata/page.html",
        {
            "datasets": datasets,
            "pabulib": files.get(export.PABULIB_NAME),
            "generated_at": parse_datetime(generated_at) if generated_at else None,
            "export_hour": tasks.EXPORT_AT.hour,
            "files_url": export.file_url(""),
        },
    )


def _download_modified(request, name):
    path = export.root() / name
    if name not in export.published_files() or not path.is_file():
        return None
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)


@require_safe
@condition(last_modified_func=_download_modified)
def download(request, name):
    """A file of the last nightly export, by its name in the manifest (nothing else in
    the folder is served)."""
    if name not in export.published_files():
        raise Http404
    response = FileResponse((export.root() / name).open("rb"), as_attachment=True)
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def api_docs(request):
    return render(
        request, "opendata/api_docs.html", {"operations": schema.operations(get_language())}
    )
