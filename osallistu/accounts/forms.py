from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import PostalCode, postal_code_validator
from osallistu.core.validators import validate_person_name

from .models import User, normalise_email


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or the password is wrong. Check them and try again."
        ),
        "inactive": _("This account is not in use."),
    }

    def clean_username(self):
        # As the account is stored and as the lockout counts it.
        return normalise_email(self.cleaned_data["username"])


def clean_postal_code(value):
    """Only the city's postal codes: the district, and so the suggested ballot, follow it."""
    value = value.strip()
    if not value:
        return value
    postal_code_validator(value)
    if not PostalCode.objects.filter(code=value).exists():
        raise forms.ValidationError(
            _(
                "We do not know the postal code %(code)s as one of the city's. If you live "
                "elsewhere, leave the field empty."
            ),
            params={"code": value},
            code="unknown_postal_code",
        )
    return value


class ProfileForm(forms.Form):
    """What a person tells about themselves. A plain form, so that a failed attempt
    never touches the User object the page is showing."""

    full_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=5,
        required=False,
        help_text=_("Your home district is suggested from it, for example in voting."),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 6}
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("E-mails and messages to you are in this language."),
    )

    def clean_postal_code(self):
        return clean_postal_code(self.cleaned_data["postal_code"])


class RegistrationForm(ProfileForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters. A long phrase that is easy for you to remember is good."
        ),
    )
    field_order = ["email", "full_name", "postal_code", "preferred_language", "password"]

    def clean_email(self):
        # Whether the address has an account is told only to the address (in an e-mail).
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("password")
        if password:
            candidate = User(
                email=cleaned_data.get("email", ""), full_name=cleaned_data.get("full_name", "")
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned_data


class TOTPConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not token.isdigit():
            raise forms.ValidationError(_("The code is six digits."), code="not_digits")
        return token


class AuthenticatorSetupForm(TOTPConfirmForm):
    """Setting up an app in a session that has passed the second factor, where the apps
    the account already has may be replaced."""

    replace = forms.BooleanField(
        label=_("Remove my other authenticator apps"),
        required=False,
        help_text=_("For example when you have a new phone and the old one is gone."),
    )


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for its password (where it has one) and a tick, so that
    neither a stray click nor someone at an unattended computer deletes it."""

    remove_content = forms.BooleanField(
        label=_("Remove my proposals and comments too"),
        required=False,
        help_text=_(
            "Otherwise they stay where they were published, shown as written by a removed user."
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data are deleted for good"),
        error_messages={"required": _("Tick this to delete your account.")},
    )

    done_message = _("Your account and your personal data are deleted.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="wrong_password")
        return password


class FindPersonForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"),
        max_length=254,
        help_text=_("Ask the person for it; check their identity document first."),
    )
    not_found_message = _("No resident you may help has this address. Check it with the person.")

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])
