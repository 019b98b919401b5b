"""The twice-yearly report to the council: initiatives the city handled in a half-year,
their states and answers and the overdue ones, as a page and as CSV and XLSX. Public:
everything in it is public on the initiatives' own pages."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import exports, selectors
from .selectors import Period


def period_label(period):
    if period.half == 1:
        return _("January–June %(year)s") % {"year": period.year}
    return _("July–December %(year)s") % {"year": period.year}


def _period(year, half):
    """The period asked for, if it has begun and is not before any initiative."""
    if half not in (1, 2):
        raise Http404
    period = Period(year, half)
    if period not in selectors.report_periods():
        raise Http404
    return period


@require_safe
def report_index(request):
    periods = [(period, period_label(period)) for period in selectors.report_periods()]
    return render(request, "initiatives/report_index.html", {"periods": periods})


@require_safe
def report(request, year, half):
    period = _period(year, half)
    rows = selectors.council_report(period)
    return render(
        request,
        "initiatives/report.html",
        {
            "period": period,
            "label": period_label(period),
            "rows": rows,
            "overdue": [row for row in rows if row.overdue],
            "decided": sum(1 for row in rows if row.state == "decided"),
            "today": timezone.localdate(),
        },
    )


def _download(content, content_type, period, extension):
    response = HttpResponse(content, content_type=content_type)
    name = f"initiatives-{period.year}-{period.half}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def report_csv(request, year, half):
    period = _period(year, half)
    return _download(
        exports.report_csv(selectors.council_report(period)),
        "text/csv; charset=utf-8",
        period,
        "csv",
    )


@require_safe
def report_xlsx(request, year, half):
    period = _period(year, half)
    return _download(
        exports.report_xlsx(selectors.council_report(period), period_label(period)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        period,
        "xlsx",
    )
