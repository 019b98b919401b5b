"""Which member of staff may do what with feedback.

Every staff page first needs a staff account past the second factor
(``staff_member_with_mfa``); these rules then say what the person may do. As elsewhere
in the project, each check is of a role AND a district:

- A feedback handler (``StaffRole.Role.FEEDBACK``) who is a member of a division
  (``DivisionMember``) moderates and handles the feedback of that division's categories
  in the district of their role, or everywhere when the role is city-wide. Feedback
  whose district is not known (an address only) is reached by city-wide roles only.
- City administrators (and superusers) may do all of that for every category, and they
  alone issue API keys and add or remove the members of divisions.
- Nobody else has feedback tools; everything public is on the public pages.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area

from .models import DivisionMember

FEEDBACK = StaffRole.Role.FEEDBACK
CITY_WIDE = Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY)


def _is_staff(user):
    return user.is_authenticated and user.is_staff


def is_city_admin(user):
    return _is_staff(user) and (user.is_superuser or user.has_role(StaffRole.Role.CITY_ADMIN))


def may_use_feedback_desk(user):
    """See the staff pages of feedback at all."""
    return reach(user).anything


def may_issue_api_keys(user):
    return is_city_admin(user)


def may_manage_members(user):
    """Add and remove the members of divisions."""
    return is_city_admin(user)


@dataclass(frozen=True)
class Reach:
    """The feedback one member of staff may moderate and handle: every category (city
    administrators), or the categories of their divisions in the districts of their
    roles (``areas``: district ids, or None for the whole city)."""

    everything: bool = False
    category_ids: tuple = ()
    areas: tuple | None = ()
    member: bool = False

    @property
    def anything(self):
        """Whether the person has the feedback desk at all: a city administrator, or a
        handler who is a member of a division (which may have no categories yet)."""
        return self.everything or (self.member and self.areas != ())

    def condition(self):
        """A filter of Feedback: by category ids, not through a join, so that the
        database can walk an index in the queue's order."""
        if self.everything:
            return Q()
        if not self.anything:
            return Q(pk__in=[])
        condition = Q(service_id__in=self.category_ids)
        if self.areas is not None:
            condition &= Q(district_id__in=self.areas)
        return condition

    @property
    def categories(self):
        """The category ids in reach, or None for all of them."""
        return None if self.everything else self.category_ids


def reach(user):
    """The Reach of ``user``: their roles, and their divisions' categories."""
    if not _is_staff(user):
        return Reach()
    if is_city_admin(user):
        return Reach(everything=True)
    areas = set()
    city_wide = False
    for area_id, kind in user.roles.filter(role=FEEDBACK).values_list("area_id", "area__kind"):
        if area_id is None or kind == Area.Kind.CITY:
            city_wide = True
        else:
            areas.add(area_id)
    # One row per membership and category; a division without categories gives None.
    rows = list(
        DivisionMember.objects.filter(user=user).values_list("division__feedback_categories__id")
    )
    categories = {category_id for (category_id,) in rows if category_id is not None}
    return Reach(
        category_ids=tuple(sorted(categories)),
        areas=None if city_wide else tuple(sorted(areas)),
        member=bool(rows),
    )


def _covering(district_id):
    """Roles that reach feedback of ``district_id``: city-wide ones, and those of the
    district when it is known."""
    return CITY_WIDE if district_id is None else CITY_WIDE | Q(area_id=district_id)


def may_handle(user, feedback):
    """Moderate and handle ``feedback``: a handler of its district (or the whole city)
    and a member of its category's division, or a city administrator."""
    if not _is_staff(user):
        return False
    if is_city_admin(user):
        return True
    return (
        user.roles.filter(_covering(feedback.district_id), role=FEEDBACK).exists()
        and DivisionMember.objects.filter(
            user=user, division_id=feedback.service.division_id
        ).exists()
    )


def handlers_for(feedback):
    """Whom ``feedback`` can be assigned to: handlers of its division who reach it."""
    role_holders = StaffRole.objects.filter(_covering(feedback.district_id), role=FEEDBACK)
    members = DivisionMember.objects.filter(division_id=feedback.service.division_id)
    return (
        get_user_model()
        .objects.filter(
            pk__in=role_holders.values("user_id"),
            is_staff=True,
            is_active=True,
        )
        .filter(pk__in=members.values("user_id"))
        .order_by("full_name", "email")
    )
