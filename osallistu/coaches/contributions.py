"""What budgeting, surveys, initiatives, premises and volunteering show on
district pages and coaches' desks.

These apps were built before (or beside) the district page, so their contributions
are registered here, reading each app only through its selectors (and its permission
rules, so that nobody is shown work they may not open): initiatives' ``coach_queue``
is the desk's "initiatives asking for help". Apps built later register their own from
their ``ready`` (see ``registry``).
"""

from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import registry
from .models import CITY_TZ

SHOWN = 6

# The other apps are imported inside the functions: their models exist only when the
# app is installed, and ``register_all`` registers a contribution only then.


def _local_date(moment):
    return date_format(moment.astimezone(CITY_TZ), "DATE_FORMAT")


# ---------------------------------------------------------------------------- budgeting


def _current_round(now):
    """The round people of a district can do something in: the newest whose voting has
    not ended, else the newest."""
    from osallistu.budgeting import selectors

    rounds = list(selectors.public_rounds()[:5])
    for round in rounds:
        if not round.voting_has_ended(now):
            return round
    return rounds[0] if rounds else None


def budgeting_items(district, now):
    from osallistu.budgeting import selectors

    round = _current_round(now)
    if round is None:
        return []
    items = []
    for plan in selectors.public_plans(round, area=district)[:SHOWN]:
        items.append(
            registry.DistrictItem(
                title=f"{plan.code} {plan.title}",
                url=reverse("budgeting:plan", args=[round.slug, plan.code]),
                detail=_("Plan: %(status)s") % {"status": plan.get_status_display()},
            )
        )
    if len(items) < SHOWN:
        proposals = selectors.public_proposals(round, area=district)[: SHOWN - len(items)]
        for proposal in proposals:
            items.append(
                registry.DistrictItem(
                    title=proposal.title,
                    url=reverse("budgeting:proposal", args=[round.slug, proposal.pk]),
                    detail=_("Proposal: %(status)s") % {"status": proposal.get_status_display()},
                )
            )
    return items


def budgeting_more(district):
    round = _current_round(timezone.now())
    if round is None:
        return reverse("budgeting:rounds")
    return (
        f"{reverse('budgeting:proposals', args=[round.slug])}?{urlencode({'area': district.slug})}"
    )


def proposals_waiting(user, districts, now):
    """Proposals of the coach's districts waiting for review and advice."""
    from osallistu.budgeting import selectors

    round = _current_round(now)
    if round is None:
        return []
    district_ids = set(districts.values_list("pk", flat=True))
    return [
        registry.DeskItem(
            title=proposal.title,
            url=reverse("budgeting:staff_proposals", args=[round.slug]),
            detail=f"{proposal.area.name} · {round.name}",
            waiting_since=proposal.submitted_at,
        )
        for proposal in selectors.proposals_to_decide(round)
        if proposal.area_id in district_ids
    ]


def may_advise_proposals(user):
    from osallistu.budgeting import permissions

    return permissions.may_moderate(user)


# ---------------------------------------------------------------------------- surveys


def surveys_items(district, now):
    from osallistu.surveys import selectors

    items = []
    for survey in selectors.listed_surveys(now).prefetch_related("districts"):
        if not survey.is_open(now):
            continue
        chosen = {area.pk for area in survey.districts.all()}
        if survey.audience == "districts" and district.pk not in chosen:
            continue
        items.append(
            registry.DistrictItem(
                title=survey.title,
                url=reverse("surveys:detail", args=[survey.slug]),
                detail=_("Survey, open until %(day)s") % {"day": _local_date(survey.closes_at)},
            )
        )
    for hearing in selectors.listed_hearings(now):
        if hearing.is_open(now):
            items.append(
                registry.DistrictItem(
                    title=hearing.title,
                    url=reverse("surveys:hearing", args=[hearing.slug]),
                    detail=_("Hearing, open until %(day)s")
                    % {"day": _local_date(hearing.closes_at)},
                )
            )
    return items[: SHOWN * 2]


def surveys_more(district):
    return reverse("surveys:list")


# ---------------------------------------------------------------------------- premises


def premises_items(district, now):
    from osallistu.premises import selectors

    return [
        registry.DistrictItem(
            title=space.name,
            url=reverse("premises:space", args=[space.slug]),
            detail=space.unit.name,
        )
        for space in selectors.searchable_spaces(district=district)[:SHOWN]
    ]


def premises_more(district):
    today = timezone.localtime(timezone.now(), CITY_TZ).date()
    query = urlencode({"district": district.pk, "date": today.isoformat()})
    return f"{reverse('premises:search')}?{query}"


# ---------------------------------------------------------------------------- initiatives


