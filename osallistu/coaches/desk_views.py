"""The coach's desk: the queue of requests and meetings, one request (answer, notes,
handing over, status), one meeting, and office hours.

Every view needs a staff account past the second factor, then a coach role (or city
administrator): ``permissions`` says which requests and meetings are in reach (role
AND district, or handed over); the services check it again and write the audit log.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_slug
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.core.decorators import staff_member_with_mfa

from . import permissions, registry
from .models import CoachProfile, OfficeHours, OfficeHoursException, RequestStatus
from .selectors import desk as reads
from .selectors.slots import local_today
from .services import CoachesError, appointments, hours, profiles, requests
from .services.profiles import TEXT_FIELDS
from .staff_forms import (
    AnswerForm,
    EndHoursForm,
    ExceptionForm,
    HandoverForm,
    NoteForm,
    OfficeHoursForm,
    ProfileForm,
    ReasonForm,
    StatusForm,
)

HOURS_FIELD_OF_CODE = {
    "invalid_times": "ends",
    "invalid_slot": "slot_minutes",
    "shorter_than_slot": "slot_minutes",
    "place_required": "place",
    "invalid_weekday": "weekday",
    "in_past": "valid_from",
    "invalid_dates": "valid_until",
    "overlaps": "begins",
    "reason_too_long": "reason_fi",
}


def _require_desk(request):
    if not permissions.may_use_desk(request.user):
        raise PermissionDenied


@staff_member_with_mfa
@require_safe
def desk(request):
    """One page with what waits for the coach: requests, meetings, and the work other
    apps register (initiatives asking for help, proposals waiting for advice)."""
    _require_desk(request)
    user = request.user
    now = timezone.now()
    queue = reads.request_queue(user)
    open_requests = list(
        queue.filter(status__in=[RequestStatus.NEW, RequestStatus.IN_PROGRESS])[:25]
    )
    upcoming, to_record = reads.desk_appointments(user, now=now)
    districts = permissions.coached_districts(user)
    sources = [
        {"source": source, "items": source.items(user, districts, now)}
        for source in registry.desk_sources(user)
    ]
    return render(
        request,
        "coaches/staff/desk.html",
        {
            "open_requests": open_requests,
            "open_count": reads.open_request_count(user),
            "upcoming": upcoming,
            "to_record": to_record,
            "sources": sources,
            "times": reads.response_times(user, now=now),
            "districts": districts,
            "has_profile": CoachProfile.objects.filter(user=user).exists(),
            "may_log_companies": permissions.may_log_company_contacts(user),
        },
    )


@staff_member_with_mfa
@require_safe
def request_list(request):
    _require_desk(request)
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    page = Paginator(reads.request_queue(request.user, status=status or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "coaches/staff/requests.html",
        {"page": page, "status": status, "statuses": RequestStatus.choices},
    )


def _request_for_desk(request, pk):
    _require_desk(request)
    found = reads.request_for_desk(request.user, pk)
    if found is None:
        raise Http404
    return found


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    """One request: the conversation with the asker, notes for coaches, handing it
    over, its status."""
    item = _request_for_desk(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    answer_form = AnswerForm(request.POST if action == "answer" else None, prefix="answer")
    note_form = NoteForm(request.POST if action == "note" else None, prefix="note")
    handover_form = HandoverForm(
        request.POST if action == "handover" else None,
        prefix="handover",
        targets=reads.handover_targets(request.user),
    )
    status_form = StatusForm(
        request.POST if action == "status" else None,
        prefix="status",
        initial={"status": item.status},
    )
    forms_by_action = {
        "answer": answer_form,
        "note": note_form,
        "handover": handover_form,
        "status": status_form,
    }
    form = forms_by_action.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "answer":
                requests.answer_request(
                    request=item, coach=request.user, body=data["body"], status=data["status"]
                )
                done = _("Your answer has been sent to the asker.")
            elif action == "note":
                requests.add_note(request=item, coach=request.user, body=data["note"])
                done = _("The note is saved.")
            elif action == "handover":
                requests.hand_over(
                    request=item,
                    coach=request.user,
                    to_coach=data["to_coach"].user,
                    note=data["why"],
                )
                done = _("The request has been handed over.")
            else:
                requests.set_status(request=item, coach=request.user, status=data["status"])
                done = _("The status is changed.")
        except CoachesError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            if reads.request_for_desk(request.user, item.pk) is None:
                return redirect("coaches:desk")
            return redirect("coaches:desk_request", pk=item.pk)
    return render(
        request,
        "coaches/staff/request.html",
        {
            "item": item,
            "conversation": list(item.messages.select_related("author").order_by("created_at")),
            "notes": reads.notes_of(item),
            "handovers": reads.handovers_of(item),
            "answer_form": answer_form,
            "note_form": note_form,
            "handover_form": handover_form,
            "status_form": status_form,
        },
    )


def _appointment_for_desk(request, pk):
    _require_desk(request)
    found = reads.appointment_for_desk(request.user, pk)
    if found is None:
        raise Http404
    return found


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def appointment_detail(request, pk):
    """One meeting: what the person told, cancelling with a reason, and once it has
    begun, whether it was held."""
    item = _appointment_for_desk(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    cancel_form = ReasonForm(request.POST if action == "cancel" else None, prefix="cancel")
    error = None
    if action in ("held", "no_show"):
        try:
            appointments.record_outcome(appointment=item, staff=request.user, held=action == "held")
        except CoachesError as refused:
            error = refused.message
        else:
            messages.success(request, _("Saved."))
            return redirect("coaches:desk_appointment", pk=item.pk)
    elif action == "cancel" and cancel_form.is_valid():
        try:
            appointments.cancel_appointment(
                appointment=item, user=request.user, reason=cancel_form.cleaned_data["reason"]
            )
        except CoachesError as refused:
            cancel_form.add_error(None, refused.message)
        else:
            messages.success(request, _("The meeting is cancelled and the person has been told."))
            return redirect("coaches:desk_appointment", pk=item.pk)
    now = timezone.now()
    return render(
        request,
        "coaches/staff/appointment.html",
        {
            "item": item,
            "cancel_form": cancel_form,
            "error": error,
            "may_cancel": item.is_open and item.begins_at > now,
            "may_record": item.begins_at <= now and item.state in ("confirmed", "held", "no_show"),
        },
    )


# ---------------------------------------------------------------------------- hours


def _hours_coach(request):
    """Whose office hours: one's own; a city administrator may choose a coach. None
    when the person has no coach page (and chose nobody)."""
    _require_desk(request)
    slug = request.GET.get("coach") or request.POST.get("coach")
    if slug and permissions.is_city_admin(request.user):
        try:
            validate_slug(slug)
        except ValidationError:
            raise Http404 from None
        profile = CoachProfile.objects.select_related("user").filter(slug=slug).first()
        if profile is None:
            raise Http404
    else:
        profile = CoachProfile.objects.select_related("user").filter(user=request.user).first()
    if profile is not None and not permissions.may_keep_hours(request.user, profile.user):
        raise Http404
    return profile


def _hours_url(profile, request):
    url = reverse("coaches:desk_hours")
    if profile.user_id != request.user.pk:
        url += f"?coach={profile.slug}"
    return url


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def office_hours(request):
    profile = _hours_coach(request)
    if profile is None:
        if permissions.is_city_admin(request.user):
            coaches = CoachProfile.objects.select_related("user").order_by(
                "kind", "user__full_name"
            )
            return render(request, "coaches/staff/hours_choose.html", {"coaches": coaches})
        messages.info(request, _("Make your coach page first; then add your office hours."))
        return redirect("coaches:desk_page")
    action = request.POST.get("action") if request.method == "POST" else None
    hours_form = OfficeHoursForm(
        request.POST if action == "hours" else None,
        prefix="hours",
        initial={"valid_from": local_today()},
    )
    exception_form = ExceptionForm(
        request.POST if action == "exception" else None, prefix="exception"
    )
    form = {"hours": hours_form, "exception": exception_form}.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "hours":
                hours.add_office_hours(staff=request.user, coach=profile.user, **data)
                done = _("The office hours are added.")
            else:
                hours.add_exception(
                    staff=request.user,
                    coach=profile.user,
                    date=data["date"],
                    begins=data["begins"],
                    ends=data["ends"],
                    slot_minutes=data["slot_minutes"],
                    place=data["place"],
                    reasons={key: data[key] for key in ("reason_fi", "reason_sv", "reason_en")},
                )
                done = _("The exception is added.")
        except CoachesError as error:
            field = HOURS_FIELD_OF_CODE.get(error.code)
            if action == "exception" and field in ("valid_from", "begins"):
                field = "date" if field == "valid_from" else field
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, done)
            return redirect(_hours_url(profile, request))
    today = local_today()
    return render(
        request,
        "coaches/staff/hours.html",
        {
            "profile": profile,
            "weekly": reads.office_hours_of(profile.user, today=today),
            "exceptions": reads.exceptions_of(profile.user, today=today),
            "hours_form": hours_form,
            "exception_form": exception_form,
            "end_form": EndHoursForm(initial={"last_day": today}),
            "coach_query": "" if profile.user_id == request.user.pk else profile.slug,
        },
    )


@staff_member_with_mfa
@require_POST
def office_hours_end(request, pk):
    profile = _hours_coach(request)
    if profile is None:
        raise Http404
    row = OfficeHours.objects.filter(pk=pk, coach=profile.user).first()
    if row is None:
        raise Http404
    form = EndHoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the last day as a date."))
    else:
        try:
            hours.end_office_hours(
                staff=request.user, hours=row, last_day=form.cleaned_data["last_day"]
            )
        except CoachesError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The office hours end as you asked."))
    return redirect(_hours_url(profile, request))


@staff_member_with_mfa
@require_POST
def exception_remove(request, pk):
    profile = _hours_coach(request)
    if profile is None:
        raise Http404
    row = OfficeHoursException.objects.filter(pk=pk, coach=profile.user).first()
    if row is None:
        raise Http404
    try:
        hours.remove_exception(staff=request.user, exception=row)
    except CoachesError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The exception is removed."))
    return redirect(_hours_url(profile, request))


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def coach_page(request):
    """The coach's own page as residents see it: made here the first time."""
    _require_desk(request)
    kinds = permissions.coach_kinds(request.user)
    if not kinds:
        return render(request, "coaches/staff/page.html", {"form": None, "profile": None})
    profile = CoachProfile.objects.filter(user=request.user).first()
    initial = {"languages": ["fi"], "is_published": True}
    if profile is not None:
        initial = {
            "languages": profile.languages,
            "phone": profile.phone,
            "email": profile.email,
            "is_published": profile.is_published,
            "photo": profile.photo,
            "photo_alt": profile.photo_alt,
            **{name: getattr(profile, name) for name in TEXT_FIELDS},
        }
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
        kinds=kinds,
        has_page=profile is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = profiles.save_profile(
                coach=request.user,
                texts={name: data[name] for name in TEXT_FIELDS},
                languages=data["languages"],
                phone=data["phone"],
                email=data["email"],
                is_published=data["is_published"],
                kind=data.get("kind"),
                # A new picture, False when cleared, None to keep what there is.
                photo=data["photo"] if data["photo"] is False or "photo" in request.FILES else None,
                photo_alt=data["photo_alt"],
            )
        except CoachesError as error:
            field = {
                "invalid_languages": "languages",
                "phone_too_long": "phone",
                "photo_alt_too_long": "photo_alt",
            }.get(error.code)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your coach page is saved."))
            return redirect("coaches:desk_page")
    return render(request, "coaches/staff/page.html", {"form": form, "profile": profile})
