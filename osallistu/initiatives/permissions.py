"""Which member of staff may do what with residents' initiatives.

Every staff page first needs a staff account past the second factor
(``staff_member_with_mfa``); these rules then say what the person's roles allow. A
role scoped to a district covers the initiatives of that district; a role for the
whole city (no area, or the city as its area) covers every initiative, city-wide ones
included. Superusers may do everything.

- Registry staff (``StaffRole.Role.REGISTRY``) handle initiatives: register a sent
  one with its diary number, record its division and preparer, its decision and
  attachments, or end it without a decision; set deadlines; assign city coaches; and
  enter paper supports. A batch of paper supports is confirmed by a second member of
  registry staff, never by the person who entered it (the database holds that too).
- City administrators may do all a registry may.
- City coaches help the authors of initiatives: each sees those assigned to them and
  those of their district that asked for help (``may_coach``), drafts included.
- Other roles have no initiative tools; everything public is on the public pages.
"""

from django.db.models import Q

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area

Role = StaffRole.Role


def _staff(user):
    return user.is_authenticated and user.is_staff and user.is_active


def is_city_admin(user):
    return user.is_superuser or user.has_role(Role.CITY_ADMIN)


def may_handle(user, area=None):
    """Handle initiatives of ``area`` (of some area when None): registry staff of it
    and city administrators."""
    if not _staff(user):
        return False
    return is_city_admin(user) or user.has_role(Role.REGISTRY, area)


def handled_areas(user):
    """The areas whose initiatives ``user`` handles: a queryset of Area."""
    if not _staff(user):
        return Area.objects.none()
    if is_city_admin(user):
        return Area.objects.all()
    roles = user.roles.filter(role=Role.REGISTRY)
    if roles.filter(Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY)).exists():
        return Area.objects.all()
    return Area.objects.filter(staff_roles__in=roles)


def is_coach(user, area=None):
    """A city coach (of ``area`` when given)."""
    return _staff(user) and user.has_role(Role.CITY_COACH, area)


def may_coach(user, initiative):
    """Help the authors of ``initiative``: its assigned coach, or a coach of its district
    once the authors asked for help (until then a draft is only its authors')."""
    if not _staff(user):
        return False
    if initiative.coach_id == user.pk and is_coach(user):
        return True
    asked = initiative.help_requested_at is not None
    return asked and not initiative.area.is_city and is_coach(user, initiative.area)


def may_use_initiatives_desk(user):
    """See the staff pages of initiatives at all."""
    return may_handle(user) or is_coach(user)
