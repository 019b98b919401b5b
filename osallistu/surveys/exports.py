"""Exports of a survey's sent responses: CSV streamed row by row, and XLSX written
by openpyxl in write-only mode. Both read responses in chunks, so memory stays flat
however many responses there are.

Free text is made safe for spreadsheets: a cell that starts with = + - @ or a tab
or carriage return would be read as a formula, so it gets a leading apostrophe
(OWASP, "CSV injection").

Answers no longer take control characters (``engine.check_characters``), but some
may have been stored before, and question texts are staff's. XML, and so XLSX,
cannot hold most of them: one such answer would make the whole workbook unreadable.
The XLSX shows each as the replacement character U+FFFD "�"; the CSV keeps the text as
it is stored.
"""

import csv
import json
import re
import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from osallistu.areas.models import AgeGroup, Area

from . import engine, selectors
from .models import Answer

CHUNK = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 does not allow in text, and so no cell of an XLSX file may hold.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_cell(value):
    """``value`` as a spreadsheet shows it as text, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_cell(value):
    """``value`` safe as a spreadsheet cell, with what XML cannot hold shown as U+FFFD."""
    value = safe_cell(value)
    if isinstance(value, str):
        return NOT_IN_XML.sub("\ufffd", value)
    return value


def _columns(structure):
    """(header, question spec, matrix row or None, part) for each column after the
    response's own columns. A map question has an address and a GeoJSON column."""
    columns = []
    address = _("address")
    for spec in structure.specs:
        question = structure.questions[spec.id]
        if spec.kind == engine.INFO:
            continue
        if spec.kind == engine.MATRIX:
            columns += [
                (f"{question.text}: {row.text}", spec, row.id, None) for row in question.rows
            ]
        elif spec.kind == engine.MAP:
            columns.append((f"{question.text}: {address}", spec, None, "address"))
            columns.append((f"{question.text}: GeoJSON", spec, None, "geojson"))
        else:
            columns.append((question.text, spec, None, None))
    return columns


def _cell(spec, row, part, value, labels):
    if value is None:
        return ""
    kind = spec.kind
    other = _("Other")
    if kind == engine.SINGLE_CHOICE:
        return labels[value["option"]] if "option" in value else f"{other}: {value['other']}"
    if kind == engine.MULTIPLE_CHOICE:
        chosen = [labels[option] for option in value["options"]]
        if "other" in value:
            chosen.append(f"{other}: {value['other']}")
        return "; ".join(chosen)
    if kind == engine.RANKING:
        return " > ".join(labels[option] for option in value)
    if kind == engine.MATRIX:
        option = value.get(str(row))
        return labels[option] if option is not None else ""
    if kind == engine.MAP:
        if part == "address":
            return value["address"]
        return json.dumps(value["geojson"]) if value["geojson"] else ""
    return value


def rows(survey):
    """The header, then one list per sent response, oldest first. Cells are raw:
    the writers make them safe."""
    structure = selectors.survey_structure(survey)
    columns = _columns(structure)
    labels = {
        option.id: option.text
        for question in structure.questions.values()
        for option in [*question.choices, *question.rows]
    }
    districts = {area.pk: area.name for area in Area.objects.all()}
    age_groups = dict(AgeGroup.choices)
    yield [_("response"), _("sent"), _("district"), _("age group")] + [
        header for header, *_rest in columns
    ]
    responses = selectors.submitted_responses(survey).order_by("pk")
    last = 0
    while True:
        chunk = list(
            responses.filter(pk__gt=last).values_list(
                "pk", "submitted_at", "district", "age_group"
            )[:CHUNK]
        )
        if not chunk:
            return
        values = {}
        for response, question, value in Answer.objects.filter(
            response__in=[pk for pk, *_rest in chunk]
        ).values_list("response", "question", "value"):
            values[response, question] = value
        for pk, submitted_at, district, age_group in chunk:
            yield [
                pk,
                timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M"),
                districts.get(district, ""),
                str(age_groups.get(age_group, "")),
            ] + [
                _cell(spec, row, part, values.get((pk, spec.id)), labels)
                for _header, spec, row, part in columns
            ]
        last = chunk[-1][0]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def csv_lines(survey):
    """Encoded CSV lines with a byte order mark, so that spreadsheets read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in rows(survey):
        yield writer.writerow([safe_cell(cell) for cell in row]).encode()


def xlsx_file(survey):
    """A temporary file holding the XLSX workbook, positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Responses")[:31])
    for row in rows(survey):
        sheet.append([xlsx_cell(cell) for cell in row])
    # Handed to FileResponse, which closes it when the download is done.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
