"""Forms of volunteering. They check the shape of what was sent; the services decide
and say why not."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area
from osallistu.core import geo
from osallistu.core.fields import IdMultipleChoiceField
from osallistu.core.validators import validate_person_name, validate_plain_text

from .models import (
    MAX_CAPACITY,
    MAX_HOURS,
    Language,
    Opportunity,
    Organiser,
    SignUp,
    Talkoot,
    Theme,
)
from .selectors import CITY_TZ, local_datetime

RADII = (1, 2, 5, 10)


def today():
    return timezone.localtime(timezone.now(), CITY_TZ).date()


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class DateField(forms.DateField):
    """A date within ten years of today: anything further is a typing mistake."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _date_input())
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and abs((value - today()).days) > 3660:
            raise forms.ValidationError(_("Please give a date within ten years from today."))


class BirthDateField(forms.DateField):
    """A date of birth: not in the future, nor longer ago than anyone lives."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _date_input())
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not (today() - datetime.timedelta(days=120 * 366) <= value <= today()):
            raise forms.ValidationError(_("Please check your date of birth."))


def parse_coordinate(raw):
    """A decimal degree as people write it: with a comma or a point, maybe spaces."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", raw).replace(",", ".").replace("\u2212", "-")
    try:
        value = Decimal(compact)
    except InvalidOperation:
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699.")) from None
    # Checked before rounding: 1e999 is finite, and rounding it to six decimals fails.
    if not value.is_finite() or abs(value) > 180:
        raise forms.ValidationError(_("Write the coordinate as a number, like 60,1699."))
    return value.quantize(Decimal("0.000001"))


