"""Forms of the coach's desk."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.core.images import ImageUploadField
from osallistu.core.validators import validate_plain_text

from .forms import CompanyFields
from .models import (
    SLOT_MINUTES_MAX,
    SLOT_MINUTES_MIN,
    SPOKEN_LANGUAGES,
    CoachKind,
    ContactChannel,
    EventKind,
    Place,
    RequestStatus,
    Topic,
    Weekday,
)
from .services.requests import COACH_STATUSES


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class DateField(forms.DateField):
    """A date within ten years of today: anything further is a typing mistake."""

    def validate(self, value):
        super().validate(value)
        if value and abs((value - datetime.date.today()).days) > 3660:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Answer to the asker"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    status = forms.ChoiceField(
        label=_("Status after this answer"),
        choices=[
            (value, label) for value, label in RequestStatus.choices if value in COACH_STATUSES
        ],
        initial=RequestStatus.ANSWERED,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for coaches"),
        help_text=_("The asker does not see notes."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandoverForm(forms.Form):
    to_coach = forms.ModelChoiceField(label=_("Hand to"), queryset=None, empty_label="—")
    why = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_coach"].queryset = targets
        self.fields["to_coach"].label_from_instance = lambda profile: (
            f"{profile.name} ({profile.get_kind_display()})"
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the person"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _place_field(required=True):
    return forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.all(), required=required, empty_label="—"
    )


def _slot_field():
    return forms.IntegerField(
        label=_("Length of a meeting (minutes)"),
        min_value=SLOT_MINUTES_MIN,
        max_value=SLOT_MINUTES_MAX,
        initial=30,
    )


class OfficeHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    begins = forms.TimeField(label=_("Begins"), widget=_time_input())
    ends = forms.TimeField(label=_("Ends"), widget=_time_input())
    slot_minutes = _slot_field()
    place = _place_field()
    valid_from = DateField(label=_("From"), widget=_date_input())
    valid_until = DateField(label=_("Until (optional)"), required=False, widget=_date_input())


class EndHoursForm(forms.Form):
    last_day = DateField(label=_("Last day"), widget=_date_input())


class ExceptionForm(forms.Form):
    date = DateField(label=_("Date"), widget=_date_input())
    begins = forms.TimeField(
        label=_("Begins"),
        required=False,
        help_text=_("Leave the times empty for a day without office hours."),
        widget=_time_input(),
    )
    ends = forms.TimeField(label=_("Ends"), required=False, widget=_time_input())
    slot_minutes = _slot_field()
    place = _place_field(required=False)
    reason_fi = forms.CharField(
        label=_("Reason in Finnish (optional)"), required=False, max_length=150
    )
    reason_sv = forms.CharField(
        label=_("Reason in Swedish (optional)"), required=False, max_length=150
    )
    reason_en = forms.CharField(
        label=_("Reason in English (optional)"), required=False, max_length=150
    )

    def clean(self):
        data = super().clean()
        begins, ends = data.get("begins"), data.get("ends")
        if (begins is None) != (ends is None):
            self.add_error("ends" if begins else "begins", _("Give both times, or neither."))
        if begins is not None and data.get("place") is None:
            self.add_error("place", _("Please choose the place."))
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=[("", "—"), *EventKind.choices])
    district = forms.ModelChoiceField(label=_("District"), queryset=None, empty_label="—")
    title_fi = forms.CharField(
        label=_("Title in Finnish"), max_length=200, validators=[validate_plain_text]
    )
    title_sv = forms.CharField(
        label=_("Title in Swedish"), max_length=200, validators=[validate_plain_text]
    )
    title_en = forms.CharField(
        label=_("Title in English"), max_length=200, validators=[validate_plain_text]
    )
    description_fi = forms.CharField(
        label=_("Description in Finnish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_sv = forms.CharField(
        label=_("Description in Swedish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    date = DateField(label=_("Date"), widget=_date_input())
    begins = forms.TimeField(label=_("Begins"), widget=_time_input())
    ends = forms.TimeField(label=_("Ends"), widget=_time_input())
    place = _place_field(required=False)
    space = forms.ModelChoiceField(
        label=_("Or book a city space for it"),
        help_text=_("Booked in your name through city premises, by that space's rules."),
        queryset=None,
        required=False,
        empty_label="—",
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=["fi"],
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    induction_loop = forms.BooleanField(label=_("Induction loop"), required=False)
    accessibility_notes_fi = forms.CharField(
        label=_("Accessibility notes in Finnish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility_notes_sv = forms.CharField(
        label=_("Accessibility notes in Swedish"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility_notes_en = forms.CharField(
        label=_("Accessibility notes in English"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signup_required = forms.BooleanField(label=_("People sign up"), required=False)
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1, max_value=100_000)
    publish = forms.BooleanField(label=_("Publish now"), required=False, initial=True)

    def __init__(self, *args, districts, spaces, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["space"].queryset = spaces
        self.fields["space"].label_from_instance = lambda space: f"{space.name}, {space.unit.name}"
        if editing:
            del self.fields["publish"]
            self.fields["district"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("place") is None and data.get("space") is None:
            self.add_error(
                "place", _("Choose a meeting place or a city space to book, one of them.")
            )
        elif data.get("place") is not None and data.get("space") is not None:
            self.add_error(
                "space", _("Choose a meeting place or a city space to book, one of them.")
            )
        if data.get("signup_required") and not data.get("capacity"):
            self.add_error("capacity", _("Tell how many people can sign up."))
        return data

    TEXTS = tuple(
        f"{name}_{code}"
        for name in ("title", "description", "accessibility_notes")
        for code in ("fi", "sv", "en")
    )

    def texts(self):
        return {name: self.cleaned_data.get(name, "") for name in self.TEXTS}


class ParticipantsForm(forms.Form):
    participants = forms.IntegerField(label=_("How many came"), min_value=0, max_value=100_000)


class CompanyContactForm(CompanyFields):
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(audience=CoachKind.BUSINESS, is_active=True),
        empty_label="—",
    )
    channel = forms.ChoiceField(label=_("How"), choices=[("", "—"), *ContactChannel.choices])
    happened_on = DateField(label=_("Date"), widget=_date_input())
    notes = forms.CharField(
        label=_("Notes (optional)"),
        help_text=_("Only coaches see these."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("company_name", "sector", "company_district"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Needed only for a company met for the first time.")


class PeriodForm(forms.Form):
    first_day = DateField(label=_("From"), widget=_date_input())
    last_day = DateField(label=_("Until"), widget=_date_input())

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", _("The last day must not be before the first."))
        return data


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Page"), choices=CoachKind.choices, widget=forms.RadioSelect)
    languages = forms.MultipleChoiceField(
        label=_("Languages you meet people in"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone number (optional)"), required=False, max_length=30)
    email = forms.EmailField(label=_("Public e-mail address (optional)"), required=False)
    introduction_fi = forms.CharField(
        label=_("Introduction in Finnish"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    introduction_sv = forms.CharField(
        label=_("Introduction in Swedish"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    introduction_en = forms.CharField(
        label=_("Introduction in English"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reach_fi = forms.CharField(
        label=_("How to reach you, in Finnish"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reach_sv = forms.CharField(
        label=_("How to reach you, in Swedish"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reach_en = forms.CharField(
        label=_("How to reach you, in English"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = ImageUploadField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG or PNG. Location and camera details are removed from the file."),
    )
    photo_alt = forms.CharField(
        label=_("What the photo shows (optional)"),
        required=False,
        max_length=300,
        help_text=_("Read to people who do not see it, for example: Aada smiling at a library."),
    )
    is_published = forms.BooleanField(
        label=_("Residents see the page"), required=False, initial=True
    )

    def __init__(self, *args, kinds, has_page, **kwargs):
        super().__init__(*args, **kwargs)
        if has_page or len(kinds) < 2:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [
                (k, label) for k, label in CoachKind.choices if k in kinds
            ]
