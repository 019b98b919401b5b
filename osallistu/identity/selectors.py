"""Reads for identity."""

from django.contrib.auth import get_user_model


def account_by_email(email):
    """The account that logs in with ``email``, or None."""
    return get_user_model().objects.filter(email__iexact=email).first()


def verifications_of(user):
    """A person's identification history, newest first."""
    return user.identity_verifications.select_related("verified_by")