class PointMixin:
    """Optional latitude and longitude fields that must lie in the city."""

    point_required = False

    def clean_latitude(self):
        raw = (self.cleaned_data.get("latitude") or "").strip()
        return parse_coordinate(raw) if raw else None

    def clean_longitude(self):
        raw = (self.cleaned_data.get("longitude") or "").strip()
        return parse_coordinate(raw) if raw else None

    def clean_point(self, cleaned):
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return
        if (lat is None) != (lon is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
            return
        west, south, east, north = geo.HELSINKI_BBOX
        if lat is not None and not (south <= lat <= north and west <= lon <= east):
            self.add_error("latitude", _("The point is not in Helsinki. Please check it."))


def latitude_field(label=None):
    return forms.CharField(
        label=label or _("Latitude (optional)"),
        help_text=_("Of a point on the map, for example 60,1699."),
        max_length=30,
        required=False,
    )


def longitude_field(label=None):
    return forms.CharField(
        label=label or _("Longitude (optional)"),
        help_text=_("For example 24,9384."),
        max_length=30,
        required=False,
    )


# ---------------------------------------------------------------------------- search


class SearchForm(PointMixin, forms.Form):
    """The search. Sent with GET so that a search can be shared as a link."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)
    theme = IdMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ModelChoiceField(
        label=_("Language of the task"),
        queryset=Language.objects.none(),
        required=False,
        empty_label=_("Any language"),
    )
    kind = forms.ChoiceField(label=_("One-off or ongoing"), required=False)
    age = forms.IntegerField(
        label=_("Your age (optional)"),
        help_text=_("Shows only tasks that take volunteers of your age."),
        min_value=1,
        max_value=120,
        required=False,
    )
    under_18 = forms.BooleanField(label=_("Suitable for under-18s"), required=False)
    accessible = forms.BooleanField(label=_("Accessible"), required=False)
    remote = forms.BooleanField(label=_("Can be done remotely"), required=False)
    latitude = latitude_field(_("Near me: latitude"))
    longitude = longitude_field(_("Near me: longitude"))
    radius = forms.TypedChoiceField(
        label=_("Distance"),
        coerce=int,
        required=False,
        empty_value=5,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Area.objects.districts()
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["language"].queryset = Language.objects.all()
        self.fields["kind"].choices = [("", _("Either")), *Opportunity.Kind.choices]
        self.fields["radius"].choices = [(km, _("within %(km)s km") % {"km": km}) for km in RADII]

    def clean(self):
        cleaned = super().clean()
        self.clean_point(cleaned)
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The last day cannot be before the first."))
        return cleaned

    def search_arguments(self):
        data = self.cleaned_data
        near = None
        if data.get("latitude") is not None:
            near = (data["latitude"], data["longitude"])
        return {
            "district": data["district"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "themes": list(data["theme"]),
            "language": data["language"],
            "under_18": data["under_18"],
            "age": data["age"],
            "accessible": data["accessible"],
            "remote": data["remote"],
            "kind": data["kind"] or None,
            "near": near,
            "radius_km": data["radius"] or 5,
        }


# ---------------------------------------------------------------------------- sign-up


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[validate_person_name])
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        help_text=_("The organiser calls this number if plans change."),
        max_length=30,
        required=False,
    )
    message = forms.CharField(
        label=_("Message to the organiser (optional)"),
        help_text=_(
            "For example allergies or something the organiser should know. At most 500 characters."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    birth_date = BirthDateField(
        label=_("Date of birth"),
        help_text=_("Some tasks have an age limit, and under-18s need their guardian's consent."),
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name"),
        help_text=_("Only if you are under 18."),
        max_length=150,
        required=False,
        validators=[validate_person_name],
    )
    guardian_email = forms.EmailField(
        label=_("Guardian's e-mail address"),
        help_text=_("Only if you are under 18. Your guardian gets a link to give their consent."),
        required=False,
    )
    guardian_language = forms.ChoiceField(
        label=_("Guardian's language"),
        choices=settings.LANGUAGES,
        required=False,
    )

    def __init__(self, *args, user, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        if user.birth_date is not None:
            del self.fields["birth_date"]
        self.user = user
        if not opportunity.under_18_allowed or (
            user.birth_date is not None and user.age_on(today()) >= 18
        ):
            for name in ("guardian_name", "guardian_email", "guardian_language"):
                del self.fields[name]

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "name": data["name"],
            "phone": data["phone"],
            "message": data["message"],
            "birth_date": data.get("birth_date"),
            "guardian_name": data.get("guardian_name", ""),
            "guardian_email": data.get("guardian_email", ""),
            "guardian_language": data.get("guardian_language", ""),
        }


# ---------------------------------------------------------------------------- organisers


class OrganiserForm(forms.ModelForm):
    website = forms.URLField(label=_("Website (optional)"), required=False, assume_scheme="https")

    class Meta:
        model = Organiser
        fields = [
            "name",
            "kind",
            "district",
            "description",
            "business_id",
            "email",
            "phone",
            "website",
        ]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "business_id": _("An association's business ID, for example 1234567-8 (optional)."),
            "email": _("Where residents and the city can reach the organiser."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Area.objects.districts()
        self.fields["district"].empty_label = _("The whole city")
        # A city unit's name may be the city's own: staff verify who it is.
        self.fields["name"].validators.append(validate_plain_text)

    def clean_business_id(self):
        value = self.cleaned_data["business_id"].strip()
        if value and not re.fullmatch(r"\d{7}-\d", value):
            raise forms.ValidationError(_("A business ID is seven digits, a hyphen and a digit."))
        return value


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We e-mail a link to join. It works for 14 days."),
    )


# ---------------------------------------------------------------------------- opportunities

LANGUAGE_NAMES = {"fi": _("in Finnish"), "sv": _("in Swedish"), "en": _("in English")}
TRANSLATED = ("title", "description", "tasks", "benefits", "accessibility_notes")


class OpportunityForm(PointMixin, forms.ModelForm):
    latitude = latitude_field()
    longitude = longitude_field()

    class Meta:
        model = Opportunity
        fields = [
            *[f"{name}_{code}" for name in TRANSLATED[:4] for code in ("fi", "sv", "en")],
            "kind",
            "themes",
            "languages",
            "district",
            "place_text",
            "remote",
            "offers_training",
            "offers_insurance",
            "offers_certificate",
            "under_18_allowed",
            "youth_min_age",
            "accessible",
            *[f"accessibility_notes_{code}" for code in ("fi", "sv", "en")],
            "contact_name",
            "contact_email",
            "contact_phone",
            "cancel_hours_before",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "themes": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
        }
        field_classes = {"themes": IdMultipleChoiceField, "languages": IdMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "tasks": _("What volunteers do"),
            "benefits": _("What volunteers get"),
            "accessibility_notes": _("Accessibility notes"),
        }
        for name in TRANSLATED:
            for code in ("fi", "sv", "en"):
                field = self.fields[f"{name}_{code}"]
                field.label = f"{labels[name]} ({LANGUAGE_NAMES[code]})"
                field.required = False
                if name == "title":
                    field.validators.append(validate_plain_text)
                if name != "title":
                    field.widget = forms.Textarea(attrs={"rows": 4})
        self.fields["district"].queryset = Area.objects.districts()
        self.fields["district"].empty_label = _("Remote or the whole city")
        self.fields["youth_min_age"].help_text = _(
            "When under-18s are welcome: the youngest age, 1–17. They need a guardian's consent."
        )
        self.fields["place_text"].help_text = _("An address or a place people find.")
        self.fields["contact_name"].validators.append(validate_plain_text)
        if self.instance.pk is not None:
            for name in ("latitude", "longitude"):
                value = getattr(self.instance, name)
                self.initial[name] = (
                    "" if value is None else format(value.normalize(), "f").replace(".", ",")
                )

    def clean(self):
        cleaned = super().clean()
        self.clean_point(cleaned)
        for name in ("title", "description"):
            if not any(
                (cleaned.get(f"{name}_{code}") or "").strip() for code in ("fi", "sv", "en")
            ):
                self.add_error(f"{name}_fi", _("Write this in at least one language."))
        if cleaned.get("under_18_allowed") and cleaned.get("youth_min_age") is None:
            self.add_error("youth_min_age", _("Give the youngest age that is welcome."))
        if not cleaned.get("under_18_allowed"):
            cleaned["youth_min_age"] = None
        return cleaned

    def service_fields(self):
        data = self.cleaned_data
        fields = {
            name: data[name] for name in self.Meta.fields if name not in ("themes", "languages")
        }
        fields["latitude"] = data.get("latitude")
        fields["longitude"] = data.get("longitude")
        return fields


class ShiftForm(forms.Form):
    date = DateField(label=_("Date"))
    begins = forms.TimeField(label=_("Begins"), widget=_time_input())
    ends = forms.TimeField(label=_("Ends"), widget=_time_input())
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=_("How many volunteers are needed."),
    )
    place_text = forms.CharField(
        label=_("Place (optional)"),
        help_text=_("Only when it differs from the opportunity's place."),
        max_length=200,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        day, begins, ends = cleaned.get("date"), cleaned.get("begins"), cleaned.get("ends")
        if day and begins and ends:
            if ends <= begins:
                self.add_error("ends", _("The shift must end after it begins."))
            cleaned["starts_at"] = local_datetime(day, begins)
            cleaned["ends_at"] = local_datetime(day, ends)
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The people concerned are told it."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
    include_waiting = forms.BooleanField(label=_("Send also to the waiting list"), required=False)


class AttendanceForm(forms.Form):
    """One row per confirmed sign-up: came or not, and hours."""

    def __init__(self, *args, signups, default_hours, **kwargs):
        super().__init__(*args, **kwargs)
        self.signups = signups
        choices = [
            (SignUp.Attendance.ATTENDED, _("Attended")),
            (SignUp.Attendance.ABSENT, _("Did not come")),
            ("", _("Not recorded")),
        ]
        for signup in signups:
            self.fields[f"attendance_{signup.pk}"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": signup.name},
                choices=choices,
                required=False,
                initial=signup.attendance,
                widget=forms.RadioSelect,
            )
            self.fields[f"hours_{signup.pk}"] = forms.DecimalField(
                label=_("Hours of %(name)s") % {"name": signup.name},
                min_value=Decimal("0.25"),
                max_value=MAX_HOURS,
                decimal_places=2,
                max_digits=5,
                required=False,
                localize=True,
                initial=signup.hours if signup.hours is not None else default_hours,
            )

    def rows(self):
        return [
            (signup, self[f"attendance_{signup.pk}"], self[f"hours_{signup.pk}"])
            for signup in self.signups
        ]

    def clean(self):
        cleaned = super().clean()
        for signup in self.signups:
            if (
                cleaned.get(f"attendance_{signup.pk}") == SignUp.Attendance.ATTENDED
                and cleaned.get(f"hours_{signup.pk}") is None
                and f"hours_{signup.pk}" not in self.errors
            ):
                self.add_error(f"hours_{signup.pk}", _("Give the hours of those who attended."))
        return cleaned

    def entries(self):
        data = self.cleaned_data
        return {
            signup: (data[f"attendance_{signup.pk}"], data.get(f"hours_{signup.pk}"))
            for signup in self.signups
        }


# ---------------------------------------------------------------------------- talkoot


class TalkootForm(PointMixin, forms.Form):
    title = forms.CharField(
        label=_("Name of the event"), max_length=150, validators=[validate_plain_text]
    )
    description = forms.CharField(
        label=_("What happens"),
        help_text=_(
            "For example what is cleaned or done, and who is welcome. At most 3000 characters."
        ),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.none())
    place_text = forms.CharField(
        label=_("Place"), help_text=_("An address, a park or a beach."), max_length=200
    )
    latitude = latitude_field()
    longitude = longitude_field()
    starts_on = DateField(label=_("First day"))
    ends_on = DateField(label=_("Last day"))
    expected_participants = forms.IntegerField(
        label=_("Expected participants"), min_value=1, max_value=10000
    )
    equipment = forms.MultipleChoiceField(
        label=_("Equipment needed"),
        choices=Talkoot.Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    equipment_notes = forms.CharField(
        label=_("Other equipment (optional)"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Area.objects.districts()

    def clean(self):
        cleaned = super().clean()
        self.clean_point(cleaned)
        first, last = cleaned.get("starts_on"), cleaned.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        return cleaned


class DecisionForm(forms.Form):
    """Approve (a note is optional) or refuse (a reason is required)."""

    reason = forms.CharField(
        label=_("Reason or note"),
        help_text=_("Needed when refusing; the person is told it."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FiguresForm(forms.Form):
    first_day = DateField(label=_("First day"))
    last_day = DateField(label=_("Last day"))

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first."))
        return cleaned


def default_figures_period():
    last = today()
    return {"first_day": last - datetime.timedelta(days=365), "last_day": last}
