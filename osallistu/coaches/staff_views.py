"""Staff pages of coaches beyond the desk: events (with sign-ups and a booked city
space), contacts with companies and the report of companies reached, and the
activity figures. Each view checks the role AND district (``permissions``) after the
second factor; the services check again and write the audit log."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.areas.models import Area
from osallistu.core.decorators import staff_member_with_mfa
from osallistu.premises import selectors as premises

from . import permissions
from .models import Event
from .selectors import activity, companies_reached
from .selectors import desk as reads
from .selectors.slots import local_datetime, local_today
from .services import CoachesError, companies, events
from .staff_forms import CompanyContactForm, EventForm, ParticipantsForm, PeriodForm, ReasonForm
from .views import FIELD_OF_CODE

EVENT_FIELD_OF_CODE = {
    "title_required": "title_fi",
    "title_too_long": "title_fi",
    "text_too_long": "description_fi",
    "invalid_times": "ends",
    "in_past": "date",
    "place_required": "place",
    "space_refused": "space",
    "space_not_released": "space",
    "invalid_languages": "languages",
    "capacity_required": "capacity",
    "capacity_below_signups": "capacity",
    "signups_exist": "signup_required",
    "invalid_kind": "kind",
    "not_allowed": "district",
}


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _event_districts(user):
    """Areas ``user`` may publish events of: their districts, and the city with a
    city-wide role."""
    areas = Area.objects.order_by("number")
    return areas.filter(
        pk__in=[area.pk for area in areas if permissions.may_publish_event(user, area)]
    )


def _event_form(request, data, *, event=None):
    user = request.user
    spaces = premises.searchable_spaces()
    initial = {}
    if event is not None:
        begins = timezone.localtime(event.begins_at)
        initial = {
            "kind": event.kind,
            "district": event.district_id,
            "date": begins.date(),
            "begins": begins.time(),
            "ends": timezone.localtime(event.ends_at).time(),
            "place": event.place_id,
            "space": event.space_booking.space_id if event.space_booking_id else None,
            "languages": event.languages,
            "step_free": event.step_free,
            "induction_loop": event.induction_loop,
            "signup_required": event.signup_required,
            "capacity": event.capacity,
            **{name: getattr(event, name) for name in EventForm.TEXTS},
        }
    return EventForm(
        data,
        initial=initial,
        districts=_event_districts(user)
        if event is None
        else Area.objects.filter(pk=event.district_id),
        spaces=spaces,
        editing=event is not None,
    )


def _event_arguments(form):
    data = form.cleaned_data
    begins_at = local_datetime(data["date"], data["begins"])
    ends_at = local_datetime(data["date"], data["ends"])
    return {
        "kind": data["kind"],
        "texts": form.texts(),
        "begins_at": begins_at,
        "ends_at": ends_at,
        "place": data["place"],
        "space": data["space"],
        "languages": data["languages"],
        "step_free": data["step_free"],
        "induction_loop": data["induction_loop"],
        "signup_required": data["signup_required"],
        "capacity": data["capacity"],
    }


def _event_error(form, error):
    field = EVENT_FIELD_OF_CODE.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)


@staff_member_with_mfa
@require_safe
def event_list(request):
    _require(permissions.may_use_desk(request.user))
    upcoming, past = reads.events_for_desk(request.user)
    return render(request, "coaches/staff/events.html", {"upcoming": upcoming, "past": past})


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def event_new(request):
    _require(permissions.may_use_desk(request.user))
    form = _event_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = events.create_event(
                staff=request.user,
                district=form.cleaned_data["district"],
                publish=form.cleaned_data["publish"],
                **_event_arguments(form),
            )
        except CoachesError as error:
            _event_error(form, error)
        else:
            messages.success(
                request,
                _("The event is published.")
                if created.published_at
                else _("The event is saved as a draft."),
            )
            return redirect("coaches:desk_event", pk=created.pk)
    return render(request, "coaches/staff/event_form.html", {"form": form, "event": None})


def _managed_event(request, pk):
    _require(permissions.may_use_desk(request.user))
    found = (
        Event.objects.select_related("district", "place", "space_booking__space__unit", "organiser")
        .filter(pk=pk)
        .first()
    )
    if found is None or not permissions.may_manage_event(request.user, found):
        raise Http404
    return found


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def event_detail(request, pk):
    """An event for staff: change it, publish, cancel with a reason, record how many
    came, and see who signed up."""
    item = _managed_event(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    form = _event_form(request, request.POST if action == "save" else None, event=item)
    cancel_form = ReasonForm(request.POST if action == "cancel" else None, prefix="cancel")
    participants_form = ParticipantsForm(
        request.POST if action == "participants" else None,
        prefix="participants",
        initial={"participants": item.participants},
    )
    try:
        if action == "save" and form.is_valid():
            events.update_event(event=item, staff=request.user, **_event_arguments(form))
            messages.success(request, _("The event is saved."))
            return redirect("coaches:desk_event", pk=item.pk)
        if action == "publish":
            events.publish_event(event=item, staff=request.user)
            messages.success(request, _("The event is published."))
            return redirect("coaches:desk_event", pk=item.pk)
        if action == "cancel" and cancel_form.is_valid():
            problem = events.cancel_event(
                event=item, staff=request.user, reason=cancel_form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The event is cancelled and the people who signed up are told.")
            )
            if problem:
                messages.warning(
                    request,
                    _(
                        "The city space booking could not be cancelled: %(reason)s Please "
                        "contact the unit."
                    )
                    % {"reason": problem},
                )
            return redirect("coaches:desk_event", pk=item.pk)
        if action == "participants" and participants_form.is_valid():
            events.record_participants(
                event=item,
                staff=request.user,
                participants=participants_form.cleaned_data["participants"],
            )
            messages.success(request, _("Saved."))
            return redirect("coaches:desk_event", pk=item.pk)
    except CoachesError as error:
        target = {"save": form, "cancel": cancel_form, "participants": participants_form}.get(
            action
        )
        if target is None:
            messages.error(request, error.message)
            return redirect("coaches:desk_event", pk=item.pk)
        if target is form:
            _event_error(form, error)
        else:
            target.add_error(None, error.message)
    now = timezone.now()
    return render(
        request,
        "coaches/staff/event.html",
        {
            "event": item,
            "form": form,
            "cancel_form": cancel_form,
            "participants_form": participants_form,
            "signups": reads.signups_for_staff(item),
            "editable": not item.is_cancelled and item.ends_at > now,
            "begun": item.begins_at <= now,
        },
    )


# ---------------------------------------------------------------------------- companies


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def company_contacts(request):
    """Log a contact with a company; the latest contacts; companies reached this year."""
    user = request.user
    _require(permissions.may_see_company_report(user))
    may_log = permissions.may_log_company_contacts(user)
    form = CompanyContactForm(request.POST if request.method == "POST" and may_log else None)
    if request.method == "POST" and not may_log:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = companies.log_company_contact(
                coach=user,
                company_details=form.company_arguments(),
                topic=data["topic"],
                channel=data["channel"],
                happened_on=data["happened_on"],
                notes=data["notes"],
            )
        except CoachesError as error:
            field = FIELD_OF_CODE.get(error.code) or {
                "in_future": "happened_on",
                "too_old": "happened_on",
                "invalid_channel": "channel",
                "notes_too_long": "notes",
            }.get(error.code)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("The contact with %(company)s is logged.") % {"company": contact.company.name},
            )
            return redirect("coaches:desk_companies")
    today = local_today()
    first_day = today.replace(month=1, day=1)
    rows, total = companies_reached(first_day=first_day, last_day=today)
    return render(
        request,
        "coaches/staff/companies.html",
        {
            "form": form if may_log else None,
            "contacts": reads.company_contacts(user)
            if may_log or permissions.is_city_admin(user)
            else [],
            "rows": rows,
            "total": total,
            "first_day": first_day,
            "today": today,
        },
    )


# ---------------------------------------------------------------------------- activity


@staff_member_with_mfa
@require_safe
def activity_report(request):
    """Contacts, meetings, events and participants per coach, district and month: all
    of them for city administrators and reporters, one's own for a coach."""
    user = request.user
    _require(permissions.may_see_activity(user))
    everyone = permissions.may_see_everyones_activity(user)
    today = local_today()
    default_first = (today.replace(day=1) - datetime.timedelta(days=150)).replace(day=1)
    form = PeriodForm(request.GET if "first_day" in request.GET else None)
    first_day, last_day = default_first, today
    if form.is_bound and form.is_valid():
        first_day, last_day = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    elif not form.is_bound:
        form = PeriodForm(initial={"first_day": first_day, "last_day": last_day})
    result = activity(first_day=first_day, last_day=last_day)
    if not everyone:
        result.rows = [row for row in result.rows if row.coach.pk == user.pk]
    return render(
        request,
        "coaches/staff/activity.html",
        {"form": form, "activity": result, "totals": result.totals(), "everyone": everyone},
    )
