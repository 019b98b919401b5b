"""Which member of staff may do what with surveys and hearings.

Every staff page first needs a staff account past the second factor
(``staff_member_with_mfa``); these rules then say what the person's roles allow, and
the services that change something check them again.

Each survey and hearing *reaches* some districts. A survey whose audience is
"residents of the chosen districts" reaches those districts; any other survey reaches
the whole city. A hearing reaches the districts its plan concerns
(``Hearing.districts``), or the whole city when none is chosen. A role reaches its
district, or the whole city when its area is the city or empty.

- City administrators (and superusers) may do everything with every survey and
  hearing.
- District moderators and city coaches build the surveys that reach only their own
  districts, publish and withdraw their results, read their results, breakdowns,
  free-text answers and exports, and moderate the hearings that reach only their own
  districts: hide a comment and show it again, answer officially, see poll results
  while the hearing is open. A survey or hearing for the whole city, or one that
  also reaches another district, is the city administrators'.
- Reporters change nothing. They read the results, breakdowns, free-text answers
  and exports of the surveys whose results the city has published, within their
  reach: they report them to the committees, and the individual answers behind a
  published result are what the city has already chosen to make public in summary.
  They see no draft and no result before it is published, and no hearing moderation
  (hidden comments and reports name residents).
- Premises managers have no survey or hearing tools.
"""

from django.db.models import Q

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area

from .models import Audience, Hearing, Survey

Role = StaffRole.Role

# The roles that run consultations in their districts.
DISTRICT_STAFF = (Role.DISTRICT_MODERATOR, Role.CITY_COACH)
WHOLE_CITY = None


def _is_staff(user):
    return user is not None and user.is_authenticated and user.is_staff


def is_city_admin(user):
    return _is_staff(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN))


def scope(user, roles=DISTRICT_STAFF):
    """The districts that ``user``'s ``roles`` reach: ``WHOLE_CITY`` (None) for city
    administrators and roles of the whole city, otherwise a set of district ids, empty
    when the person has none of the roles."""
    if not _is_staff(user):
        return set()
    if is_city_admin(user):
        return WHOLE_CITY
    areas = set()
    for role in StaffRole.objects.filter(user=user, role__in=roles).select_related("area"):
        if role.area is None or role.area.kind == Area.Kind.CITY:
            return WHOLE_CITY
        areas.add(role.area_id)
    return areas


def reach(consultation):
    """The district ids a survey or hearing reaches, or ``WHOLE_CITY``."""
    if isinstance(consultation, Survey) and consultation.audience != Audience.DISTRICTS:
        return WHOLE_CITY
    districts = {area.pk for area in consultation.districts.all()}
    return districts or WHOLE_CITY


def covers(user_scope, consultation):
    """Does ``user_scope`` (from ``scope``) reach everything ``consultation`` reaches?"""
    if user_scope is WHOLE_CITY:
        return True
    reached = reach(consultation)
    return reached is not WHOLE_CITY and reached <= user_scope


def may_build(user, survey=None):
    """Create surveys (``survey`` None) or build, preview, publish, open, close and copy
    ``survey``."""
    user_scope = scope(user)
    if survey is None:
        return user_scope is WHOLE_CITY or bool(user_scope)
    return covers(user_scope, survey)


def may_publish_results(user, survey):
    """Publish the results of ``survey`` to residents, or withdraw them."""
    return covers(scope(user), survey)


def may_read_results(user, survey):
    """Read the staff results, breakdowns, free-text answers and exports of ``survey``."""
    if covers(scope(user), survey):
        return True
    published = survey.published and survey.results_published
    return published and covers(scope(user, [Role.REPORTER]), survey)


def may_moderate(user, hearing):
    """Hide and show comments of ``hearing``, answer them officially, and see its poll
    results while it is open."""
    return covers(scope(user), hearing)


def may_use_desk(user):
    """See the staff list of surveys and hearings at all."""
    return scope(user) != set() or scope(user, [Role.REPORTER]) != set()


# The same rules as queries, for the staff lists.


def _within(model, user_scope):
    """A filter of the ``model`` rows that ``user_scope`` reaches entirely; never
    ``WHOLE_CITY`` (the callers return every row before asking)."""
    if not user_scope:
        return Q(pk__in=[])
    link = model.districts.through.objects
    outside = link.exclude(area_id__in=user_scope).values(f"{model._meta.model_name}_id")
    reaching = Q(districts__in=user_scope) & ~Q(pk__in=outside)
    if model is Survey:
        reaching &= Q(audience=Audience.DISTRICTS)
    return reaching


def _narrowed(queryset, model, condition):
    # A subquery, so that the join over districts does not repeat rows.
    return queryset.filter(pk__in=model.objects.filter(condition).values("pk"))


def buildable_surveys(user, queryset=None):
    """``queryset`` (every survey) narrowed to those ``user`` may build."""
    queryset = Survey.objects.all() if queryset is None else queryset
    user_scope = scope(user)
    if user_scope is WHOLE_CITY:
        return queryset
    return _narrowed(queryset, Survey, _within(Survey, user_scope))


def readable_surveys(user, queryset=None):
    """``queryset`` (every survey) narrowed to those whose results ``user`` may read."""
    queryset = Survey.objects.all() if queryset is None else queryset
    user_scope = scope(user)
    if user_scope is WHOLE_CITY:
        return queryset
    reporting = scope(user, [Role.REPORTER])
    published = Q(published=True, results_published=True)
    if reporting is WHOLE_CITY:
        return _narrowed(queryset, Survey, _within(Survey, user_scope) | published)
    return _narrowed(
        queryset, Survey, _within(Survey, user_scope) | (published & _within(Survey, reporting))
    )


def moderated_hearings(user, queryset=None):
    """``queryset`` (every hearing) narrowed to those ``user`` may moderate."""
    queryset = Hearing.objects.all() if queryset is None else queryset
    user_scope = scope(user)
    if user_scope is WHOLE_CITY:
        return queryset
    return _narrowed(queryset, Hearing, _within(Hearing, user_scope))
