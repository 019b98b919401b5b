from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class PasswordLengthValidator(MinimumLengthValidator):
    """Django's length rule with a message of our own: Django's Finnish catalogue has
    no translation for its plural form, and a resident must not get English."""

    def get_error_message(self):
        return ngettext(
            "The password is too short. Use at least %(min_length)d character.",
            "The password is too short. Use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")
