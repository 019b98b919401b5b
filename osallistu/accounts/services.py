"""Writes for accounts: each function is one business action in one transaction."""

import hashlib
import secrets
import time

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.areas.selectors import district_for_postal_code
from osallistu.core import audit
from osallistu.core.errors import DomainError

from . import notifications
from .models import PendingRegistration, StaffRole, User, normalise_email


class AccountError(DomainError):
    """An account action that the rules refuse; the message can be shown as it is."""


class RegistrationError(AccountError):
    """A registration link that cannot be used."""


class SecondFactorError(AccountError):
    """An authenticator app that cannot be added, or a reset that is not allowed."""


def is_city_admin(user):
    return user.is_superuser or user.has_role(StaffRole.Role.CITY_ADMIN)


# Registration

# E-mails that the registration form sends to one address in an hour: enough for a person
# who mistyped something, too few to use the form for flooding somebody's inbox.
REGISTRATION_MAILS_PER_HOUR = 3


def _token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _may_mail(email):
    key = "accounts:registration-mail:" + _token_digest(email)
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= REGISTRATION_MAILS_PER_HOUR
    except ValueError:  # the entry expired between add and incr
        return True


@transaction.atomic
def request_registration(*, email, password, full_name, postal_code="", preferred_language="fi"):
    """Start a registration: e-mail the address a link that makes the account, or, when
    the address already has an account, tell its owner so. The caller answers the same
    either way, and both ways cost the same (a password hash and one e-mail)."""
    email = normalise_email(email)
    hashed = make_password(password)
    PendingRegistration.objects.filter(
        created_at__lt=timezone.now() - PendingRegistration.VALID_FOR
    ).delete()
    if not _may_mail(email):
        return
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        audit.record(action="accounts.registration_for_existing_account", target=existing)
        notifications.already_registered(existing)
        return
    token = secrets.token_urlsafe(32)
    PendingRegistration.objects.update_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "postal_code": postal_code,
            "preferred_language": preferred_language,
            "password": hashed,
            "token_digest": _token_digest(token),
            "created_at": timezone.now(),
        },
    )
    notifications.confirm_registration(
        email=email,
        language=preferred_language,
        token=token,
        valid_for=PendingRegistration.VALID_FOR,
    )


def pending_registration(token, now=None):
    """The registration that ``token`` finishes, or None when the link is unknown or old."""
    pending = PendingRegistration.objects.filter(token_digest=_token_digest(token)).first()
    if pending is None or pending.has_expired(now):
        return None
    return pending


@transaction.atomic
def confirm_registration(*, token, now=None):
    """Make the account that a followed link confirms; the link then stops working."""
    pending = (
        PendingRegistration.objects.select_for_update()
        .filter(token_digest=_token_digest(token))
        .first()
    )
    if pending is None or pending.has_expired(now):
        raise RegistrationError(
            _("This link is not valid any more. Create the account again to get a new one."),
            code="link_not_valid",
        )
    pending.delete()
    if User.objects.filter(email=pending.email).exists():
        raise RegistrationError(
            _("This e-mail address already has an account. Log in with it."),
            code="already_registered",
        )
    user = User(
        email=pending.email,
        password=pending.password,
        full_name=pending.full_name,
        postal_code=pending.postal_code,
        district=district_for_postal_code(pending.postal_code) if pending.postal_code else None,
        preferred_language=pending.preferred_language,
    )
    user.save()
    audit.record(action="accounts.registered", actor=user, target=user)
    return user


