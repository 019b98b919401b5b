"""Which member of staff may do what with coaches' work.

Every staff page first needs a staff account past the second factor
(``staff_member_with_mfa``); these rules then say what the person's roles allow, by
role AND district. A role scoped to a district covers that district; a role for the
whole city (no area, or the city as its area) covers every district. City
administrators may do everything a coach may; superusers everything.

- City coaches (``CITY_COACH``) handle the contact requests and appointments of
  residents of their districts; business coaches (``BUSINESS_COACH``) those of
  companies. A coach sees a request of another district only once it is handed to
  them (``assigned_to``).
- A coach keeps their own office hours and exceptions.
- Coaches of either kind publish events of their districts; only a city-wide role
  publishes city-wide events.
- Business coaches log contacts with companies. They, city administrators and
  reporters see how many companies were reached; city administrators and reporters see
  every coach's activity, a coach their own.
"""

from django.db.models import Q

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area

from .models import CoachKind

Role = StaffRole.Role
ROLE_OF_KIND = {CoachKind.CITY: Role.CITY_COACH, CoachKind.BUSINESS: Role.BUSINESS_COACH}
COACH_ROLES = (Role.CITY_COACH, Role.BUSINESS_COACH)


def _staff(user):
    return user.is_authenticated and user.is_staff and user.is_active


def is_city_admin(user):
    return _staff(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN))


def coach_kinds(user):
    """The kinds of coach ``user`` is, by their roles."""
    if not _staff(user):
        return set()
    roles = set(user.roles.filter(role__in=COACH_ROLES).values_list("role", flat=True))
    return {kind for kind, role in ROLE_OF_KIND.items() if role in roles}


def coached_districts(user, kind=None):
    """The districts ``user`` coaches (of ``kind``, or of either kind when None)."""
    if not _staff(user):
        return Area.objects.none()
    roles = user.roles.filter(
        role__in=[ROLE_OF_KIND[kind]] if kind else COACH_ROLES,
    )
    if roles.filter(Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY)).exists():
        return Area.objects.districts()
    return Area.objects.districts().filter(pk__in=roles.values("area"))


def may_use_desk(user):
    """See the coach's desk at all."""
    return is_city_admin(user) or bool(coach_kinds(user))


def may_coach(user, district, kind):
    """Handle ``kind`` requests and appointments of ``district``."""
    if not _staff(user):
        return False
    return is_city_admin(user) or user.has_role(ROLE_OF_KIND[kind], district)


def visible_requests_filter(user):
    """A filter on ``ContactRequest`` for the requests ``user`` may see and handle:
    those of the districts they coach (of their kind) and those handed to them."""
    if is_city_admin(user):
        return Q()
    if not _staff(user):
        return Q(pk__in=[])
    condition = Q(assigned_to=user)
    for kind in coach_kinds(user):
        condition |= Q(kind=kind, district__in=coached_districts(user, kind))
    return condition


def may_handle_request(user, request):
    if not _staff(user):
        return False
    if is_city_admin(user) or request.assigned_to_id == user.pk:
        return True
    return user.has_role(ROLE_OF_KIND[request.kind], request.district)


def may_handle_appointment(user, appointment):
    """The appointment's coach, the coaches of its kind and district, city admins."""
    if not _staff(user):
        return False
    if appointment.coach_id == user.pk or is_city_admin(user):
        return True
    return user.has_role(ROLE_OF_KIND[appointment.coach_kind], appointment.district)


def may_keep_hours(user, coach):
    """Keep ``coach``'s office hours and exceptions: the coach themselves, while they
    hold a coach role, or a city administrator."""
    if is_city_admin(user):
        return True
    return _staff(user) and user.pk == coach.pk and bool(coach_kinds(user))


def coaches_whole_city(user):
    """Does ``user`` hold a coach role for the whole city (not one district)?"""
    return _staff(user) and (
        user.roles.filter(
            Q(area__isnull=True) | Q(area__kind=Area.Kind.CITY), role__in=COACH_ROLES
        ).exists()
    )


def may_publish_event(user, district):
    """Publish an event of ``district`` (the city for a city-wide one)."""
    if not _staff(user):
        return False
    if is_city_admin(user):
        return True
    if district.is_city:
        return coaches_whole_city(user)
    return any(user.has_role(role, district) for role in COACH_ROLES)


def may_manage_event(user, event):
    """Edit, cancel and see the sign-ups of ``event``: whoever may publish events of its
    district."""
    return may_publish_event(user, event.district)


def may_log_company_contacts(user):
    return is_city_admin(user) or CoachKind.BUSINESS in coach_kinds(user)


def may_see_company_report(user):
    return may_log_company_contacts(user) or is_reporter(user)


def is_reporter(user):
    return _staff(user) and user.has_role(Role.REPORTER)


def may_see_everyones_activity(user):
    """The activity of every coach: city administrators and reporters."""
    return is_city_admin(user) or is_reporter(user)


def may_see_activity(user):
    """Everyone's activity, or a coach their own."""
    return may_see_everyones_activity(user) or may_use_desk(user)


def reports_without_desk(user):
    """Reporters who are not coaches reach the activity from the staff desk (coaches
    and city administrators from the coach's desk)."""
    return is_reporter(user) and not may_use_desk(user)
