"""Pages of an organiser's members: registering an organiser, its members, its
opportunities and shifts, who signed up, messages and hours. A member reaches only
the organisers they belong to (``selectors.managed_*``), and the services check
membership again."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .forms import (
    AttendanceForm,
    InviteForm,
    MessageForm,
    OpportunityForm,
    OrganiserForm,
    ReasonForm,
    ShiftForm,
)
from .models import HOLDING, Opportunity, SignUp
from .selectors import CITY_TZ


def _organiser(request, slug):
    organiser = selectors.managed_organiser(request.user, slug)
    if organiser is None:
        raise Http404
    return organiser


def _opportunity(request, pk):
    opportunity = selectors.managed_opportunity(request.user, pk)
    if opportunity is None:
        raise Http404
    return opportunity


def _shift(request, pk):
    shift = selectors.managed_shift(request.user, pk)
    if shift is None:
        raise Http404
    return shift


@login_required
@require_safe
def home(request):
    return render(
        request,
        "volunteering/manage/home.html",
        {"organisers": selectors.organisers_of(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organiser_new(request):
    form = OrganiserForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organiser = services.register_organiser(user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _(
                "The organiser is registered. The city verifies it before its opportunities are "
                "shown."
            ),
        )
        return redirect("volunteering:manage_organiser", slug=organiser.slug)
    return render(request, "volunteering/manage/organiser_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organiser_edit(request, slug):
    organiser = _organiser(request, slug)
    form = OrganiserForm(request.POST if request.method == "POST" else None, instance=organiser)
    if request.method == "POST" and form.is_valid():
        services.update_organiser(organiser=organiser, member=request.user, **form.cleaned_data)
        messages.success(request, _("The organiser's details are saved."))
        return redirect("volunteering:manage_organiser", slug=organiser.slug)
    return render(
        request, "volunteering/manage/organiser_form.html", {"form": form, "organiser": organiser}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organiser(request, slug):
    """An organiser's desk: its opportunities, its members and inviting more."""
    organiser = _organiser(request, slug)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.invite_member(
            organiser=organiser, member=request.user, email=form.cleaned_data["email"]
        )
        messages.success(request, _("The invitation is sent."))
        return redirect("volunteering:manage_organiser", slug=organiser.slug)
    return render(
        request,
        "volunteering/manage/organiser.html",
        {
            "organiser": organiser,
            "opportunities": organiser.opportunities.order_by("status", "-created_at"),
            "members": organiser.memberships.select_related("user").order_by("added_at"),
            "form": form,
        },
    )


@login_required
@require_POST
def member_remove(request, slug, user_pk):
    organiser = _organiser(request, slug)
    user = get_user_model().objects.filter(pk=user_pk).first()
    if user is None:
        raise Http404
    try:
        services.remove_member(organiser=organiser, member=request.user, user=user)
    except services.VolunteeringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The member is removed."))
    if user == request.user and not selectors.managed_organiser(request.user, slug):
        return redirect("volunteering:manage")
    return redirect("volunteering:manage_organiser", slug=organiser.slug)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_new(request, slug):
    organiser = _organiser(request, slug)
    return _opportunity_form(request, organiser, None)


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    opportunity = _opportunity(request, pk)
    return _opportunity_form(request, opportunity.organiser, opportunity)


