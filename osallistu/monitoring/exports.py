"""The figures behind a page or a report as CSV and XLSX. Downloads always have small
cells suppressed, whoever downloads them."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from .indicators import Unit


def unit_label(indicator):
    if indicator.unit_text:
        return str(indicator.unit_text)
    return {
        Unit.PEOPLE: _("people"),
        Unit.HOURS: pgettext("unit after a number", "hours"),
        Unit.SHARE: _("per cent on time"),
    }[indicator.unit]


def column_label(indicator):
    """The heading of the column of an indicator's figures in a table."""
    if indicator.column_text:
        return str(indicator.column_text)
    return {
        Unit.PEOPLE: pgettext("column heading", "People"),
        Unit.HOURS: pgettext("column heading", "Hours"),
        Unit.SHARE: pgettext("column heading", "Answered on time, %"),
    }[indicator.unit]


def rate_label(indicator):
    if indicator.unit == Unit.HOURS:
        return _("hours per 1,000 residents")
    if indicator.unit == Unit.COUNT:
        return _("per 1,000 residents")
    return _("per cent of residents")


def cell_data(cell):
    return {
        "key": cell.key,
        "label": str(cell.label),
        "value": cell.value,
        "people": cell.people,
        "count": cell.count,
        "population": cell.population,
        "rate": cell.rate,
        "index": cell.index,
        "suppressed": cell.suppressed,
    }


def snapshot(figures_list):
    """Figures as plain data (JSON): what a report keeps and what every file is made of."""
    result = []
    for figures in figures_list:
        indicator = figures.indicator
        result.append(
            {
                "key": indicator.key,
                "title": str(indicator.title),
                "unit": unit_label(indicator),
                "rate_label": rate_label(indicator) if indicator.min_age is not None else "",
                "year": figures.year,
                "area": figures.district.name if figures.district else str(_("All of the city")),
                "population_year": figures.population_year,
                "approximate": figures.approximate,
                "total": cell_data(figures.total),
                "by_district": [cell_data(cell) for cell in figures.by_district],
                "by_age": [cell_data(cell) for cell in figures.by_age],
                "by_channel": [cell_data(cell) for cell in figures.by_channel],
                "group_label": str(indicator.group_label or ""),
                "group_caption": str(indicator.group_caption or ""),
                "by_group": [cell_data(cell) for cell in figures.by_group],
                "trend": [cell_data(cell) for cell in figures.trend],
                "under_represented": [
                    {"kind": str(kind), **cell_data(cell)}
                    for kind, cell in figures.under_represented()
                ],
            }
        )
    return result


def figure_rows(data):
    """Header and rows of a snapshot: one row per cell of every breakdown."""
    header = [
        _("Indicator"),
        _("Year"),
        _("Area"),
        _("Breakdown"),
        _("Group"),
        _("Value"),
        _("Unit"),
        _("Population"),
        _("Rate"),
        _("Representation index"),
        _("Note"),
    ]
    rows = []
    for indicator in data:
        year = indicator["year"] if indicator["year"] is not None else _("every year")
        parts = [
            (_("Total"), [indicator["total"]], False),
            (_("District"), indicator["by_district"], False),
            (_("Age group"), indicator["by_age"], False),
            (_("Channel"), indicator["by_channel"], False),
            (indicator.get("group_label") or "", indicator.get("by_group", []), False),
            (_("Year"), indicator["trend"], True),
        ]
        for breakdown, cells, by_year in parts:
            for cell in cells:
                rows.append(
                    [
                        indicator["title"],
                        cell["label"] if by_year else year,
                        indicator["area"],
                        breakdown,
                        cell["label"],
                        blank(cell["value"]),
                        indicator["unit"],
                        blank(cell["population"]),
                        blank(cell["rate"]),
                        blank(cell["index"]),
                        _("fewer than 5 people: not published") if cell["suppressed"] else "",
                    ]
                )
    return header, rows


def blank(value):
    return "" if value is None else value


def as_csv(data):
    """``data``: a ``snapshot``."""
    header, rows = figure_rows(data)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(data, *, title):
    header, rows = figure_rows(data)
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([str(value) if not isinstance(value, int | float) else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
