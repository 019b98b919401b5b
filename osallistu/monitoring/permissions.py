"""Who may see monitoring's staff figures and write its plans and reports.

The public dashboard is for everyone. Staff pages need a staff account past the second
factor (``staff_member_with_mfa``) and then one of these roles:

- Reporters and city administrators see the staff figures (small cells shown) of the
  areas their role covers (a city-wide role: the whole city and every district); city
  coaches those of their district, to know where to go.
- Reporters and city administrators of the whole city keep the divisions'
  participation plans, write the staff commentary of committee reports and have
  reports made.
"""

from django.db.models import Q

from osallistu.accounts.models import StaffRole

Role = StaffRole.Role
FIGURE_ROLES = (Role.REPORTER, Role.CITY_ADMIN, Role.CITY_COACH)
REPORT_ROLES = (Role.REPORTER, Role.CITY_ADMIN)


def _staff(user):
    return user.is_authenticated and user.is_staff


def may_see_staff_figures(user, district=None):
    """Staff figures of ``district`` (of the whole city when None)."""
    if not _staff(user):
        return False
    if user.is_superuser:
        return True
    if district is None:
        return citywide(user, FIGURE_ROLES)
    return any(user.has_role(role, district) for role in FIGURE_ROLES)


def may_use_monitoring_desk(user):
    """Some staff figures, of some area: the door on the staff desk."""
    return _staff(user) and (user.is_superuser or user.roles.filter(role__in=FIGURE_ROLES).exists())


def may_manage_reports(user):
    """Plans, commentary and committee reports: city-wide reporters and administrators."""
    if not _staff(user):
        return False
    return user.is_superuser or citywide(user, REPORT_ROLES)


def citywide(user, roles):
    """One of ``roles`` for the whole city (no area, or the city as its area)."""
    return (
        user.roles.filter(role__in=roles)
        .filter(Q(area__isnull=True) | Q(area__kind="city"))
        .exists()
    )
