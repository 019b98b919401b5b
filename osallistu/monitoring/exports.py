"""The figures behind a page or a report as CSV and XLSX. Downloads always have small
cells suppressed, whoever downloads them."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .indicators import Unit


def unit_label(indicator):
    return {
        Unit.PEOPLE: _("people"),
        Unit.HOURS: _("hours"),
        Unit.SHARE: _("per cent on time"),
    }[indicator.unit]


def rate_label(indicator):
    if indicator.unit == Unit.HOURS:
        return _("hours per 1,000 residents")
    return _("per cent of residents")


def figure_rows(figures_list):
    """Header and rows: one row per cell of every breakdown of every indicator."""
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
    for figures in figures_list:
        indicator = figures.indicator
        year = figures.year if figures.year is not None else _("every year")
        area = figures.district.name if figures.district else _("All of the city")
        parts = [
            (_("Total"), [figures.total]),
            (_("District"), figures.by_district),
            (_("Age group"), figures.by_age),
            (_("Channel"), figures.by_channel),
            (_("Year"), figures.trend),
        ]
        for breakdown, cells in parts:
            for cell in cells:
                rows.append(
                    [
                        str(indicator.title),
                        cell.label if breakdown == _("Year") else year,
                        area,
                        breakdown,
                        cell.label,
                        "" if cell.value is None else cell.value,
                        unit_label(indicator),
                        "" if cell.population is None else cell.population,
                        "" if cell.rate is None else cell.rate,
                        "" if cell.index is None else cell.index,
                        _("fewer than 5 people: not published") if cell.suppressed else "",
                    ]
                )
    return header, rows


def as_csv(figures_list):
    header, rows = figure_rows(figures_list)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(figures_list, *, title):
    header, rows = figure_rows(figures_list)
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([str(value) if not isinstance(value, int | float) else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
