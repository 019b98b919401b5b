"""Which member of staff may do what in participatory budgeting.

Every staff page first needs a staff account past the second factor
(``staff_member_with_mfa``); these rules then say what the person's roles allow.
A role scoped to a district covers that district; a role for the whole city (no
area, or the city as its area) covers every area. Superusers may do everything.

- City administrators set up rounds and their money, count the votes and publish
  results, and may do everything a coach or a moderator may.
- City coaches run co-creation in their district: they make and edit plans, put
  them on the ballot or withdraw them, and tell residents how funded plans go on.
- City coaches and district moderators decide on proposals and hide comments of
  their district, and record assisted and paper ballots for their district (the
  district the ballot is for, which the voter chooses).
- Reporters and premises managers have no budgeting tools; the turnout they report
  on is public on the results page.
"""

from osallistu.accounts.models import StaffRole

Role = StaffRole.Role


def is_city_admin(user):
    return user.is_superuser or user.has_role(Role.CITY_ADMIN)


def _any_role(user, roles, area=None):
    if not user.is_authenticated or not user.is_staff:
        return False
    if is_city_admin(user):
        return True
    return any(user.has_role(role, area) for role in roles)


def may_manage_rounds(user):
    """Set up rounds, their rules and their money; count and publish results."""
    return user.is_authenticated and user.is_staff and is_city_admin(user)


def may_co_create(user, area=None):
    """Make and edit plans of ``area`` (of some area when None), publish or withdraw them,
    and record their progress."""
    return _any_role(user, [Role.CITY_COACH], area)


def may_moderate(user, area=None):
    """Decide on proposals and hide comments of ``area`` (of some area when None)."""
    return _any_role(user, [Role.CITY_COACH, Role.DISTRICT_MODERATOR], area)


def may_record_ballots(user, district=None):
    """Record assisted and paper ballots for ``district`` (for some district when None)."""
    return _any_role(user, [Role.CITY_COACH, Role.DISTRICT_MODERATOR], district)


def may_use_budgeting_desk(user):
    """See the staff pages of budgeting at all."""
    return may_moderate(user) or may_co_create(user) or may_record_ballots(user)
