"""The bulk downloads: one ZIP per dataset with its objects as CSV and as JSON and a
README of the columns, and the anonymised ballots of every published result as pabulib
files. Written by the nightly task (``tasks.export_open_data``) into
``OPEN_DATA_ROOT`` and served as files at ``OPEN_DATA_URL`` (``views.download``, or a web
server in front that serves the folder there itself).

Objects are read in chunks and written as they come, so memory stays flat however many
there are. Each file is written beside its old version and then moved over it, so a
download never gets half a file.
"""

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer

from osallistu.budgeting import results as budgeting_results
from osallistu.budgeting.models import Tally
from osallistu.core.site import absolute_url

from . import resources, schema, serializers
from .api import link_context

CHUNK = 2000
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PABULIB_NAME = "budgeting-pabulib"
MANIFEST = "manifest.json"


def root():
    return Path(settings.OPEN_DATA_ROOT)


def file_url(name):
    return absolute_url(settings.OPEN_DATA_URL + name)


class SiteAddresses:
    """Stands in for a request where the serializers ask for absolute addresses: outside
    a request they are the public site's (``core.site``)."""

    def build_absolute_uri(self, path):
        return absolute_url(path)


def columns(resource):
    """(column, description) of the CSV: multilingual fields one column per language,
    links as the linked object's id."""
    found = []
    operation = schema.operation(resource, get_language())
    descriptions = {field["name"]: field["description"] for field in operation["fields"]}
    for name in ["id", *resource.fields, *resource.translated, *resource.links, *resource.computed]:
        if name in resource.translated:
            for code in serializers.LANGUAGE_CODES:
                found.append((f"{name}_{code}", f"{descriptions.get(name, '')} ({code})"))
        else:
            found.append((name, descriptions.get(name, "")))
    return found


def _row(resource, obj):
    row = {"id": obj["id"]}
    for name, value in obj.items():
        if name in ("@id", "@type", "id"):
            continue
        if name in resource.translated:
            for code in serializers.LANGUAGE_CODES:
                row[f"{name}_{code}"] = value.get(code) or ""
        elif name in resource.links:
            if resource.links[name].many:
                row[name] = " ".join(
                    str(link["@id"].rstrip("/").rsplit("/", 1)[-1]) for link in value
                )
            else:
                row[name] = value["@id"].rstrip("/").rsplit("/", 1)[-1] if value else ""
        elif isinstance(value, list | dict):
            row[name] = json.dumps(value, ensure_ascii=False)
        elif value is None:
            row[name] = ""
        else:
            row[name] = value
    return row


def objects(resource, request):
    """The resource's objects serialized as the API gives them, chunk by chunk."""
    queryset = resource.queryset().order_by(*resource.ordering)
    serializer_class = serializers.serializer_for(resource)
    chunk = []

    def flush():
        context = {"request": request}
        context.update(link_context(resource, chunk, context=context))
        yield from serializer_class(chunk, many=True, context=context).data
        chunk.clear()

    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield from flush()
    if chunk:
        yield from flush()


def readme(resource, column_list, generated_at):
    lines = [
        f"# {resource.title}",
        "",
        str(resource.description),
        "",
        _("Licence: CC BY 4.0 (%(url)s). Source: Osallistu, %(site)s.")
        % {"url": LICENCE_URL, "site": absolute_url("/")},
        _("Made at %(time)s; made again every night.") % {"time": generated_at.isoformat()},
        _("The same data through the API: %(url)s")
        % {"url": absolute_url(f"/api/v1/{resource.name}/")},
        "",
        _(
            "%(csv)s has one row per object and these columns; %(json)s has the objects as "
            "the API gives them."
        )
        % {"csv": f"{resource.basename}.csv", "json": f"{resource.basename}.json"},
        "",
        "| " + _("Column") + " | " + _("Description") + " |",
        "|---|---|",
    ]
    for name, description in column_list:
        clean = " ".join(description.split()).replace("|", "/")
        lines.append(f"| {name} | {clean} |")
    return "\n".join(lines) + "\n"


