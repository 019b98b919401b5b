"""The username that django-axes counts failed logins against (``AXES_USERNAME_CALLABLE``).

Axes reads the username before the login form cleans it, so without this ``AINO@example.fi``
and `` aino@example.fi`` would each get their own five attempts at Aino's account.
"""

from django.conf import settings

from .models import normalise_email


def username(request, credentials=None):
    """The address as the account is stored: the same for every spelling that logs in."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(value)
