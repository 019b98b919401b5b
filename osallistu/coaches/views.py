"""Public pages: districts with their coaches, slots and events, the postal-code
lookup, booking a meeting (with or without an account) and the private pages of a
meeting, asking a coach, *My requests* and events. Thin: services decide and say why
not, selectors read. Everything works without JavaScript: links and plain forms."""

import datetime
from collections import OrderedDict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import ical, registry
from .forms import AskForm, BookingForm, CancelForm, MessageForm, PostalCodeForm, SignupForm
from .models import CITY_TZ, AppointmentState, CoachKind
from .selectors import public
from .selectors.slots import free_slots, parse_slot_key, slot_of
from .services import CoachesError, appointments, events, requests
from .tokens import appointment_id, appointment_token

# Refusals that belong next to one field; the others are shown above the form.
FIELD_OF_CODE = {
    "name_required": "name",
    "name_too_long": "name",
    "email_required": "email",
    "phone_too_long": "phone",
    "details_too_long": "details",
    "accessibility_too_long": "accessibility_needs",
    "topic_not_offered": "topic",
    "language_not_spoken": "meeting_language",
    "invalid_business_id": "business_id",
    "company_name_required": "company_name",
    "company_name_too_long": "company_name",
    "invalid_sector": "sector",
    "company_district_required": "company_district",
    "question_required": "question",
    "reply_required": "body",
    "text_too_long": "question",
}


def add_error(form, error):
    field = FIELD_OF_CODE.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)


def login_url(request):
    """The login page, coming back here after it."""
    return f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"


def _district(slug):
    area = public.district(slug)
    if area is None:
        raise Http404
    return area


# ---------------------------------------------------------------------------- districts


@require_safe
def index(request):
    """Every district, and "which district am I in" by postal code (a GET form)."""
    form = PostalCodeForm(request.GET if "postal_code" in request.GET else None)
    if form.is_bound and form.is_valid():
        query = urlencode({"postal_code": form.cleaned_data["postal_code"]})
        return redirect(f"{reverse('districts:page', args=[form.found.district.slug])}?{query}")
    home = None
    if request.user.is_authenticated and request.user.district_id:
        home = request.user.district
    return render(
        request,
        "coaches/district_index.html",
        {"form": form, "districts": public.districts(), "home": home},
    )


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def slot_weeks(slots, base_url):
    """Slots grouped for the page, by week and day, with the labels written once:
    [{"monday", "last_day", "number", "count", "days": [{"day", "label", "slots"}]}]
    where each slot is (time, url, place name)."""
    weeks = OrderedDict()
    place_names = {}
    for slot in slots:
        begins, ends = slot.begins_at.astimezone(CITY_TZ), slot.ends_at.astimezone(CITY_TZ)
        day = begins.date()
        days = weeks.setdefault(week_start(day), OrderedDict())
        place = slot.place
        if place.pk not in place_names:
            place_names[place.pk] = place.name
        # Formatted by hand: strftime for each of hundreds of slots shows in the page's time.
        days.setdefault(day, []).append(
            (
                f"{begins.hour:02}.{begins.minute:02}–{ends.hour:02}.{ends.minute:02}",
                f"{base_url}?at={slot.key}",
                place_names[place.pk],
            )
        )
    return [
        {
            "monday": monday,
            "last_day": monday + datetime.timedelta(days=6),
            "number": monday.isocalendar().week,
            "count": sum(len(items) for items in days.values()),
            "days": [
                {
                    "day": day,
                    "label": f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}",
                    "slots": items,
                }
                for day, items in days.items()
            ],
        }
        for monday, days in weeks.items()
    ]


def _coaches_with_slots(area, profiles, now):
    slots = free_slots(profiles, now=now)
    shown = []
    for profile in profiles:
        base = reverse("districts:book", args=[area.slug, profile.slug])
        offered = slots.get(profile.user_id, [])
        shown.append(
            {
                "profile": profile,
                "weeks": slot_weeks(offered, base),
                "count": len(offered),
                "ask_url": reverse(
                    "districts:ask_business"
                    if profile.kind == CoachKind.BUSINESS
                    else "districts:ask",
                    args=[area.slug],
                ),
            }
        )
    return shown


@require_safe
def district_page(request, district):
    area = _district(district)
    now = timezone.now()
    profiles = list(public.coaches_of(area))
    postal = None
    code = request.GET.get("postal_code", "")
    if code.isdigit() and len(code) == 5:
        found = public.postal_code(code)
        if found is not None and found.district_id == area.pk:
            postal = found
    sections = [
        {
            "section": section,
            "items": section.items(area, now),
            "more_url": section.more_url(area) if section.more_url else None,
        }
        for section in registry.district_sections()
    ]
    return render(
        request,
        "coaches/district.html",
        {
            "district": area,
            "coaches": _coaches_with_slots(area, profiles, now),
            "events": public.district_events(area, now=now, limit=12),
            "sections": sections,
            "postal": postal,
            "lookup": PostalCodeForm(),
            "kinds": CoachKind,
        },
    )


