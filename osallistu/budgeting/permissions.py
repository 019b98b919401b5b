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
  their district.
- Service point staff and city coaches record assisted ballots and paper votes, and
  enter and reconcile batches of paper ballots, for their district: for residents who
  live there and ballots of that district (a city-wide role: everywhere). City
  administrators do not: whoever sets up a round and publishes its results does not
  also make its ballots. Each such ballot needs a second person as well
  (``services.ballots.check_second_person``).
- Reporters and premises managers have no budgeting tools; the turnout they report
  on is public on the results page.
"""

from django.db.models import Q

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area

Role = StaffRole.Role


def is_city_admin(user):
    return user.is_superuser or user.has_role(Role.CITY_ADMIN)


def _any_role(user, roles, area=None, *, city_admins=True):
    if not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser or (city_admins and is_city_admin(user)):
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


BALLOT_RECORDERS = (Role.SERVICE_POINT, Role.CITY_COACH)


def may_record_ballots(user, district=None):
    """Record assisted ballots and paper votes, and enter paper ballots, of ``district``
    (of some district when None)."""
    return _any_role(user, BALLOT_RECORDERS, district, city_admins=False)


def may_record_ballots_for(user, voter):
    """Record the ballot of ``voter``: a resident of a district the user's roles reach.
    Only a city-wide role reaches a person whose home district is not known."""
    if voter.district_id is not None:
        return may_record_ballots(user, voter.district)
    if not user.is_authenticated or not user.is_staff:
        return False
    city_wide = Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY)
    return user.is_superuser or user.roles.filter(city_wide, role__in=BALLOT_RECORDERS).exists()


def may_use_budgeting_desk(user):
    """See the staff pages of budgeting at all."""
    return may_moderate(user) or may_co_create(user) or may_record_ballots(user)
