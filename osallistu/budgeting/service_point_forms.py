"""Forms of voting at a service point: finding the person, an assisted ballot, a paper
vote with the second member of staff, and batches of paper ballots."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from .forms import BallotForm

DATE = forms.DateInput(attrs={"type": "date"})


class PersonSearchForm(forms.Form):
    """The person in front of the desk: their e-mail address, or their name and birth
    date from the identity document."""

    email = forms.EmailField(label=_("E-mail address"), required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("email") and not (data.get("full_name") and data.get("birth_date")):
            raise forms.ValidationError(
                _("Give the person's e-mail address, or their full name and birth date."),
                code="incomplete",
            )
        return data


class SecondPersonMixin(forms.Form):
    """A second member of staff confirms with their own e-mail address and a code from
    their own authenticator app."""

    second_email = forms.EmailField(
        label=_("Second member of staff: e-mail address"),
        required=False,
        help_text=_(
            "Needed when nobody else has checked the person's identity: when you checked "
            "it yourself, or it was not checked."
        ),
    )
    second_code = forms.CharField(
        label=_("Second member of staff: code from their authenticator app"),
        required=False,
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("The code is six digits."))],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, recorder, **kwargs):
        super().__init__(*args, **kwargs)
        self.recorder = recorder

    def clean(self):
        data = super().clean()
        email, code = data.get("second_email"), data.get("second_code")
        data["confirmed_by"] = None
        if not email and not code:
            return data
        if not email or not code:
            raise forms.ValidationError(
                _("Give both the e-mail address and the code of the second member of staff."),
                code="second_person_incomplete",
            )
        person = (
            get_user_model()
            .objects.filter(email__iexact=email, is_staff=True, is_active=True)
            .first()
        )
        if person is None or person.pk == self.recorder.pk or match_token(person, code) is None:
            raise forms.ValidationError(
                _(
                    "The second member of staff could not be confirmed: check the e-mail "
                    "address and use a new code."
                ),
                code="second_person_not_confirmed",
            )
        data["confirmed_by"] = person
        return data


class AssistedBallotForm(SecondPersonMixin, BallotForm):
    """The ballot a person makes at a service point, entered by staff as they say."""


class PaperVoteForm(SecondPersonMixin):
    """Staff mark that the person handed in a paper ballot."""


class PaperBatchForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District of the slips"), queryset=None, empty_label=None, to_field_name="slug"
    )
    label = forms.CharField(
        label=_("Where the slips come from"),
        max_length=120,
        help_text=_("The service point and the date, for example Itäkeskus library 12.3."),
    )
    slips_declared = forms.IntegerField(
        label=_("Slips in the envelope"), min_value=1, max_value=100_000
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class PaperSlipForm(BallotForm):
    """One paper slip, entered as it is marked."""


class ReconcileForm(forms.Form):
    slips_counted = forms.IntegerField(
        label=_("Slips you counted in the envelope"), min_value=0, max_value=100_000
    )


class ReturnBatchForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs correcting"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