@transaction.atomic
def register_resident(*, email, password, full_name, postal_code="", preferred_language="fi"):
    """An account made at once, for the demo and the tests: people register through
    ``request_registration`` and the link it e-mails."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        postal_code=postal_code,
        district=district_for_postal_code(postal_code) if postal_code else None,
        preferred_language=preferred_language,
    )
    audit.record(action="accounts.registered", actor=user, target=user)
    return user


# Profile and roles


@transaction.atomic
def update_profile(*, user, full_name, postal_code, preferred_language):
    """Save what a person tells about themselves; the district follows the postal code."""
    changed = {}
    for field, value in (
        ("full_name", full_name),
        ("postal_code", postal_code),
        ("preferred_language", preferred_language),
    ):
        if getattr(user, field) != value:
            changed[field] = value
            setattr(user, field, value)
    user.district = district_for_postal_code(postal_code) if postal_code else None
    user.save(update_fields=["full_name", "postal_code", "preferred_language", "district"])
    if changed:
        audit.record(
            action="accounts.profile_changed",
            actor=user,
            target=user,
            data={"fields": sorted(changed)},
        )
    return user


def _check_may_grant(actor):
    if not is_city_admin(actor):
        raise AccountError(_("Only a city administrator can change staff roles."), code="forbidden")


@transaction.atomic
def grant_role(*, granted_by, user, role, area=None):
    _check_may_grant(granted_by)
    staff_role, created = StaffRole.objects.get_or_create(user=user, role=role, area=area)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if created:
        audit.record(
            action="accounts.role_granted",
            actor=granted_by,
            target=user,
            data={"role": role, "area": area.slug if area else None},
        )
    return staff_role


@transaction.atomic
def revoke_role(*, revoked_by, staff_role):
    """Take a role away; a person left without roles is no longer staff."""
    _check_may_grant(revoked_by)
    user = User.objects.select_for_update().get(pk=staff_role.user_id)
    area = staff_role.area
    staff_role.delete()
    if user.is_staff and not user.is_superuser and not user.roles.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    audit.record(
        action="accounts.role_revoked",
        actor=revoked_by,
        target=user,
        data={"role": staff_role.role, "area": area.slug if area else None},
    )


@transaction.atomic
def create_account(*, created_by, email, password):
    """An account made by a city administrator in the admin, typically for new staff,
    who then get their roles."""
    user = User.objects.create_user(email=email, password=password)
    audit.record(action="accounts.created", actor=created_by, target=user)
    return user


@transaction.atomic
def set_account_active(*, actor, user, active):
    """Close an account (nobody can log in to it) or open it again."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(
            action="accounts.reopened" if active else "accounts.closed", actor=actor, target=user
        )
    return user


# The second factor


def new_authenticator_key():
    """A fresh secret for an authenticator app, as django-otp stores it (hex)."""
    return secrets.token_hex(20)


def authenticator_device(*, user, key):
    """An unsaved device for ``key``: its QR code and key are shown while setting up."""
    return TOTPDevice(user=user, name=str(_("Authenticator app")), key=key, confirmed=False)


def _time_step_of(key, token):
    """The time step at which ``token`` is a code of ``key``, or None."""
    device = authenticator_device(user=None, key=key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if token.isdigit() and totp.verify(int(token), device.tolerance):
        return totp.t()
    return None


def enrol_authenticator(*, user, key, token, verified_with=None, replace=False):
    """Turn on an authenticator app whose ``key`` was shown to the person and of which they
    typed a current ``token``.

    An account without an app gets its first one this way. Once it has one, another is
    added, or the others replaced (``replace``), only in a session that has passed the
    second factor with one of them (``verified_with``, the device of that session), or
    after a city administrator has reset them. The person's row is locked while the
    devices are counted, so two first enrolments at the same moment make one device.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        existing = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if existing and (verified_with is None or verified_with not in existing):
            raise SecondFactorError(
                _(
                    "This account already has two-step verification. To add or replace an "
                    "authenticator app, first give a code from your current one. If you have "
                    "lost it, ask a city administrator to reset your two-step verification."
                ),
                code="second_factor_needed",
            )
        step = _time_step_of(key, token)
        if step is None:
            raise SecondFactorError(
                _("The code did not match. Check the time on your phone."), code="wrong_code"
            )
        device = authenticator_device(user=user, key=key)
        device.confirmed = True
        device.last_t = step  # the code just typed cannot be used again
        device.save()
        replaced = existing if replace else []
        TOTPDevice.objects.filter(pk__in=[old.pk for old in replaced]).delete()
        # An unconfirmed device verifies nothing; none is kept.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit.record(
            action="accounts.mfa_enrolled",
            actor=user,
            target=user,
            data={"first": not existing, "devices_replaced": len(replaced)},
        )
        notifications.authenticator_added(user, first=not existing, replaced=len(replaced))
    return device


def reset_second_factor(*, actor, user):
    """A city administrator removes every authenticator app of ``user``, who lost theirs:
    the next visit to a staff page sets one up again."""
    if not is_city_admin(actor):
        raise SecondFactorError(
            _("Only a city administrator can reset two-step verification."), code="forbidden"
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
        audit.record(
            action="accounts.mfa_reset", actor=actor, target=user, data={"devices": removed}
        )
        notifications.second_factor_reset(user)
    return removed