def write_dataset(resource, directory, request, generated_at):
    """``<basename>.zip`` in ``directory``; returns the number of objects.

    The objects are read and serialized once, each written to the CSV in the archive
    and to the JSON in a file beside it as it comes (an archive takes one file at a
    time), which then goes into the archive: computed fields such as the monitoring
    figures are computed once, and memory stays flat."""
    column_list = columns(resource)
    path = directory / f"{resource.basename}.zip"
    count = 0
    renderer = JSONRenderer()
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryFile(dir=directory) as json_file,
    ):
        with archive.open(f"{resource.basename}.csv", "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = csv.DictWriter(text, fieldnames=[name for name, _d in column_list])
            writer.writeheader()
            json_file.write(b"[")
            for obj in objects(resource, request):
                writer.writerow(_row(resource, obj))
                json_file.write((b",\n" if count else b"\n") + renderer.render(obj))
                count += 1
            json_file.write(b"\n]\n")
            text.flush()
            text.detach()
        json_file.seek(0)
        with archive.open(f"{resource.basename}.json", "w", force_zip64=True) as raw:
            shutil.copyfileobj(json_file, raw, 1 << 16)
        archive.writestr("README.md", readme(resource, column_list, generated_at))
    return count


def write_pabulib(directory, generated_at):
    """The anonymised ballots of every published result, one pabulib file per area."""
    path = directory / f"{PABULIB_NAME}.zip"
    tallies = Tally.objects.published().select_related("round", "area").order_by("round", "area")
    count = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for tally in tallies:
            text = budgeting_results.pabulib_text(tally.round, tally.area, selected=tally.selected)
            archive.writestr(f"{tally.round.slug}-{tally.area.slug}.pb", text)
            count += 1
        archive.writestr(
            "README.md",
            "\n".join(
                [
                    "# " + _("Ballots of participatory budgeting"),
                    "",
                    _(
                        "The anonymised ballots of every published result, one file per round "
                        "and area, in the pabulib format (https://pabulib.org/format). Voters "
                        "are numbered in a random order; nothing in the files says who voted."
                    ),
                    "",
                    _("Licence: CC BY 4.0 (%(url)s).") % {"url": LICENCE_URL},
                    _("Made at %(time)s; made again every night.")
                    % {"time": generated_at.isoformat()},
                ]
            )
            + "\n",
        )
    return count


def digest(path):
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()


def export_all():
    """Write every dataset and the manifest; returns the manifest."""
    generated_at = timezone.now().replace(microsecond=0)
    target = root()
    target.mkdir(parents=True, exist_ok=True)
    request = SiteAddresses()
    entries = []
    with tempfile.TemporaryDirectory(dir=target) as scratch, override(settings.LANGUAGE_CODE):
        scratch = Path(scratch)
        jobs = [
            (
                resource.basename,
                lambda directory, r=resource: write_dataset(r, directory, request, generated_at),
            )
            for resource in resources.resources()
        ]
        jobs.append((PABULIB_NAME, lambda directory: write_pabulib(directory, generated_at)))
        for name, write in jobs:
            count = write(scratch)
            file_name = f"{name}.zip"
            os.replace(scratch / file_name, target / file_name)
            entries.append(
                {
                    "dataset": name,
                    "file": file_name,
                    "objects": count,
                    "bytes": (target / file_name).stat().st_size,
                    "sha256": digest(target / file_name),
                }
            )
        manifest = {"generated_at": generated_at.isoformat(), "files": entries}
        (scratch / MANIFEST).write_text(json.dumps(manifest, indent=1))
        os.replace(scratch / MANIFEST, target / MANIFEST)
    return manifest


def published_files():
    """Names of the files the last export made."""
    return {entry["file"] for entry in (manifest() or {"files": []})["files"]}


def manifest():
    """The last export's manifest, or None before the first."""
    try:
        return json.loads((root() / MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
