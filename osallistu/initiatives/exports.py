"""The council report as CSV and XLSX. Text is made safe for spreadsheets: a cell that
starts with = + - @ or a tab or carriage return would be read as a formula, so it gets
a leading apostrophe (OWASP, "CSV injection")."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _day(value):
    return value.isoformat() if value else ""


def report_rows(rows):
    """The header, then one list of cells per initiative of the report."""
    yield [
        _("diary number"),
        _("title"),
        _("kind"),
        _("area"),
        _("sent"),
        _("state at the end of the period"),
        _("state now"),
        pgettext("citizens' initiative", "supports"),
        _("supports counted towards the thresholds"),
        _("day 2 % was reached"),
        _("day 4 % was reached"),
        _("deadline"),
        _("overdue at the end of the period"),
        _("division"),
        _("preparer"),
        _("decision-maker"),
        _("date of the decision"),
        _("the city's answer"),
        _("link to the decision"),
        _("why it ended"),
    ]
    for row in rows:
        initiative = row.initiative
        yield [
            initiative.diary_number,
            initiative.title,
            initiative.get_category_display(),
            initiative.area.name,
            _day(initiative.sent_at and timezone.localdate(initiative.sent_at)),
            str(row.state_label),
            initiative.get_state_display(),
            row.supports,
            row.counted,
            _day(initiative.council_threshold_reached_on),
            _day(initiative.referendum_threshold_reached_on),
            _day(initiative.deadline),
            _("yes") if row.overdue else _("no"),
            initiative.division.name if initiative.division else "",
            initiative.preparer_name,
            initiative.decision_maker,
            _day(initiative.decision_date),
            initiative.answer,
            initiative.decision_url,
            initiative.end_reason,
        ]


def report_csv(rows):
    """The CSV file's bytes, with a byte order mark so that spreadsheets read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for cells in report_rows(rows):
        writer.writerow([safe_cell(cell) for cell in cells])
    return ("\ufeff" + buffer.getvalue()).encode()


def report_xlsx(rows, period_label):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(period_label)[:31])
    for cells in report_rows(rows):
        sheet.append([safe_cell(cell) for cell in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
