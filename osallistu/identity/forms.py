from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from osallistu.core.validators import validate_person_name

from .errors import IdentityError
from .models import DocumentType
from .person_code import parse_person_code
from .selectors import account_by_email


class InPersonVerificationForm(forms.Form):
    """What staff record after checking an identity document at a service point."""

    document_type = forms.ChoiceField(
        label=_("Document checked"), choices=DocumentType.choices, widget=forms.RadioSelect
    )
    person_code = forms.CharField(
        label=_("Personal identity code"),
        max_length=20,
        help_text=_(
            "From the document, for example 131052-308T. The code is not stored: we keep "
            "only a keyed digest to recognise the same person again."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("E-mail address of the person's account"),
        required=False,
        help_text=_("Leave empty for a person who has no account."),
    )
    full_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        validators=[validate_person_name],
        help_text=_("Needed for a person who has no account."),
    )
    municipality_code = forms.CharField(
        label=_("Municipality of residence"),
        max_length=3,
        validators=[
            RegexValidator(r"^\d{3}$", _("Enter the three-digit municipality code, e.g. 091."))
        ],
        help_text=_("Statistics Finland's three-digit code; 091 is Helsinki."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"municipality_code": settings.CITY_MUNICIPALITY_CODE})
        super().__init__(*args, **kwargs)
        self.account = None

    def clean_person_code(self):
        try:
            return parse_person_code(self.cleaned_data["person_code"]).normalised
        except IdentityError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email:
            self.account = account_by_email(email)
            if self.account is None:
                raise forms.ValidationError(
                    _(
                        "No account uses this e-mail address. Check it, or leave it empty "
                        "to record a person who has no account."
                    ),
                    code="unknown_account",
                )
        return email

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("email")
            and not self.has_error("email")
            and not cleaned.get("full_name")
        ):
            self.add_error(
                "full_name",
                _("Enter the person's name, or the e-mail address of their account."),
            )
        return cleaned
