"""Which member of staff may do what with feedback.

Every staff page first needs a staff account past the second factor
(``staff_member_with_mfa``); these rules then say what the person may do.

- Staff of a division (``DivisionMember``) moderate and handle the feedback of their
  division's categories: of their district, or of the whole city when their
  membership has no area (or the city as its area). Feedback whose district is not
  known (an address only) is reached by whole-city members only.
- City administrators (and superusers) may do all of that for every category, and they
  alone issue and revoke API keys.
- Nobody else has feedback tools; everything public is on the public pages.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area

from .models import DivisionMember

CITY_WIDE = Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY)


def _is_staff(user):
    return user.is_authenticated and user.is_staff


def is_city_admin(user):
    return _is_staff(user) and (user.is_superuser or user.has_role(StaffRole.Role.CITY_ADMIN))


def may_use_feedback_desk(user):
    """See the staff pages of feedback at all."""
    return is_city_admin(user) or (
        _is_staff(user) and DivisionMember.objects.filter(user=user).exists()
    )


def may_issue_api_keys(user):
    return is_city_admin(user)


def reach(user):
    """A filter of the feedback ``user`` may moderate and handle, or None for nothing.
    One query for the person's memberships."""
    if not _is_staff(user):
        return None
    if is_city_admin(user):
        return Q()
    memberships = list(
        DivisionMember.objects.filter(user=user).values_list("division_id", "area_id", "area__kind")
    )
    if not memberships:
        return None
    condition = Q(pk__in=[])
    for division_id, area_id, area_kind in memberships:
        if area_id is None or area_kind == Area.Kind.CITY:
            condition |= Q(service__division_id=division_id)
        else:
            condition |= Q(service__division_id=division_id, district_id=area_id)
    return condition


def may_handle(user, feedback):
    """Moderate and handle ``feedback``: a member of its category's division whose area
    covers its district, or a city administrator."""
    if not _is_staff(user):
        return False
    if is_city_admin(user):
        return True
    members = DivisionMember.objects.filter(user=user, division_id=feedback.service.division_id)
    if feedback.district_id is None:
        return members.filter(CITY_WIDE).exists()
    return members.filter(CITY_WIDE | Q(area_id=feedback.district_id)).exists()


def handlers_for(feedback):
    """Whom ``feedback`` can be assigned to: staff of its division who reach it."""
    reaching = CITY_WIDE if feedback.district_id is None else CITY_WIDE | Q(area=feedback.district)
    user_ids = DivisionMember.objects.filter(
        reaching, division_id=feedback.service.division_id, user__is_staff=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("full_name")
