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

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Reach:
    """The feedback one member of staff may moderate and handle: every category (city
    administrators), or categories of their divisions, each of one district (``area``)
    or the whole city (None)."""

    everything: bool = False
    scopes: tuple = ()  # ((category ids…), area id or None)

    @property
    def anything(self):
        return self.everything or bool(self.scopes)

    @property
    def category_ids(self):
        """The categories in reach, or None for all of them."""
        if self.everything:
            return None
        return sorted({pk for categories, _area in self.scopes for pk in categories})

    def condition(self):
        """A filter of Feedback: by category ids, not through a join, so that the
        database can walk an index in the queue's order."""
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        for categories, area_id in self.scopes:
            if area_id is None:
                condition |= Q(service_id__in=categories)
            else:
                condition |= Q(service_id__in=categories, district_id=area_id)
        return condition


def reach(user):
    """The Reach of ``user``: two queries, their role and their divisions' categories."""
    if not _is_staff(user):
        return Reach()
    if is_city_admin(user):
        return Reach(everything=True)
    scopes = {}
    # A division without categories yet still makes its staff members of the desk.
    rows = DivisionMember.objects.filter(user=user).values_list(
        "area_id", "area__kind", "division__categories__id"
    )
    for area_id, area_kind, category_id in rows:
        area = None if area_id is None or area_kind == Area.Kind.CITY else area_id
        categories = scopes.setdefault(area, set())
        if category_id is not None:
            categories.add(category_id)
    return Reach(scopes=tuple((tuple(sorted(ids)), area) for area, ids in scopes.items()))


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
