"""Writes for accounts: each function is one business action in one transaction."""

from django.db import transaction

from osallistu.areas.selectors import district_for_postal_code
from osallistu.core import audit

from .models import StaffRole, User


@transaction.atomic
def register_resident(*, email, password, full_name, postal_code="", preferred_language="fi"):
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


@transaction.atomic
def grant_role(*, granted_by, user, role, area=None):
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


def record_mfa_enrolled(*, user):
    audit.record(action="accounts.mfa_enrolled", actor=user, target=user)
