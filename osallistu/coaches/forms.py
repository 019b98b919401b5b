"""Forms of the public pages. They check the shape of what was sent; the services
decide and say why not, next to the field the refusal is about."""

from django import forms
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area, postal_code_validator
from osallistu.core.validators import validate_person_name

from .models import CoachKind, Sector, language_names
from .selectors import public

TEXTAREA = {"rows": 5}


class PostalCodeForm(forms.Form):
    """ "Which district am I in": sent with GET so the answer can be linked to."""

    postal_code = forms.CharField(
        label=_("Your postal code"),
        max_length=5,
        min_length=5,
        validators=[postal_code_validator],
        help_text=_("Five digits, for example 00530."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 7}
        ),
    )

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        found = public.postal_code(code)
        if found is None:
            raise forms.ValidationError(
                _("%(code)s is not a postal code of Helsinki. Please check the number."),
                params={"code": code},
            )
        self.found = found
        return code


class CompanyFields(forms.Form):
    """The company someone asks or books for (business coaches)."""

    company_name = forms.CharField(label=_("Company name"), max_length=200)
    business_id = forms.CharField(
        label=_("Business ID"),
        max_length=12,
        help_text=_("Seven digits, a hyphen and a check digit, for example 0112038-9."),
        widget=forms.TextInput(attrs={"size": 12}),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    company_district = forms.ModelChoiceField(
        label=_("District where the company works"),
        queryset=Area.objects.none(),
        empty_label="—",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company_district"].queryset = Area.objects.districts()

    def company_arguments(self):
        data = self.cleaned_data
        return {
            "name": data["company_name"],
            "business_id_value": data["business_id"],
            "sector": data["sector"],
            "district": data["company_district"],
        }


class BookingForm(CompanyFields):
    """Booking a slot: what about, in which language, what the person needs; the name
    and e-mail address of someone without an account; the company for a business coach."""

    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, empty_label="—")
    meeting_language = forms.ChoiceField(label=_("Language of the meeting"))
    details = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        help_text=_("For example an interpreter, step-free access or an induction loop."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[validate_person_name])
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm the meeting, then a calendar file."),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, profile, signed_in, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = public.topics(profile.kind)
        self.fields["meeting_language"].choices = [
            (code, language_names([code])) for code in profile.languages
        ]
        if signed_in:
            del self.fields["email"]
            self.fields["name"].required = False
            self.fields["name"].label = _("Name (if other than your account's)")
        if profile.kind != CoachKind.BUSINESS:
            for name in ("company_name", "business_id", "sector", "company_district"):
                del self.fields[name]
        else:
            self.order_fields(
                ["company_name", "business_id", "sector", "company_district", "topic"]
            )

    @property
    def for_company(self):
        return "business_id" in self.fields


class AskForm(CompanyFields):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, empty_label="—")
    wants_meeting = forms.TypedChoiceField(
        label=_("What would you like?"),
        choices=[("advice", _("Advice in writing")), ("meeting", _("A meeting"))],
        coerce=lambda value: value == "meeting",
        widget=forms.RadioSelect,
        initial="advice",
    )
    question = forms.CharField(
        label=_("Your question"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        help_text=_("If you would rather be called."),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = public.topics(kind)
        if kind != CoachKind.BUSINESS:
            for name in (
                "company_name",
                "business_id",
                "sector",
                "company_district",
                "wants_meeting",
            ):
                del self.fields[name]

    @property
    def for_company(self):
        return "business_id" in self.fields


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignupForm(forms.Form):
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        help_text=_("For example an interpreter, step-free access or an induction loop."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
