"""The public dashboard, the indicators' definitions, the equality view and downloads;
the staff figures. Reports and plans are in ``report_views``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from osallistu.core.decorators import staff_member_with_mfa

from . import charts, exports, permissions, report_views, selectors
from .forms import FigureFilter
from .indicators import INDICATORS, indicator


def _chosen(request):
    form = FigureFilter(request.GET or None)
    district, year = form.choice()
    return form, district, year


def _charts(figures_list):
    """Charts of each indicator: by district (by age group within a district) and by year."""
    for number, figures in enumerate(figures_list):
        title = str(figures.indicator.title)
        if figures.by_district:
            figures.main_chart = charts.bar_chart(
                figures.by_district,
                title=_("%(indicator)s by district") % {"indicator": title},
                chart_id=f"chart-{number}-district",
            )
        elif figures.by_age:
            figures.main_chart = charts.bar_chart(
                figures.by_age,
                title=_("%(indicator)s by age group") % {"indicator": title},
                chart_id=f"chart-{number}-age",
            )
        else:
            figures.main_chart = None
        figures.age_chart = (
            charts.bar_chart(
                figures.by_age,
                title=_("%(indicator)s by age group") % {"indicator": title},
                chart_id=f"chart-{number}-ages",
            )
            if figures.by_age
            else None
        )
        figures.trend_chart = charts.bar_chart(
            figures.trend,
            title=_("%(indicator)s by year") % {"indicator": title},
            chart_id=f"chart-{number}-trend",
        )
    return figures_list


def _context(request, *, public, indicators=None):
    form, district, year = _chosen(request)
    figures_list, years, year = selectors.dashboard(
        year=year, district=district, public=public, indicators=indicators
    )
    return {
        "form": form,
        "figures_list": _charts(figures_list),
        "years": years,
        "year": year,
        "district": district,
        "districts": form.fields["district"].queryset,
        "approximate": any(figures.approximate for figures in figures_list),
        "query": request.GET.urlencode(),
        "public": public,
    }


@require_safe
def dashboard(request):
    return render(request, "monitoring/dashboard.html", _context(request, public=True))


@require_safe
def indicator_page(request, key):
    """An indicator's definition and all its figures."""
    chosen = indicator(key)
    if chosen is None:
        raise Http404
    context = _context(request, public=True, indicators=[chosen])
    context["figures"] = context["figures_list"][0]
    return render(request, "monitoring/indicator.html", context)


@require_safe
def definitions(request):
    return render(request, "monitoring/definitions.html", {"indicators": INDICATORS})


@require_safe
def equality(request):
    """The most under-represented districts and age groups of each indicator."""
    context = _context(
        request, public=True, indicators=[i for i in INDICATORS if i.min_age is not None]
    )
    return render(request, "monitoring/equality.html", context)


@require_safe
def download(request, fmt):
    """The dashboard's figures with its filters, small cells suppressed."""
    _form, district, year = _chosen(request)
    figures_list, _years, year = selectors.dashboard(year=year, district=district, public=True)
    return file_response(figures_list, fmt, "osallistu-monitoring")


def file_response(figures_list, fmt, name):
    """``figures_list`` as a CSV or XLSX download, small cells suppressed."""
    data = exports.snapshot(figures_list)
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(data), content_type="text/csv")
    else:
        response = HttpResponse(
            exports.as_xlsx(data, title=_("Figures")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
def reports(request):
    """The committee reports of approved plans, newest period first, as PDFs."""
    published = (
        selectors.public_reports()
        .select_related("plan__division")
        .order_by("-period_end", "plan__division__position", "language", "pk")
    )
    return render(request, "monitoring/public_reports.html", {"reports": published})


@require_safe
def report_pdf(request, pk):
    """A published committee report as the committee was given it (small cells
    suppressed, as in every report)."""
    report = get_object_or_404(selectors.public_reports().defer(None), pk=pk)
    return report_views.pdf_response(report, "inline")


@staff_member_with_mfa
@require_safe
def staff_dashboard(request):
    """Every figure, small cells shown, of the areas the person's roles cover."""
    _form, district, _year = _chosen(request)
    if not permissions.may_see_staff_figures(request.user, district):
        raise PermissionDenied
    context = _context(request, public=False)
    context["may_manage_reports"] = permissions.may_manage_reports(request.user)
    return render(request, "monitoring/staff_dashboard.html", context)