@never_cache
@require_safe
def district_feed(request, district):
    area = _district(district)
    feed = ical.district_feed(area, public.feed_events(area))
    return HttpResponse(feed, content_type="text/calendar; charset=utf-8")


# ---------------------------------------------------------------------------- booking


def _coach_of(area, slug):
    profile = public.coach_profile(slug)
    if profile is None or not appointments.covers(profile, area):
        raise Http404
    return profile


@require_http_methods(["GET", "POST"])
def book(request, district, coach):
    """The booking form of one slot. Signed-in people are booked at once; others
    confirm their e-mail address from a link."""
    area = _district(district)
    profile = _coach_of(area, coach)
    key = request.POST.get("at") if request.method == "POST" else request.GET.get("at")
    begins_at = parse_slot_key(key)
    slot = slot_of(profile, begins_at) if begins_at else None
    if slot is None:
        messages.error(
            request, _("That time is not one of the coach's times. Please choose a time.")
        )
        return redirect(f"{reverse('districts:page', args=[area.slug])}#coach-{profile.slug}")
    user = request.user
    signed_in = user.is_authenticated and bool(user.email)
    initial = {}
    if get_language() in profile.languages:
        initial["meeting_language"] = get_language()
    if profile.kind == CoachKind.BUSINESS:
        initial["company_district"] = area.pk
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        profile=profile,
        signed_in=signed_in,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = appointments.book_appointment(
                coach=profile.user,
                district=area,
                begins_at=slot.begins_at,
                topic=data["topic"],
                meeting_language=data["meeting_language"],
                person=user if signed_in else None,
                name=data.get("name", ""),
                email=data.get("email", ""),
                phone=data["phone"],
                email_language=get_language(),
                details=data["details"],
                accessibility_needs=data["accessibility_needs"],
                company_details=form.company_arguments() if form.for_company else None,
            )
        except CoachesError as error:
            add_error(form, error)
        else:
            if appointment.state == AppointmentState.CONFIRMED:
                messages.success(
                    request,
                    _("Your meeting is booked. We have sent you an e-mail with a calendar file."),
                )
                return redirect("coaches:appointment", token=appointment_token(appointment))
            messages.success(
                request,
                _(
                    "We have sent a link to %(email)s. Open it within %(minutes)s minutes to "
                    "confirm the meeting."
                )
                % {"email": appointment.email, "minutes": appointments.HOLD_MINUTES},
            )
            return redirect("coaches:check_email")
    return render(
        request,
        "coaches/book.html",
        {
            "district": area,
            "profile": profile,
            "slot": slot,
            "form": form,
            "signed_in": signed_in,
            "login_url": login_url(request),
        },
    )


@require_safe
def check_email(request):
    return render(request, "coaches/check_email.html")


def _by_token(token):
    number = appointment_id(token)
    found = public.appointment(number) if number else None
    if found is None:
        raise Http404
    return found


def _appointment_context(appointment, token):
    now = timezone.now()
    profile = appointment.coach.coach_profile
    notice = datetime.timedelta(hours=profile.notice_hours)
    return {
        "appointment": appointment,
        "profile": profile,
        "token": token,
        "may_cancel": appointment.is_open and appointment.begins_at > now,
        "may_move": appointment.state == AppointmentState.CONFIRMED
        and appointment.begins_at >= now + notice,
        "pending": appointment.state in (AppointmentState.PENDING, AppointmentState.EXPIRED)
        and appointment.begins_at > now,
        "states": AppointmentState,
    }


@never_cache
@require_safe
def appointment(request, token):
    """A meeting's private page, reached from the e-mail: its details, the calendar
    file, cancelling and moving."""
    found = _by_token(token)
    return render(request, "coaches/appointment.html", _appointment_context(found, token))


