"""Who may do what in volunteering.

Residents who represent an organiser are not staff: an organiser's **members** manage
its opportunities, shifts, sign-ups, messages and hours, and nothing of another
organiser (``may_manage_organiser``). A member of an organiser still waiting for
verification prepares drafts; nothing is published until staff have verified it.

Staff pages need a staff account past the second factor (``staff_member_with_mfa``);
these rules then say what the person's roles allow. A role scoped to a district covers
that district; a role of the whole city (no area, or the city) covers every district.

- **Verifying organisers** (and refusing them with a reason) is a decision about who
  may speak to residents in the city's service. City administrators verify any
  organiser. City coaches verify the organisers based in their own district: they
  know the district's associations and build its networks. An organiser of the
  whole city (no home district) is the city administrators'.
- **Approving residents' talkoot** (or refusing them with a reason) is a decision
  about a place in a district on some days, as the park clean-up service makes it.
  District moderators and city coaches decide on the talkoot of their district; city
  administrators on every district's.
- **Figures** for monitoring: city administrators and reporters, who report them to
  the committees.
- Premises managers, service point staff and registry staff have no volunteering
  tools.
"""

from osallistu.accounts.models import StaffRole

from .models import OrganiserMember

Role = StaffRole.Role

VERIFIERS = (Role.CITY_COACH,)
TALKOOT_DECIDERS = (Role.DISTRICT_MODERATOR, Role.CITY_COACH)


def _is_staff(user):
    return user is not None and user.is_authenticated and user.is_staff


def is_city_admin(user):
    return _is_staff(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN))


def _covers(user, roles, district):
    """Does one of ``user``'s ``roles`` cover ``district`` (some district when None)?"""
    if not _is_staff(user):
        return False
    if is_city_admin(user):
        return True
    return any(user.has_role(role, district) for role in roles)


def may_verify_organisers(user):
    """See the organisers waiting for verification at all."""
    return _covers(user, VERIFIERS, None)


def may_verify(user, organiser):
    if organiser.district_id is None:
        return is_city_admin(user)
    return _covers(user, VERIFIERS, organiser.district)


def may_decide_talkoot(user, district=None):
    """Approve or refuse the talkoot of ``district`` (of some district when None)."""
    return _covers(user, TALKOOT_DECIDERS, district)


def may_see_figures(user):
    return is_city_admin(user) or (_is_staff(user) and user.has_role(Role.REPORTER))


def may_use_desk(user):
    return may_verify_organisers(user) or may_decide_talkoot(user) or may_see_figures(user)


def verifier_district_ids(user):
    """District ids whose organisers ``user`` may verify; None for every organiser."""
    if is_city_admin(user):
        return None
    return _district_ids(user, VERIFIERS)


def talkoot_district_ids(user):
    """District ids whose talkoot ``user`` may decide on; None for every district."""
    if is_city_admin(user):
        return None
    return _district_ids(user, TALKOOT_DECIDERS)


def _district_ids(user, roles):
    if not _is_staff(user):
        return set()
    ids = set()
    for role in StaffRole.objects.filter(user=user, role__in=roles).select_related("area"):
        if role.area is None or role.area.is_city:
            return None
        ids.add(role.area_id)
    return ids


def may_manage_organiser(user, organiser):
    """Is ``user`` a member of ``organiser``, who manages its opportunities?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return OrganiserMember.objects.filter(organiser=organiser, user=user).exists()
