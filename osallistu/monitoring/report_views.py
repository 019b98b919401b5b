"""Staff pages of participation plans and committee reports: city-wide reporters and
administrators (``permissions.may_manage_reports``), past the second factor."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.core.decorators import staff_member_with_mfa

from . import exports, permissions, services
from .forms import CommentaryForm, GoalForm, PlanForm, ReportForm
from .models import CommitteeReport, Goal, ParticipationPlan


def report_staff(view):
    @staff_member_with_mfa
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.may_manage_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@report_staff
@require_safe
def plans(request):
    return render(
        request,
        "monitoring/plans.html",
        {
            "plans": ParticipationPlan.objects.select_related("division"),
            "reports": CommitteeReport.objects.select_related("plan__division").defer(
                "pdf", "figures"
            ),
        },
    )


@report_staff
@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request, pk=None):
    plan = get_object_or_404(ParticipationPlan, pk=pk) if pk else ParticipationPlan()
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.save_plan(plan=form.save(commit=False), actor=request.user)
        except services.MonitoringError as error:
            form.add_error("first_year", error.message)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("monitoring:plan", pk=plan.pk)
    return render(request, "monitoring/plan_form.html", {"form": form, "plan": plan})


@report_staff
@require_http_methods(["GET", "HEAD", "POST"])
def plan_detail(request, pk):
    plan = get_object_or_404(ParticipationPlan.objects.select_related("division"), pk=pk)
    goal_form = GoalForm(request.POST or None, prefix="goal")
    if request.method == "POST" and goal_form.is_valid():
        services.add_goal(plan=plan, actor=request.user, **goal_form.cleaned_data)
        messages.success(request, _("The goal was added."))
        return redirect("monitoring:plan", pk=plan.pk)
    return render(
        request,
        "monitoring/plan.html",
        {
            "plan": plan,
            "goals": plan.goals.select_related("district"),
            "goal_form": goal_form,
            "reports": plan.reports.defer("pdf", "figures"),
        },
    )


@report_staff
@require_POST
def goal_remove(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("plan"), pk=pk)
    services.remove_goal(goal=goal, actor=request.user)
    messages.success(request, _("The goal was removed."))
    return redirect("monitoring:plan", pk=goal.plan_id)


@report_staff
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request, plan):
    plan = get_object_or_404(ParticipationPlan.objects.select_related("division"), pk=plan)
    form = ReportForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        report = services.request_report(plan=plan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The report is being made. This page shows when it is ready."))
        return redirect("monitoring:report", pk=report.pk)
    return render(request, "monitoring/report_form.html", {"form": form, "plan": plan})


@report_staff
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request, pk):
    report = get_object_or_404(
        CommitteeReport.objects.select_related("plan__division", "requested_by").defer(
            "pdf", "figures"
        ),
        pk=pk,
    )
    form = CommentaryForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        services.update_commentary(
            report=report, commentary=form.cleaned_data["commentary"], actor=request.user
        )
        messages.success(request, _("The commentary was saved; the report is being made again."))
        return redirect("monitoring:report", pk=report.pk)
    return render(request, "monitoring/report.html", {"report": report, "form": form})


@report_staff
@require_safe
def report_file(request, pk, fmt):
    """The archived report: its PDF, or the figures behind it (suppressed) as CSV or XLSX."""
    report = get_object_or_404(CommitteeReport, pk=pk)
    if report.state != CommitteeReport.State.READY:
        raise Http404
    if fmt == "pdf":
        return pdf_response(report, "attachment")
    if fmt == "csv":
        response = HttpResponse(
            exports.as_csv(report.figures["indicators"]), content_type="text/csv"
        )
    else:
        response = HttpResponse(
            exports.as_xlsx(report.figures["indicators"], title=_("Figures")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, fmt)}"'
    return response


def file_name(report, fmt):
    return f"osallistu-report-{report.plan_id}-{report.period_start}-{report.period_end}.{fmt}"


def pdf_response(report, disposition):
    """The report's PDF, in its language; ``disposition`` "attachment" or "inline"."""
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{file_name(report, "pdf")}"'
    response["Content-Language"] = report.language
    return response
