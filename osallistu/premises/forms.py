"""Forms of premises. They check the shape of what was sent; the services decide
whether a booking may be made and say why not."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area
from osallistu.core.fields import IdMultipleChoiceField
from osallistu.core.validators import validate_person_name

from .models import Equipment, Purpose
from .selectors import ACCESSIBILITY_FILTERS, CITY_TZ, local_datetime
from .services import MAX_SERIES_DATES, format_duration

# Time windows of the search: key → (label, earliest start, latest end or None).
WINDOWS = {
    "morning": (_("Morning (until 12)"), datetime.time(0), datetime.time(12)),
    "afternoon": (_("Afternoon (12–16)"), datetime.time(12), datetime.time(16)),
    "evening": (_("Evening (from 16)"), datetime.time(16), None),
}

DURATIONS = (30, 60, 90, 120, 180, 240, 360, 480)

# How far ahead the search and the calendars look.
SEARCH_DAYS_AHEAD = 366


class DateField(forms.DateField):
    """A date within ten years of today: anything further is a typing mistake, and
    date arithmetic near the year 9999 would overflow."""

    def validate(self, value):
        super().validate(value)
        if value and abs((value - today()).days) > 3660:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def today():
    return timezone.localtime(timezone.now(), CITY_TZ).date()


def duration_choices():
    """Called each time the choices are shown, so the labels follow the language."""
    return [("", _("The shortest the space allows"))] + [
        (minutes, format_duration(minutes)) for minutes in DURATIONS
    ]


class SearchForm(forms.Form):
    """The availability search. Sent with GET so that results can be linked to."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )
    date = DateField(label=_("Date"), widget=_date_input())
    window = forms.ChoiceField(label=_("Time of day"), required=False)
    time_from = forms.TimeField(
        label=_("Earliest start (optional)"), required=False, widget=_time_input()
    )
    time_until = forms.TimeField(
        label=_("Latest end (optional)"), required=False, widget=_time_input()
    )
    duration = forms.TypedChoiceField(
        label=_("Duration"),
        choices=duration_choices,
        coerce=int,
        required=False,
        empty_value=None,
    )
    people = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=5000, required=False
    )
    equipment = IdMultipleChoiceField(
        label=_("Equipment"),
        queryset=Equipment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ModelChoiceField(
        label=_("Purpose"),
        queryset=Purpose.objects.none(),
        required=False,
        empty_label=_("Any purpose"),
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=[(key, label) for key, (label, _q) in ACCESSIBILITY_FILTERS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Area.objects.districts()
        self.fields["equipment"].queryset = Equipment.objects.all()
        self.fields["purpose"].queryset = Purpose.objects.all()
        self.fields["window"].choices = [("", _("Any time"))] + [
            (key, label) for key, (label, _start, _end) in WINDOWS.items()
        ]
        self.fields["date"].initial = today

    def clean_date(self):
        day = self.cleaned_data["date"]
        first = today()
        if day < first:
            raise forms.ValidationError(_("Please choose today or a later date."))
        if day > first + datetime.timedelta(days=SEARCH_DAYS_AHEAD):
            raise forms.ValidationError(_("Please choose a date within a year from today."))
        return day

    def clean(self):
        cleaned = super().clean()
        window = WINDOWS.get(cleaned.get("window") or "")
        time_from = cleaned.get("time_from") or (window[1] if window else None)
        time_until = cleaned.get("time_until") or (window[2] if window else None)
        if time_from and time_until and time_until <= time_from:
            self.add_error("time_until", _("The latest end must be after the earliest start."))
        cleaned["window_from"] = time_from
        cleaned["window_until"] = time_until
        return cleaned

    def search_arguments(self):
        data = self.cleaned_data
        return {
            "day": data["date"],
            "district": data["district"],
            "time_from": data["window_from"],
            "time_until": data["window_until"],
            "duration_minutes": data["duration"],
            "people": data["people"],
            "equipment": list(data["equipment"]),
            "purpose": data["purpose"],
            "accessibility": data["accessibility"],
        }


def combine(day, begins, ends):
    """Aware begin and end of a booking on ``day``; an end at 00.00 is midnight after
    the day."""
    begins_at = local_datetime(day, begins)
    ends_day = day + datetime.timedelta(days=1) if ends == datetime.time(0) else day
    return begins_at, local_datetime(ends_day, ends)


class _BookingFields(forms.Form):
    """What a booker tells about a booking or a series; the space shapes the form."""

    purpose = forms.ModelChoiceField(
        label=_("Purpose"), queryset=Purpose.objects.none(), empty_label=None
    )
    description = forms.CharField(
        label=_("What happens (optional)"),
        max_length=300,
        required=False,
        help_text=_("A few words for the staff, for example “Residents' association meeting”."),
    )
    attendees = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=5000)
    association = forms.CharField(
        label=_("Association (optional)"),
        max_length=200,
        required=False,
        validators=[validate_person_name],
        help_text=_("If you book for an association or another community, its name."),
    )
    free_of_charge_requested = forms.BooleanField(
        label=_("We apply for free-of-charge use as a non-profit association"),
        required=False,
        help_text=_("Staff handle the application before the booking is confirmed."),
    )
    accept_terms = forms.BooleanField(
        label=_("I have read the terms of use and accept them"),
        error_messages={"required": _("Please accept the terms of use to book.")},
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        purposes = space.purposes.all()
        if purposes:
            self.fields["purpose"].queryset = purposes
        else:
            del self.fields["purpose"]
        self.fields["attendees"].help_text = _("At most %(capacity)s people fit in.") % {
            "capacity": space.capacity
        }
        if not space.free_for_associations:
            del self.fields["free_of_charge_requested"]

    def booking_arguments(self):
        data = self.cleaned_data
        return {
            "purpose": data.get("purpose"),
            "description": data["description"],
            "attendees": data["attendees"],
            "association": data["association"],
            "free_of_charge_requested": data.get("free_of_charge_requested", False),
        }


class BookingForm(_BookingFields):
    date = DateField(label=_("Date"), widget=_date_input())
    begins = forms.TimeField(label=_("Begins"), widget=_time_input())
    ends = forms.TimeField(label=_("Ends"), widget=_time_input())

    field_order = ["date", "begins", "ends"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("begins") and cleaned.get("ends"):
            cleaned["begins_at"], cleaned["ends_at"] = combine(
                cleaned["date"], cleaned["begins"], cleaned["ends"]
            )
        return cleaned


class SeriesForm(_BookingFields):
    first_date = DateField(
        label=_("First date"),
        widget=_date_input(),
        help_text=_("The series repeats every week on this date's weekday."),
    )
    last_date = DateField(label=_("Last date"), widget=_date_input())
    begins = forms.TimeField(label=_("Begins"), widget=_time_input())
    ends = forms.TimeField(label=_("Ends"), widget=_time_input())

    field_order = ["first_date", "last_date", "begins", "ends"]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_date"), cleaned.get("last_date")
        if first and last:
            if last < first:
                self.add_error("last_date", _("The last date must not be before the first."))
            elif (last - first).days // 7 + 1 > MAX_SERIES_DATES:
                self.add_error(
                    "last_date",
                    _("A series can have at most %(count)s dates.") % {"count": MAX_SERIES_DATES},
                )
        begins, ends = cleaned.get("begins"), cleaned.get("ends")
        if begins and ends and ends <= begins:
            self.add_error("ends", _("The booking must end after it begins."))
        return cleaned

    def series_arguments(self):
        data = self.cleaned_data
        return {
            "first_date": data["first_date"],
            "last_date": data["last_date"],
            "begins": data["begins"],
            "ends": data["ends"],
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ---------------------------------------------------------------------------- staff


def _whole_series_field():
    return forms.BooleanField(
        label=_("Every date of the weekly series that waits for handling"),
        required=False,
        help_text=_("The booker gets one e-mail about all of them."),
    )


class StaffReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the booker"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The booker reads this in the e-mail and on their bookings page."),
    )

    def __init__(self, *args, series=None, **kwargs):
        super().__init__(*args, **kwargs)
        if series is not None:
            self.fields["whole_series"] = _whole_series_field()


class ApproveForm(forms.Form):
    free_of_charge = forms.TypedChoiceField(
        label=_("Free-of-charge application"),
        choices=[
            ("yes", _("Grant: the booking is free of charge")),
            ("no", _("Refuse: the booker pays the price")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        if not booking.free_of_charge_requested:
            del self.fields["free_of_charge"]
        if booking.series_id is not None:
            self.fields["whole_series"] = _whole_series_field()


class BlockForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Space"), queryset=None, empty_label=None)
    starts_on = DateField(label=_("From date"), widget=_date_input())
    begins = forms.TimeField(label=_("From time"), widget=_time_input())
    ends_on = DateField(
        label=_("Until date"),
        widget=_date_input(),
        required=False,
        help_text=_("Leave empty for the same day."),
    )
    ends = forms.TimeField(label=_("Until time"), widget=_time_input())
    reason = forms.CharField(
        label=_("Why the time is blocked"),
        max_length=300,
        help_text=_("For example “Floor maintenance”. Shown to staff only."),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = unit.spaces.order_by("name")
        self.fields["space"].label_from_instance = lambda space: space.name

    def clean(self):
        cleaned = super().clean()
        starts_on, begins, ends = (
            cleaned.get("starts_on"),
            cleaned.get("begins"),
            cleaned.get("ends"),
        )
        if starts_on and begins and ends:
            ends_on = cleaned.get("ends_on") or starts_on
            cleaned["begins_at"] = local_datetime(starts_on, begins)
            cleaned["ends_at"] = local_datetime(ends_on, ends)
            if cleaned["ends_at"] <= cleaned["begins_at"]:
                self.add_error("ends", _("The blocked time must end after it begins."))
        return cleaned


class DayForm(forms.Form):
    day = DateField(label=_("Day"), widget=_date_input())