def initiatives_items(district, now):
    """Initiatives of the district that people can support or follow now."""
    from osallistu.initiatives import selectors
    from osallistu.initiatives.models import State

    found = selectors.public_initiatives(area=district).exclude(
        state__in=[State.DECIDED, State.ENDED]
    )
    return [
        registry.DistrictItem(
            title=initiative.title,
            url=reverse("initiatives:detail", args=[initiative.pk]),
            detail=initiative.get_state_display(),
        )
        for initiative in found[:SHOWN]
    ]


def initiatives_more(district):
    return f"{reverse('initiatives:list')}?{urlencode({'area': district.slug})}"


def initiatives_asking_help(user, districts, now):
    """Initiatives assigned to the coach that are still open, then those of their
    districts whose authors asked for help and that have no coach yet
    (``initiatives.selectors.coach_queue``)."""
    from osallistu.initiatives import selectors
    from osallistu.initiatives.models import State

    assigned, waiting = selectors.coach_queue(user)
    items = [
        registry.DeskItem(
            title=initiative.title,
            url=reverse("initiatives:detail", args=[initiative.pk]),
            detail=_("Yours: %(state)s") % {"state": initiative.get_state_display()},
            waiting_since=initiative.help_requested_at,
        )
        for initiative in assigned
        if initiative.state not in (State.DECIDED, State.ENDED)
    ]
    items += [
        registry.DeskItem(
            title=initiative.title,
            url=reverse("initiatives:detail", args=[initiative.pk]),
            detail=_("%(district)s, waiting for a coach") % {"district": initiative.area.name},
            waiting_since=initiative.help_requested_at,
        )
        for initiative in waiting
    ]
    return items


def may_help_initiatives(user):
    from osallistu.initiatives import permissions

    return permissions.is_coach(user)


# ---------------------------------------------------------------------------- volunteering


def volunteering_items(district, now):
    """Opportunities of the district with open shifts coming, soonest first."""
    from osallistu.volunteering import selectors

    return [
        registry.DistrictItem(
            title=result.opportunity.title,
            url=reverse("volunteering:opportunity", args=[result.opportunity.pk]),
            detail=_("Next on %(day)s") % {"day": _local_date(result.next_starts_at)},
        )
        for result in selectors.search(now=now, district=district, limit=SHOWN).results
    ]


def volunteering_more(district):
    return f"{reverse('volunteering:search')}?{urlencode({'district': district.pk})}"


def register_all():
    if apps.is_installed("osallistu.budgeting"):
        registry.register_district_section(
            registry.DistrictSection(
                key="budgeting",
                title=gettext_lazy("Participatory budgeting"),
                items=budgeting_items,
                empty=gettext_lazy("No plans or proposals of this district in the current round."),
                more_url=budgeting_more,
                more_text=gettext_lazy("All proposals of the district"),
                order=10,
            )
        )
        registry.register_desk_source(
            registry.DeskSource(
                key="budgeting_proposals",
                title=gettext_lazy("Proposals waiting for advice"),
                items=proposals_waiting,
                empty=gettext_lazy("No proposal of your districts is waiting."),
                order=40,
                visible_to=may_advise_proposals,
            )
        )
    if apps.is_installed("osallistu.surveys"):
        registry.register_district_section(
            registry.DistrictSection(
                key="surveys",
                title=gettext_lazy("Open surveys and hearings"),
                items=surveys_items,
                empty=gettext_lazy("No survey or hearing for this district is open now."),
                more_url=surveys_more,
                more_text=gettext_lazy("All surveys"),
                order=20,
            )
        )
    if apps.is_installed("osallistu.initiatives"):
        registry.register_district_section(
            registry.DistrictSection(
                key="initiatives",
                title=gettext_lazy("Residents' initiatives"),
                items=initiatives_items,
                empty=gettext_lazy("No open initiative of this district."),
                more_url=initiatives_more,
                more_text=gettext_lazy("All initiatives of the district"),
                order=30,
            )
        )
        registry.register_desk_source(
            registry.DeskSource(
                key="initiatives_help",
                title=gettext_lazy("Initiatives asking for help"),
                items=initiatives_asking_help,
                empty=gettext_lazy("No initiative of your districts is asking for help."),
                order=30,
                visible_to=may_help_initiatives,
            )
        )
    if apps.is_installed("osallistu.volunteering"):
        registry.register_district_section(
            registry.DistrictSection(
                key="volunteering",
                title=gettext_lazy("Volunteering"),
                items=volunteering_items,
                empty=gettext_lazy("No volunteering with open shifts in this district now."),
                more_url=volunteering_more,
                more_text=gettext_lazy("Find volunteering in the district"),
                order=60,
            )
        )
    if apps.is_installed("osallistu.premises"):
        registry.register_district_section(
            registry.DistrictSection(
                key="premises",
                title=gettext_lazy("City premises to book"),
                items=premises_items,
                empty=gettext_lazy("No bookable premises in this district yet."),
                more_url=premises_more,
                more_text=gettext_lazy("Find a free space in the district"),
                order=50,
            )
        )