@never_cache
@require_http_methods(["GET", "POST"])
def appointment_confirm(request, token):
    """The link in the e-mail shows a button: opening a link must not change anything,
    as mail scanners open links too."""
    found = _by_token(token)
    error = None
    if request.method == "POST":
        try:
            appointments.confirm_appointment(appointment=found)
        except CoachesError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("Your meeting is confirmed. We have sent you an e-mail with a calendar file."),
            )
            return redirect("coaches:appointment", token=token)
    context = _appointment_context(found, token)
    context["error"] = error
    return render(request, "coaches/appointment_confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, token):
    found = _by_token(token)
    form = CancelForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            appointments.cancel_appointment(appointment=found, reason=form.cleaned_data["reason"])
        except CoachesError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your meeting is cancelled. You will get an e-mail."))
            return redirect("coaches:appointment", token=token)
    context = _appointment_context(found, token)
    context.update({"form": form, "error": error})
    return render(request, "coaches/appointment_cancel.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def appointment_move(request, token):
    """Choose another free time of the same coach (links), then confirm the move."""
    found = _by_token(token)
    profile = found.coach.coach_profile
    key = request.POST.get("at") if request.method == "POST" else request.GET.get("at")
    begins_at = parse_slot_key(key)
    chosen = slot_of(profile, begins_at) if begins_at else None
    error = None
    if request.method == "POST" and chosen is not None:
        try:
            appointments.move_appointment(appointment=found, begins_at=chosen.begins_at)
        except CoachesError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("Your meeting is moved. You will get an e-mail with the new calendar file."),
            )
            return redirect("coaches:appointment", token=token)
    context = _appointment_context(found, token)
    base = reverse("coaches:appointment_move", args=[token])
    context.update(
        {
            "chosen": chosen,
            "error": error,
            "weeks": [] if chosen else slot_weeks(free_slots([profile])[profile.user_id], base),
        }
    )
    return render(request, "coaches/appointment_move.html", context)


@never_cache
@require_safe
def appointment_ics(request, token):
    found = _by_token(token)
    url = request.build_absolute_uri(reverse("coaches:appointment", args=[token]))
    response = HttpResponse(
        ical.appointment_ics(found, manage_url=url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{found.pk}.ics"'
    return response


# ---------------------------------------------------------------------------- asking


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, district, kind=CoachKind.CITY):
    area = _district(district)
    coaches = list(public.coaches_of(area, kind))
    initial = {"company_district": area.pk} if kind == CoachKind.BUSINESS else {}
    form = AskForm(request.POST if request.method == "POST" else None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sent = requests.ask_coach(
                asker=request.user,
                district=area,
                kind=kind,
                topic=data["topic"],
                question=data["question"],
                phone=data["phone"],
                wants_meeting=data.get("wants_meeting", False),
                company_details=form.company_arguments() if form.for_company else None,
                language=get_language(),
            )
        except CoachesError as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                _("Your question has been sent. You will get an e-mail when the coach answers."),
            )
            return redirect("coaches:my_request", pk=sent.pk)
    return render(
        request,
        "coaches/ask.html",
        {"district": area, "form": form, "kind": kind, "coaches": coaches, "kinds": CoachKind},
    )


def ask_business(request, district):
    return ask(request, district, kind=CoachKind.BUSINESS)


# ---------------------------------------------------------------------------- mine


@never_cache
@login_required
@require_safe
def my_requests(request):
    upcoming, past = public.appointments_of(request.user)
    return render(
        request,
        "coaches/my_requests.html",
        {
            "requests": public.requests_of(request.user),
            "upcoming": [(item, appointment_token(item)) for item in upcoming],
            "past": [(item, appointment_token(item)) for item in past[:20]],
            "signups": public.signups_of(request.user),
        },
    )


def _own_request(request, pk):
    found = public.request_of(request.user, pk)
    if found is None:
        raise Http404
    return found


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_request(request, pk):
    """One of the person's requests: the conversation, a reply, closing it."""
    found = _own_request(request, pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            requests.reply_as_asker(
                request=found, asker=request.user, body=form.cleaned_data["body"]
            )
        except CoachesError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Your message has been sent to the coach."))
            return redirect("coaches:my_request", pk=found.pk)
    return render(
        request,
        "coaches/my_request.html",
        {"item": found, "conversation": public.messages_of(found), "form": form},
    )


@login_required
@require_POST
def my_request_close(request, pk):
    found = _own_request(request, pk)
    try:
        requests.close_as_asker(request=found, asker=request.user)
    except CoachesError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request is closed. Thank you."))
    return redirect("coaches:my_request", pk=found.pk)


# ---------------------------------------------------------------------------- events


def _event(pk):
    found = public.public_event(pk)
    if found is None:
        raise Http404
    return found


@require_safe
def event(request, pk):
    found = _event(pk)
    return render(
        request,
        "coaches/event.html",
        {
            "event": found,
            "signup": public.signup_of(found, request.user),
            "form": SignupForm(),
            "location": ical.event_location(found),
            "open_for_signup": found.signup_required
            and not found.is_cancelled
            and found.begins_at > timezone.now(),
            "login_url": login_url(request),
        },
    )


@login_required
@require_POST
def event_sign_up(request, pk):
    found = _event(pk)
    form = SignupForm(request.POST)
    if form.is_valid():
        try:
            events.sign_up(
                event=found,
                person=request.user,
                accessibility_needs=form.cleaned_data["accessibility_needs"],
            )
        except CoachesError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("You have signed up. We have sent you an e-mail with a calendar file.")
            )
    else:
        messages.error(
            request, _("Please describe your accessibility needs in at most 1000 characters.")
        )
    return redirect("coaches:event", pk=found.pk)


@login_required
@require_POST
def event_cancel_sign_up(request, pk):
    found = _event(pk)
    signup = public.signup_of(found, request.user)
    if signup is None:
        messages.error(request, _("You have not signed up for this event."))
    else:
        try:
            events.cancel_signup(signup=signup, person=request.user)
        except CoachesError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your sign-up is cancelled."))
    return redirect("coaches:event", pk=found.pk)


@require_safe
def event_ics(request, pk):
    found = _event(pk)
    response = HttpResponse(ical.event_ics(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{found.pk}.ics"'
    return response
