"""Staff pages of volunteering: verifying organisers, approving residents' talkoot,
and the figures for monitoring. Each needs a staff account past the second factor,
then a role that reaches the organiser's or talkoot's district (``permissions``);
the services check it again and write the audit log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.core.decorators import staff_member_with_mfa

from . import permissions, selectors, services
from .forms import DecisionForm, FiguresForm, default_figures_period
from .models import Organiser, Talkoot


@staff_member_with_mfa
@require_safe
def home(request):
    user = request.user
    if not permissions.may_use_desk(user):
        raise PermissionDenied
    verifiers = permissions.may_verify_organisers(user)
    deciders = permissions.may_decide_talkoot(user)
    return render(
        request,
        "volunteering/staff/home.html",
        {
            "organisers": selectors.organisers_waiting(permissions.verifier_district_ids(user))
            if verifiers
            else None,
            "talkoot": selectors.talkoot_waiting(permissions.talkoot_district_ids(user))
            if deciders
            else None,
            "figures": permissions.may_see_figures(user),
        },
    )


def _decide(request, form, approve, refuse_):
    action = request.POST.get("action")
    if action not in ("approve", "refuse"):
        form.add_error(None, _("The action was not understood."))
        return False
    reason = form.cleaned_data["reason"]
    try:
        if action == "approve":
            approve(reason)
        else:
            refuse_(reason)
    except services.VolunteeringError as error:
        form.add_error("reason" if error.code == "reason_required" else None, error.message)
        return False
    return True


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def organiser(request, pk):
    organiser = get_object_or_404(
        selectors.organisers_for_staff(permissions.verifier_district_ids(request.user)), pk=pk
    )
    if not permissions.may_verify(request.user, organiser):
        raise PermissionDenied
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = _decide(
            request,
            form,
            lambda note: services.verify_organiser(
                organiser=organiser, staff=request.user, note=note
            ),
            lambda reason: services.refuse_organiser(
                organiser=organiser, staff=request.user, reason=reason
            ),
        )
        if done:
            messages.success(request, _("The decision is saved and the organiser told."))
            return redirect("volunteering:staff")
    return render(
        request,
        "volunteering/staff/organiser.html",
        {
            "organiser": organiser,
            "form": form,
            "members": organiser.memberships.select_related("user"),
            "statuses": Organiser.Status,
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def talkoot(request, pk):
    talkoot = get_object_or_404(
        selectors.talkoot_for_staff(permissions.talkoot_district_ids(request.user)), pk=pk
    )
    if not permissions.may_decide_talkoot(request.user, talkoot.district):
        raise PermissionDenied
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = _decide(
            request,
            form,
            lambda note: services.approve_talkoot(talkoot=talkoot, staff=request.user, note=note),
            lambda reason: services.refuse_talkoot(
                talkoot=talkoot, staff=request.user, reason=reason
            ),
        )
        if done:
            messages.success(request, _("The decision is saved and the proposer told."))
            return redirect("volunteering:staff")
    return render(
        request,
        "volunteering/staff/talkoot.html",
        {"talkoot": talkoot, "form": form, "statuses": Talkoot.Status},
    )


@staff_member_with_mfa
@require_safe
def figures(request):
    if not permissions.may_see_figures(request.user):
        raise PermissionDenied
    bound = "first_day" in request.GET or "last_day" in request.GET
    form = FiguresForm(request.GET if bound else None, initial=default_figures_period())
    period = default_figures_period()
    if bound and form.is_valid():
        period = form.cleaned_data
    return render(
        request,
        "volunteering/staff/figures.html",
        {
            "form": form,
            "figures": selectors.figures(**period) if not bound or form.is_valid() else None,
        },
    )
