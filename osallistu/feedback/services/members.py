"""Who handles a division's feedback: city administrators add members of staff to a
division, with the role of feedback handler in a district or in the whole city, and
remove them. The role goes through the accounts services, so that staff status and its
audit entries stay where every other role's are."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from osallistu.accounts import services as accounts
from osallistu.accounts.models import StaffRole
from osallistu.core import audit

from .. import permissions
from ..models import DivisionMember
from .errors import FeedbackError


def add_member(*, added_by, user, division, area=None):
    """``user`` handles the feedback of ``division`` in ``area`` (a district; the whole
    city when None). Adding an existing member gives them the area as well."""
    if not permissions.may_manage_members(added_by):
        raise PermissionDenied("only city administrators manage divisions' members")
    if not user.is_active:
        raise FeedbackError(_("This account is closed."), code="account_closed", field="email")
    with transaction.atomic():
        accounts.grant_role(granted_by=added_by, user=user, role=StaffRole.Role.FEEDBACK, area=area)
        member, created = DivisionMember.objects.get_or_create(division=division, user=user)
        audit.record(
            action="feedback.member_added",
            actor=added_by,
            target=user,
            data={
                "division": division.slug,
                "area": area.slug if area else None,
                "new_member": created,
            },
        )
    return member


def remove_member(*, removed_by, member):
    """Take ``member`` off their division; someone left in no division loses the role of
    feedback handler too (and staff status, when it was their only role)."""
    if not permissions.may_manage_members(removed_by):
        raise PermissionDenied("only city administrators manage divisions' members")
    with transaction.atomic():
        user = member.user
        division = member.division
        member.delete()
        if not DivisionMember.objects.filter(user=user).exists():
            for role in StaffRole.objects.filter(user=user, role=StaffRole.Role.FEEDBACK):
                accounts.revoke_role(revoked_by=removed_by, staff_role=role)
        audit.record(
            action="feedback.member_removed",
            actor=removed_by,
            target=user,
            data={"division": division.slug},
        )
