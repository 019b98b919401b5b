"""The private address of an appointment: whoever has the link from the e-mail can
confirm, move or cancel it, with or without an account. The link is the
appointment's number signed with the site's key, so nothing is stored and nobody can
guess another's."""

from django.core import signing

SALT = "osallistu.coaches.appointment"


def appointment_token(appointment):
    return signing.Signer(salt=SALT).sign(str(appointment.pk))


def appointment_id(token):
    """The appointment number in ``token``, or None when the token is not ours."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None