def _opportunity_form(request, organiser, opportunity):
    initial = {}
    if opportunity is None:
        initial = {
            "district": organiser.district_id,
            "contact_name": request.user.full_name,
            "contact_email": request.user.email,
        }
    form = OpportunityForm(
        request.POST if request.method == "POST" else None,
        instance=opportunity,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_opportunity(
            organiser=organiser,
            member=request.user,
            opportunity=opportunity,
            fields=form.service_fields(),
            themes=form.cleaned_data["themes"],
            languages=form.cleaned_data["languages"],
        )
        messages.success(request, _("The opportunity is saved."))
        return redirect("volunteering:manage_opportunity", pk=saved.pk)
    return render(
        request,
        "volunteering/manage/opportunity_form.html",
        {"form": form, "organiser": organiser, "opportunity": opportunity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity(request, pk):
    """An opportunity for its organiser: publishing, its shifts and a new shift."""
    opportunity = _opportunity(request, pk)
    form = ShiftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_shift(
                opportunity=opportunity,
                member=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                place_text=data["place_text"],
            )
        except services.VolunteeringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The shift is added."))
            return redirect("volunteering:manage_opportunity", pk=opportunity.pk)
    return render(
        request,
        "volunteering/manage/opportunity.html",
        {
            "opportunity": opportunity,
            "organiser": opportunity.organiser,
            "shifts": selectors.shifts_of(opportunity)[:300],
            "form": form,
            "statuses": Opportunity.Status,
        },
    )


@login_required
@require_POST
def opportunity_status(request, pk):
    opportunity = _opportunity(request, pk)
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.publish_opportunity(opportunity=opportunity, member=request.user)
            messages.success(request, _("The opportunity is published."))
        elif action == "close":
            services.close_opportunity(opportunity=opportunity, member=request.user)
            messages.success(request, _("The opportunity is closed: it is no longer shown."))
        else:
            messages.error(request, _("The action was not understood."))
    except services.VolunteeringError as error:
        messages.error(request, error.message)
    return redirect("volunteering:manage_opportunity", pk=opportunity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def shift(request, pk):
    """Who is on a shift; after it has begun, their attendance and hours."""
    shift = _shift(request, pk)
    now = timezone.now()
    roster = selectors.roster(shift)
    confirmed = [s for s in roster if s.status == SignUp.Status.CONFIRMED]
    attendance = None
    if shift.starts_at <= now:
        attendance = AttendanceForm(
            request.POST if request.method == "POST" else None,
            signups=confirmed,
            default_hours=round(shift.duration_hours * 4) / 4,
        )
        if request.method == "POST" and attendance.is_valid():
            try:
                changed = services.record_attendance(
                    shift=shift, member=request.user, entries=attendance.entries()
                )
            except services.VolunteeringError as error:
                attendance.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Attendance saved: %(count)s changed.") % {"count": len(changed)},
                )
                return redirect("volunteering:manage_shift", pk=shift.pk)
    return render(
        request,
        "volunteering/manage/shift.html",
        {
            "shift": shift,
            "opportunity": shift.opportunity,
            "roster": roster,
            "attendance": attendance,
            "holding": HOLDING,
            "statuses": SignUp.Status,
            "started": shift.starts_at <= now,
            "messages_sent": shift.messages.all()[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_edit(request, pk):
    shift = _shift(request, pk)
    local = timezone.localtime(shift.starts_at, CITY_TZ)
    initial = {
        "date": local.date(),
        "begins": local.time(),
        "ends": timezone.localtime(shift.ends_at, CITY_TZ).time(),
        "capacity": shift.capacity,
        "place_text": shift.place_text,
    }
    form = ShiftForm(request.POST if request.method == "POST" else None, initial=initial)
    cancel_form = ReasonForm(prefix="cancel")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_shift(
                shift=shift,
                member=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                place_text=data["place_text"],
            )
        except services.VolunteeringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The shift is saved."))
            return redirect("volunteering:manage_shift", pk=shift.pk)
    return render(
        request,
        "volunteering/manage/shift_edit.html",
        {
            "shift": shift,
            "opportunity": shift.opportunity,
            "form": form,
            "cancel_form": cancel_form,
        },
    )


@login_required
@require_POST
def shift_cancel(request, pk):
    shift = _shift(request, pk)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.cancel_shift(
                shift=shift, member=request.user, reason=form.cleaned_data["reason"]
            )
        except services.VolunteeringError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The shift is cancelled and everyone on it told."))
            return redirect("volunteering:manage_shift", pk=shift.pk)
    return render(
        request,
        "volunteering/manage/shift_edit.html",
        {
            "shift": shift,
            "opportunity": shift.opportunity,
            "form": ShiftForm(initial={"capacity": shift.capacity}),
            "cancel_form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_message(request, pk):
    shift = _shift(request, pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.message_shift(shift=shift, member=request.user, **form.cleaned_data)
        except services.VolunteeringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The message is sent to %(count)s people.") % {"count": sent.recipients}
            )
            return redirect("volunteering:manage_shift", pk=shift.pk)
    return render(
        request,
        "volunteering/manage/shift_message.html",
        {"shift": shift, "opportunity": shift.opportunity, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def signup_remove(request, pk):
    signup = selectors.managed_signup(request.user, pk)
    if signup is None:
        raise Http404
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_signup(
                signup=signup, member=request.user, reason=form.cleaned_data["reason"]
            )
        except services.VolunteeringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The sign-up is cancelled and the volunteer told."))
            return redirect("volunteering:manage_shift", pk=signup.shift_id)
    return render(
        request,
        "volunteering/manage/signup_remove.html",
        {"signup": signup, "shift": signup.shift, "form": form},
    )
