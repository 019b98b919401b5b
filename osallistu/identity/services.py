"""Writes for identity: each function is one business action in one transaction.

``record_verification`` is the one way any channel stores who a person is; the
refusals it raises (``IdentityError``) are audit-logged as well, after the
refused change has been rolled back, so that the log keeps them.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import VerificationMethod
from osallistu.core import audit

from .backends import get_backend
from .errors import IdentityError
from .models import IdentityVerification
from .permissions import may_check_identity
from .person_code import parse_person_code

security_log = logging.getLogger("osallistu.security")

__all__ = [
    "IdentityError",
    "record_identification_failure",
    "record_verification",
    "verify_in_person",
]


def _already_verified(holder):
    return IdentityError(
        _(
            "This person is already verified: %(method)s on %(date)s. One person can "
            "have only one account."
        )
        % {
            "method": holder.get_verification_method_display().lower(),
            "date": date_format(timezone.localdate(holder.verified_at), "DATE_FORMAT"),
        },
        code="already_verified",
    )


def _check_not_taken(*, user, digest):
    """Refuse a personal identity code that another account already holds."""
    if digest is None:
        return
    holder = get_user_model().objects.filter(person_digest=digest)
    if user is not None:
        holder = holder.exclude(pk=user.pk)
    holder = holder.first()
    if holder is not None:
        raise _already_verified(holder)
    if user is not None and user.person_digest and user.person_digest != digest:
        raise IdentityError(
            _(
                "This account already belongs to another person. Log in with your own "
                "account, or ask at a library or service point for help."
            ),
            code="other_person",
        )


def _refuse(error, *, user, method, actor, on_behalf_of):
    security_log.warning(
        "identity verification refused method=%s reason=%s user=%s actor=%s",
        method,
        error.code,
        getattr(user, "pk", None),
        getattr(actor, "pk", None),
    )
    audit.record(
        action="identity.verification_refused",
        actor=actor,
        target=user,
        on_behalf_of=on_behalf_of,
        data={"method": method, "reason": error.code},
    )
    return error


def record_verification(
    *,
    user,
    method,
    municipality_code,
    birth_date=None,
    person_code=None,
    verified_by=None,
    document_type="",
    on_behalf_of=None,
):
    """Store that ``user`` proved who they are through ``method``.

    Saves birth date, municipality, method, time and the digest of the personal
    identity code (never the code) on the user, adds an ``IdentityVerification``
    to the history and writes the audit log. The birth date comes from the code
    when not given. Raises ``IdentityError`` when the code is invalid, does not
    match the birth date, or belongs to another account.
    """
    backend = get_backend(method)
    actor = verified_by or user
    try:
        code = parse_person_code(person_code) if person_code else None
        if code is not None:
            if birth_date is None:
                birth_date = code.birth_date
            elif birth_date != code.birth_date:
                raise IdentityError(
                    _("The birth date does not match the personal identity code."),
                    code="birth_date_mismatch",
                )
        digest = code.digest if code else None
        with transaction.atomic():
            # The row lock makes two verifications of one account queue, not interleave.
            user = get_user_model().objects.select_for_update().get(pk=user.pk)
            _check_not_taken(user=user, digest=digest)
            now = timezone.now()
            user.birth_date = birth_date
            user.municipality_code = municipality_code
            user.verification_method = method
            user.verified_at = now
            fields = ["birth_date", "municipality_code", "verification_method", "verified_at"]
            if digest:
                user.person_digest = digest
                fields.append("person_digest")
            user.save(update_fields=fields)
            verification = IdentityVerification.objects.create(
                user=user,
                method=method,
                verified_at=now,
                verified_by=verified_by,
                document_type=document_type,
                birth_date=birth_date,
                municipality_code=municipality_code,
            )
            audit.record(
                action="identity.verified",
                actor=actor,
                target=user,
                on_behalf_of=on_behalf_of,
                data={
                    "method": method,
                    "level": backend.level,
                    "verification": verification.pk,
                    "document_type": document_type,
                    "municipality_code": municipality_code,
                    "person_code_checked": digest is not None,
                },
            )
    except IdentityError as error:
        raise _refuse(
            error, user=user, method=method, actor=actor, on_behalf_of=on_behalf_of
        ) from None
    except IntegrityError:
        # Another request stored the same digest between our check and our write.
        holder = get_user_model().objects.filter(person_digest=digest).first()
        if digest is None or holder is None:
            raise
        raise _refuse(
            _already_verified(holder),
            user=user,
            method=method,
            actor=actor,
            on_behalf_of=on_behalf_of,
        ) from None
    return verification


def verify_in_person(
    *, staff, document_type, person_code, municipality_code, user=None, full_name=""
):
    """Staff checked an identity document: verify ``user``, or record a person
    without an account (no e-mail, no password) under ``full_name``.

    Refuses an account that is already strongly identified and a personal
    identity code that is already verified, naming how and when.
    """
    if not may_check_identity(staff):
        raise PermissionDenied("identity checks are for service point staff")
    method = VerificationMethod.IN_PERSON
    code = parse_person_code(person_code)
    try:
        if user is not None and user.is_strongly_identified:
            raise _already_verified(user)
        _check_not_taken(user=user, digest=code.digest)
    except IdentityError as error:
        raise _refuse(error, user=user, method=method, actor=staff, on_behalf_of=user) from None
    with transaction.atomic():
        if user is None:
            user = get_user_model()(email=None, full_name=full_name)
            user.set_unusable_password()
            user.save()
            audit.record(action="identity.person_recorded", actor=staff, target=user)
        return record_verification(
            user=user,
            method=method,
            municipality_code=municipality_code,
            person_code=code.normalised,
            verified_by=staff,
            document_type=document_type,
            on_behalf_of=user,
        )


def record_identification_failure(*, user, method, reason, detail=""):
    """Log an identification that did not complete (cancelled, refused token, …)."""
    security_log.warning(
        "identification failed method=%s reason=%s user=%s detail=%s",
        method,
        reason,
        getattr(user, "pk", None),
        str(detail)[:200],
    )
    audit.record(
        action="identity.identification_failed",
        actor=user,
        target=user if user is not None and user.is_authenticated else None,
        data={"method": method, "reason": reason, "detail": str(detail)[:200]},
    )
