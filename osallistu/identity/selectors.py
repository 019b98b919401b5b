"""Reads for identity."""

from django.contrib.auth import get_user_model
from django.db.models import Count

from osallistu.accounts.models import VerificationMethod

from .models import IdentityVerification


def account_by_email(email):
    """The account that logs in with ``email``, or None."""
    return get_user_model().objects.filter(email__iexact=email).first()


def verifications_of(user):
    """A person's identification history, newest first."""
    return user.identity_verifications.select_related("verified_by")


def identity_checked_by_another(person, staff):
    """Whether someone other than ``staff`` established who ``person`` is: an
    identification service, or another member of staff who checked a document."""
    if person.verification_method in (VerificationMethod.OIDC, VerificationMethod.SCHOOL):
        return True
    if person.verification_method != VerificationMethod.IN_PERSON:
        return False
    latest = person.identity_verifications.order_by("-verified_at", "-pk").first()
    return latest is not None and latest.verified_by_id not in (None, staff.pk)


def in_person_checks_by_staff(*, since, until):
    """``{staff id: identity documents checked}`` between ``since`` and ``until``."""
    rows = (
        IdentityVerification.objects.filter(
            method=VerificationMethod.IN_PERSON,
            verified_at__gte=since,
            verified_at__lt=until,
            verified_by__isnull=False,
        )
        .values("verified_by")
        .annotate(checks=Count("pk"))
    )
    return {row["verified_by"]: row["checks"] for row in rows}
