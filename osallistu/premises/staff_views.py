"""Staff pages of premises: the handling queue, one booking's handling, a unit's day
schedule and blocked time.

Every view needs a staff account past the second factor, then units to manage: a
premises manager's district (or the whole city), or a city administrator. Which units
and bookings are in reach is ``selectors.managed_units``; the services check it again
and write the audit log.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.core.decorators import staff_member_with_mfa

from . import selectors, services
from .forms import ApproveForm, BlockForm, DayForm, StaffReasonForm, today
from .models import ACTIVE_STATES, Booking, BookingState


def _units(request):
    if not selectors.may_manage_premises(request.user):
        raise PermissionDenied
    return selectors.managed_units(request.user)


def _managed_booking(request, pk):
    return get_object_or_404(
        Booking.objects.bookings()
        .filter(space__unit__in=_units(request))
        .select_related("space", "space__unit", "booker", "purpose", "series"),
        pk=pk,
    )


@staff_member_with_mfa
@require_safe
def staff_home(request):
    units = _units(request).select_related("district").order_by("district__number", "name")
    return render(
        request,
        "premises/staff/home.html",
        {
            "units": units,
            "waiting": selectors.handling_queue(request.user).count(),
            "today": today(),
        },
    )


@staff_member_with_mfa
@require_safe
def queue(request):
    _units(request)
    return render(
        request,
        "premises/staff/queue.html",
        {"bookings": selectors.handling_queue(request.user)},
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def booking(request, pk):
    """One booking for staff: approve (with the free-of-charge decision), deny with a
    reason, or cancel with a reason."""
    booking = _managed_booking(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    approve_form = ApproveForm(request.POST if action == "approve" else None, booking=booking)
    deny_form = StaffReasonForm(
        request.POST if action == "deny" else None, prefix="deny", series=booking.series
    )
    cancel_form = StaffReasonForm(request.POST if action == "cancel" else None, prefix="cancel")
    forms_by_action = {"approve": approve_form, "deny": deny_form, "cancel": cancel_form}
    if action is not None:
        form = forms_by_action.get(action)
        if form is None:
            messages.error(request, _("The action was not understood."))
            return redirect("premises:staff_booking", pk=booking.pk)
        if form.is_valid():
            try:
                whole_series = form.cleaned_data.get("whole_series")
                if action == "approve" and whole_series:
                    handled = services.approve_series(
                        series=booking.series,
                        staff=request.user,
                        free_of_charge=form.cleaned_data.get("free_of_charge"),
                    )
                    done = _("Dates confirmed: %(count)s. The booker is informed.") % {
                        "count": len(handled)
                    }
                elif action == "approve":
                    services.approve_booking(
                        booking=booking,
                        staff=request.user,
                        free_of_charge=form.cleaned_data.get("free_of_charge"),
                    )
                    done = _("The booking is confirmed and the booker informed.")
                elif action == "deny" and whole_series:
                    handled = services.deny_series(
                        series=booking.series,
                        staff=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    done = _("Dates denied: %(count)s. The booker is informed.") % {
                        "count": len(handled)
                    }
                elif action == "deny":
                    services.deny_booking(
                        booking=booking, staff=request.user, reason=form.cleaned_data["reason"]
                    )
                    done = _("The booking is denied and the booker informed.")
                else:
                    services.cancel_booking(
                        booking=booking, user=request.user, reason=form.cleaned_data["reason"]
                    )
                    done = _("The booking is cancelled and the booker informed.")
            except services.BookingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, done)
                if action == "cancel":
                    return redirect(_schedule_url(booking))
                return redirect("premises:staff_queue")
    now = timezone.now()
    return render(
        request,
        "premises/staff/booking.html",
        {
            "booking": booking,
            "approve_form": approve_form,
            "deny_form": deny_form,
            "cancel_form": cancel_form,
            "waiting": booking.state == BookingState.REQUIRES_HANDLING,
            "cancellable": booking.state in ACTIVE_STATES and booking.ends_at > now,
            "schedule_url": _schedule_url(booking),
        },
    )


def _schedule_url(booking):
    day = timezone.localtime(booking.begins_at, selectors.CITY_TZ).date()
    url = reverse("premises:staff_schedule", args=[booking.space.unit.slug])
    return f"{url}?day={day.isoformat()}"


@staff_member_with_mfa
@require_safe
def schedule(request, slug):
    """A unit's day: every space with its opening hours, bookings and blocked time."""
    unit = get_object_or_404(_units(request), slug=slug)
    day_form = DayForm(request.GET if "day" in request.GET else None, initial={"day": today()})
    day = today()
    if day_form.is_bound:
        if day_form.is_valid():
            day = day_form.cleaned_data["day"]
        else:
            messages.error(request, _("The day was not understood, so today is shown."))
    return render(
        request,
        "premises/staff/schedule.html",
        {
            "unit": unit,
            "day": day,
            "day_form": day_form,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "spaces": selectors.unit_day_schedule(unit, day),
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def blocked(request, slug):
    """Blocked time of a unit: the form to block time and the upcoming blocks."""
    unit = get_object_or_404(_units(request), slug=slug)
    form = BlockForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.block_time(
                space=data["space"],
                staff=request.user,
                begins_at=data["begins_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except services.BookingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The time is blocked."))
            return redirect("premises:staff_blocked", slug=unit.slug)
    return render(
        request,
        "premises/staff/blocked.html",
        {"unit": unit, "form": form, "blocks": selectors.blocked_times(unit)},
    )


@staff_member_with_mfa
@require_POST
def unblock(request, pk):
    block = get_object_or_404(
        Booking.objects.blocked()
        .filter(space__unit__in=_units(request))
        .select_related("space__unit"),
        pk=pk,
    )
    try:
        services.unblock_time(blocked=block, staff=request.user)
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The time is free for booking again."))
    return redirect("premises:staff_blocked", slug=block.space.unit.slug)
