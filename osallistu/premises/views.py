"""Public pages of premises and the booker's own pages. Thin: services decide and
say why not, selectors read. Every flow works without JavaScript: the search is a
GET form, booking, series and cancelling are POST forms."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.core.fields import parse_id

from . import ical, selectors, services
from .forms import SEARCH_DAYS_AHEAD, BookingForm, CancelForm, SearchForm, SeriesForm, today
from .models import ACTIVE_STATES, AuthenticationLevel, BookingState, Weekday
from .selectors import CITY_TZ

SPACES_PER_PAGE = 20
SLOTS_SHOWN = 8

# Refusals that belong next to one field of the booking form; the others are about
# the whole booking and are shown above the form.
FIELD_OF_CODE = {
    "invalid_attendees": "attendees",
    "over_capacity": "attendees",
    "purpose_not_offered": "purpose",
    "description_too_long": "description",
    "association_too_long": "association",
    "free_of_charge_not_offered": "free_of_charge_requested",
    "association_required": "association",
}


def _local(moment):
    return timezone.localtime(moment, CITY_TZ)


def _slot_label(slot):
    return f"{_local(slot.begins_at):%H.%M}–{_local(slot.ends_at):%H.%M}"


def booking_link(space, begins_at, ends_at, **extra):
    """The booking form of ``space`` with the time filled in."""
    begins, ends = _local(begins_at), _local(ends_at)
    query = {
        "date": begins.date().isoformat(),
        "begins": f"{begins:%H:%M}",
        "ends": f"{ends:%H:%M}",
    }
    query.update({key: value for key, value in extra.items() if value})
    return f"{reverse('premises:book', args=[space.slug])}?{urlencode(query)}"


def _published_space(slug):
    space = selectors.space_detail(slug)
    if space is None:
        raise Http404
    return space


# ---------------------------------------------------------------------------- search


def _page_number(value):
    try:
        return max(1, min(int(value), 10_000))
    except (TypeError, ValueError):
        return 1


@require_safe
def search(request):
    """The front page of premises: the search form and, once sent, the spaces with
    free slots on the chosen day."""
    searched = any(name in request.GET for name in SearchForm.base_fields)
    form = SearchForm(request.GET if searched else None)
    context = {"form": form, "searched": searched}
    if searched and form.is_valid():
        number = _page_number(request.GET.get("page"))
        arguments = form.search_arguments()
        found = selectors.search_availability(
            **arguments, offset=(number - 1) * SPACES_PER_PAGE, limit=SPACES_PER_PAGE
        )
        pages = max(1, -(-found.total // SPACES_PER_PAGE))
        if number > pages:
            number = pages
            found = selectors.search_availability(
                **arguments, offset=(number - 1) * SPACES_PER_PAGE, limit=SPACES_PER_PAGE
            )
        prefetch_related_objects([item.space for item in found], "equipment")
        extra = {
            "attendees": form.cleaned_data["people"],
            "purpose": getattr(form.cleaned_data["purpose"], "pk", None),
        }
        week = selectors.week_start(form.cleaned_data["date"]).isoformat()
        results = [
            {
                "space": item.space,
                "equipment": ", ".join(str(thing) for thing in item.space.equipment.all()),
                "book_text": _("book %(space)s") % {"space": item.space.name},
                "slots": [
                    (
                        _slot_label(slot),
                        booking_link(item.space, slot.begins_at, slot.ends_at, **extra),
                    )
                    for slot in item.slots[:SLOTS_SHOWN]
                ],
                "more": max(0, len(item.slots) - SLOTS_SHOWN),
                "calendar_url": f"{reverse('premises:space', args=[item.space.slug])}"
                f"?{urlencode({'week': week})}#calendar",
            }
            for item in found
        ]
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "results": results,
                "count": found.total,
                "page": {
                    "number": number,
                    "count": pages,
                    "previous": number - 1 if number > 1 else None,
                    "next": number + 1 if number < pages else None,
                },
                "query": query.urlencode(),
            }
        )
    elif not searched:
        context["spaces"] = selectors.searchable_spaces()
    return render(request, "premises/search.html", context)


# ---------------------------------------------------------------------------- space


def _weekly_hours(space):
    """[(weekday name, [OpeningHours, …]), …] from Monday; an empty list is closed."""
    rows = sorted(space.opening_hours.all(), key=lambda row: (row.weekday, row.opens))
    return [
        (label, [row for row in rows if row.weekday == value]) for value, label in Weekday.choices
    ]


@require_safe
def space_detail(request, slug):
    space = _published_space(slug)
    first_day = selectors.week_start(today())
    asked = request.GET.get("week")
    if asked:
        try:
            day = datetime.date.fromisoformat(asked)
        except ValueError:
            day = None
        latest = today() + datetime.timedelta(days=SEARCH_DAYS_AHEAD)
        if day is None or not (first_day - datetime.timedelta(days=365) <= day <= latest):
            messages.error(
                request, _("The week asked for was not understood, so this week is shown.")
            )
        else:
            first_day = selectors.week_start(day)
    calendar = selectors.week_calendar(space, first_day, user=request.user)
    days = [
        {
            "day": day,
            "book_text": _("book on %(day)s") % {"day": date_format(day.date, "l")},
            "free": [
                (_slot_label(slot), booking_link(space, slot.begins_at, slot.ends_at))
                for slot in day.free_slots
            ],
        }
        for day in calendar.days
    ]
    return render(
        request,
        "premises/space_detail.html",
        {
            "space": space,
            "unit": space.unit,
            "calendar": calendar,
            "days": days,
            "weekly": _weekly_hours(space),
            "exceptions": selectors.upcoming_exceptions(space, today()),
            "photos": [*space.photos.all(), *space.unit.photos.all()],
            "strong": space.authentication == AuthenticationLevel.STRONG,
        },
    )


# ---------------------------------------------------------------------------- booking


def _add_booking_error(form, error):
    field = FIELD_OF_CODE.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)


def _identification_needed(space, user):
    return space.authentication == AuthenticationLevel.STRONG and not user.is_strongly_identified


@login_required
@require_http_methods(["GET", "POST"])
def book(request, slug):
    """The booking form of a chosen slot; the person may still change the time."""
    space = _published_space(slug)
    if _identification_needed(space, request.user):
        return render(request, "premises/identify_first.html", {"space": space})
    if request.method == "POST":
        form = BookingForm(request.POST, space=space)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.create_booking(
                    space=space,
                    booker=request.user,
                    begins_at=data["begins_at"],
                    ends_at=data["ends_at"],
                    **form.booking_arguments(),
                )
            except services.BookingError as error:
                _add_booking_error(form, error)
            else:
                return redirect("premises:booking", pk=booking.pk)
    else:
        initial = {key: request.GET.get(key) for key in ("date", "begins", "ends", "attendees")}
        initial["purpose"] = parse_id(request.GET.get("purpose"))
        form = BookingForm(initial={k: v for k, v in initial.items() if v}, space=space)
    return render(
        request,
        "premises/book.html",
        {"space": space, "unit": space.unit, "form": form, "series_url": _series_url(space)},
    )


def _series_url(space):
    return reverse("premises:series_new", args=[space.slug])


def _own_booking(request, pk):
    booking = selectors.booking_of(request.user, pk)
    if booking is None:
        raise Http404
    return booking


@never_cache
@login_required
@require_safe
def booking_detail(request, pk):
    """One of the person's bookings; after booking, its confirmation page."""
    booking = _own_booking(request, pk)
    now = timezone.now()
    return render(
        request,
        "premises/booking_detail.html",
        {
            "booking": booking,
            "space": booking.space,
            "unit": booking.space.unit,
            "deadline": services.cancellation_deadline(booking),
            "may_cancel": booking.state in ACTIVE_STATES and booking.ends_at > now,
            "too_late": now > services.cancellation_deadline(booking),
            "states": BookingState,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    booking = _own_booking(request, pk)
    form = CancelForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(
                booking=booking, user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.BookingError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your booking is cancelled. You will get an e-mail."))
            return redirect("premises:my_bookings")
    now = timezone.now()
    deadline = services.cancellation_deadline(booking)
    return render(
        request,
        "premises/booking_cancel.html",
        {
            "booking": booking,
            "form": form,
            "error": error,
            "deadline": deadline,
            "too_late": now > deadline,
            "active": booking.state in ACTIVE_STATES and booking.ends_at > now,
        },
    )


@never_cache
@login_required
@require_safe
def booking_ics(request, pk):
    booking = _own_booking(request, pk)
    response = HttpResponse(ical.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


# ---------------------------------------------------------------------------- series


def _posted_dates(request):
    dates = []
    for value in request.POST.getlist("dates"):
        try:
            dates.append(datetime.date.fromisoformat(value))
        except ValueError:
            return None
    return dates


@login_required
@require_http_methods(["GET", "POST"])
def series_new(request, slug):
    """A weekly recurring booking: the form, then a preview of every date with its
    conflicts, then the confirmation that books the chosen free dates."""
    space = _published_space(slug)
    if _identification_needed(space, request.user):
        return render(request, "premises/identify_first.html", {"space": space})
    if request.method != "POST":
        initial = {
            "first_date": request.GET.get("date"),
            "begins": request.GET.get("begins"),
            "ends": request.GET.get("ends"),
            "attendees": request.GET.get("attendees"),
        }
        form = SeriesForm(initial={k: v for k, v in initial.items() if v}, space=space)
        return render(request, "premises/series_form.html", {"space": space, "form": form})
    form = SeriesForm(request.POST, space=space)
    if not form.is_valid():
        return render(request, "premises/series_form.html", {"space": space, "form": form})
    try:
        preview = services.preview_series(
            space=space,
            booker=request.user,
            attendees=form.cleaned_data["attendees"],
            **form.series_arguments(),
        )
    except services.BookingError as error:
        _add_booking_error(form, error)
        return render(request, "premises/series_form.html", {"space": space, "form": form})
    error = None
    chosen = {item.date for item in preview.bookable}
    if request.POST.get("action") == "confirm":
        dates = _posted_dates(request)
        if dates is None:
            error = _("The dates sent were not understood. Please choose them again.")
        else:
            chosen = set(dates)
            try:
                series = services.create_series(
                    space=space,
                    booker=request.user,
                    attendees=form.cleaned_data["attendees"],
                    dates=dates,
                    **form.series_arguments(),
                    **{
                        key: value
                        for key, value in form.booking_arguments().items()
                        if key != "attendees"
                    },
                )
            except services.BookingError as refused:
                error = refused.message
            else:
                messages.success(request, _("Your recurring booking is made."))
                return redirect("premises:series", pk=series.pk)
    return render(
        request,
        "premises/series_preview.html",
        {"space": space, "form": form, "preview": preview, "chosen": chosen, "error": error},
    )


def _own_series(request, pk):
    series = selectors.series_of(request.user, pk)
    if series is None:
        raise Http404
    return series


@never_cache
@login_required
@require_safe
def series_detail(request, pk):
    series = _own_series(request, pk)
    bookings = list(series.bookings.order_by("begins_at"))
    now = timezone.now()
    return render(
        request,
        "premises/series_detail.html",
        {
            "series": series,
            "bookings": bookings,
            "cancellable": any(b.state in ACTIVE_STATES and b.ends_at > now for b in bookings),
        },
    )


@login_required
@require_POST
def series_cancel(request, pk):
    series = _own_series(request, pk)
    try:
        cancelled = services.cancel_series(series=series, user=request.user)
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Dates cancelled: %(count)s. You will get an e-mail.") % {"count": len(cancelled)},
        )
    return redirect("premises:series", pk=series.pk)


# ---------------------------------------------------------------------------- mine


@never_cache
@login_required
@require_safe
def my_bookings(request):
    upcoming, past = selectors.bookings_of(request.user)
    feed = selectors.calendar_feed_of(request.user)
    return render(
        request,
        "premises/my_bookings.html",
        {
            "upcoming": upcoming,
            "past": past,
            "feed": feed,
            "feed_url": request.build_absolute_uri(reverse("premises:feed", args=[feed.token]))
            if feed
            else None,
            "active_states": ACTIVE_STATES,
        },
    )


@login_required
@require_POST
def feed_renew(request):
    """Make the person's calendar address, or replace it (the old one stops working)."""
    if selectors.calendar_feed_of(request.user) is None:
        services.calendar_feed_for(request.user)
        messages.success(request, _("Your calendar address is ready."))
    else:
        services.renew_calendar_feed(request.user)
        messages.success(
            request, _("You have a new calendar address. The old one no longer works.")
        )
    return redirect(reverse("premises:my_bookings") + "#calendar-feed")


@never_cache
@require_safe
def feed(request, token):
    """A person's private iCalendar feed: the token in the address is the key."""
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404
    return HttpResponse(ical.feed_ics(owner), content_type="text/calendar; charset=utf-8")
