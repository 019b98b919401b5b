"""Voting: the district, the ballot with its search, filters and map, a plan's page,
plans side by side, checking the choices, casting the ballot and the receipt.

What a voter ticks is saved on their shortlist as they go (``services.update_shortlist``):
with the script on each tick at once, without it whenever they press a button of the
ballot form. So ticks survive a change of filters, a plan's page, and a visit on
another day or device, until the ballot is cast. Thin: services decide, selectors and
``ballot_cache`` read.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.areas.maps import district_map
from osallistu.areas.models import Area

from . import ballot_cache, selectors, services
from .forms import BallotFilterForm, DistrictForm
from .models import Round
from .places import place_drawings
from .services import BallotError
from .services.ballots import plan_id_set
from .views import FIXABLE_BY_IDENTIFYING

# Plans compared side by side: two or three fit a phone's width in turn.
COMPARED = (2, 3)


def _refusal(request, round, participation):
    """The page to show instead of the ballot, or None when this person may vote now."""
    try:
        services.check_voting_open(round)
    except BallotError as error:
        return _render_refusal(request, round, error)
    if participation is not None and not participation.changeable_online(round):
        messages.info(
            request, _("You have already voted in this round. Each person can vote once.")
        )
        return redirect("budgeting:receipt", round.slug)
    try:
        services.check_voter(round=round, voter=request.user)
    except BallotError as error:
        return _render_refusal(request, round, error)
    return None


def _render_refusal(request, round, error):
    context = {
        "round": round,
        "reason": error.message,
        "fixable": error.code in FIXABLE_BY_IDENTIFYING,
    }
    return render(request, "budgeting/refusal.html", context, status=403)


@dataclass
class Voting:
    """The round, its budgets and the district of a ballot page, for a person who may
    vote now."""

    round: Round
    budgets: list
    district: Area
    participation: object

    @property
    def path(self):
        return reverse("budgeting:ballot", args=[self.round.slug, self.district.slug])

    @property
    def ballot_budgets(self):
        """The district's budget, then the city's if the round has one."""
        budgets = [
            b
            for b in self.budgets
            if b.area_id == self.district.pk or b.area.kind == Area.Kind.CITY
        ]
        return sorted(budgets, key=lambda budget: budget.area.is_city)


def _voting(request, slug, district_slug):
    """``(Voting, None)``, or ``(None, the refusal)``; 404 for a round that does not exist
    or a district without money in it."""
    round = get_object_or_404(Round, slug=slug)
    budgets = selectors.round_budgets(round)
    for budget in budgets:
        if budget.area.slug == district_slug and budget.area.kind == Area.Kind.DISTRICT:
            participation = selectors.participation_of(round, request.user)
            if refusal := _refusal(request, round, participation):
                return None, refusal
            return Voting(round, budgets, budget.area, participation), None
    raise Http404


@login_required
@require_safe
def choose_district(request, slug):
    round = get_object_or_404(Round, slug=slug)
    if refusal := _refusal(request, round, selectors.participation_of(round, request.user)):
        return refusal
    form = DistrictForm(
        request.GET or None,
        districts=selectors.ballot_districts(round),
        home=request.user.district,
    )
    if form.is_valid():
        return redirect("budgeting:ballot", round.slug, form.cleaned_data["district"].slug)
    return render(request, "budgeting/choose_district.html", {"round": round, "form": form})


@dataclass
class BallotPart:
    """One area's part of the ballot page: its money, the plans shown, and what the
    voter has chosen of them, shown or not."""

    budget: object
    plans: list  # ballot_cache.ListedPlan shown
    total: int  # plans of the area on the ballot
    chosen_cost: int
    hidden_chosen_cost: int  # of chosen plans the filters hide

    @property
    def left(self):
        return self.budget.amount - self.chosen_cost

    @property
    def over(self):
        return self.left < 0

    @property
    def overspent(self):
        return -self.left


class PlanMap:
    """The map of the district with a mark for each shown plan that has a place, each a
    link to the plan's page. Drawn only when the page's cached map is missing."""

    def __init__(self, district, plans, link):
        self.district, self.plans, self.link = district, plans, link

    @cached_property
    def drawing(self):
        base = district_map(self.district.slug)
        frame = base.frame
        marks, unplaced = [], 0
        for plan in self.plans:
            inside = [(lon, lat) for lon, lat in plan.points if base.contains(lon, lat)]
            if not inside:
                unplaced += 1
                continue
            url = self.link(plan)
            if plan.is_area:
                marks.append({"plan": plan, "url": url, "d": frame.path(plan.points)})
                continue
            for lon, lat in inside:
                x, y = frame.xy(lon, lat)
                marks.append({"plan": plan, "url": url, "x": x, "y": y})
        return {"map": base, "marks": marks, "plans": len(self.plans) - unplaced}


def _ballot_page(request, voting, *, filter_data, error="", status=200):
    round, district = voting.round, voting.district
    version = ballot_cache.current_version()
    listing = ballot_cache.listing(round=round, district=district, version=version)
    filters = BallotFilterForm(filter_data or None, neighbourhoods=listing.neighbourhoods)
    chosen = selectors.shortlist_of(round, request.user)
    shown = filters.apply(listing.plans, chosen)
    shown_ids = {plan.pk for plan in shown}
    parts = []
    for budget in voting.ballot_budgets:
        plans = [plan for plan in listing.plans if plan.area_id == budget.area_id]
        parts.append(
            BallotPart(
                budget=budget,
                plans=[plan for plan in shown if plan.area_id == budget.area_id],
                total=len(plans),
                chosen_cost=sum(plan.cost for plan in plans if plan.pk in chosen),
                hidden_chosen_cost=sum(
                    plan.cost for plan in plans if plan.pk in chosen and plan.pk not in shown_ids
                ),
            )
        )
    query = filters.query()
    values = filters.values()
    suffix = f"?{query}" if query else ""
    path = voting.path
    return render(
        request,
        "budgeting/ballot.html",
        {
            "round": round,
            "district": district,
            "parts": parts,
            "chosen": chosen,
            "chosen_here": len(chosen & {plan.pk for plan in listing.plans}),
            "elsewhere": len(chosen - {plan.pk for plan in listing.plans}),
            "filter_form": filters,
            "filters_used": len(values),
            "query": query,
            "query_suffix": suffix,
            "ballot_path": path,
            "shown_count": len(shown),
            "total_count": len(listing.plans),
            "plan_map": PlanMap(district, shown, lambda plan: f"{plan.page}{suffix}"),
            # The map is kept per filters, except for a search (too many to keep) and for
            # "only mine" (the voter's own).
            "map_cached": not (values.get("q") or values.get("mine")),
            "version": version,
            "language": get_language(),
            "error": error,
            "changing": voting.participation is not None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, slug, district):
    voting, refusal = _voting(request, slug, district)
    if refusal:
        return refusal
    if request.method == "GET":
        return _ballot_page(request, voting, filter_data=request.GET)
    return _ballot_post(request, voting)


def _posted_filters(data):
    """The ballot filters posted with the form, as the query string of the page to go
    to; the page checks them."""
    return urlencode([(name, data[name]) for name in BallotFilterForm.NAMES if data.get(name)])


def _ballot_post(request, voting):
    """Save the ticks of the plans shown, then do what the button says: show the plans
    with other filters or all of them, compare marked plans, or check the choices (the
    default, also for a client that posts a whole ballot)."""
    round, district = voting.round, voting.district
    listing = ballot_cache.listing(round=round, district=district)
    on_page = {plan.pk: plan for plan in listing.plans}
    names = {plan.field_name for plan in listing.plans} | {
        f"plans_{budget.area.slug}" for budget in voting.ballot_budgets
    }
    if "change" in request.POST:  # back from the review page
        ticked = plan_id_set(request.POST.getlist("plans"))
    else:
        ticked = plan_id_set(value for name in names for value in request.POST.getlist(name))
    # The plans the page listed, one "shown" each; a client that posts a whole ballot
    # sends no list.
    listed = "listed" in request.POST
    shown = plan_id_set(request.POST.getlist("shown")) if listed else set(on_page)
    query = _posted_filters(request.POST)
    if shown is None:
        return _ballot_page(
            request,
            voting,
            filter_data=request.POST,
            error=_("Something went wrong with your choices. Please choose again."),
        )
    # An id that is no number the database could hold names no plan of this ballot.
    if ticked is None or any(plan_id not in on_page for plan_id in ticked):
        return _ballot_page(
            request,
            voting,
            filter_data=request.POST,
            error=_("A plan you chose is not on this ballot."),
        )
    try:
        chosen = services.update_shortlist(
            round=round,
            voter=request.user,
            shown=shown,
            chosen=ticked,
        )
    except BallotError as error:
        return _ballot_page(request, voting, filter_data=request.POST, error=error.message)
    if "show_all" in request.POST:  # a button, not a link, so that the ticks are saved
        return redirect(voting.path)
    if "change" in request.POST or "show" in request.POST or "save" in request.POST:
        if "save" in request.POST:
            messages.success(request, _("Your choices are saved."))
        return redirect(f"{voting.path}?{query}" if query else voting.path)
    if "compare" in request.POST:
        marked = _ordered_ids(request.POST.getlist("mark"))
        if marked is None or not COMPARED[0] <= len(marked) <= COMPARED[-1]:
            messages.error(request, _("Mark two or three plans to compare them."))
            return redirect(f"{voting.path}?{query}" if query else voting.path)
        return redirect(_compare_url(voting, marked, query))
    try:
        checked = services.check_ballot(
            round=round,
            district=district,
            plan_ids=[plan_id for plan_id in chosen if plan_id in on_page],
            budgets=voting.budgets,
        )
    except BallotError as error:
        return _ballot_page(request, voting, filter_data=request.POST, error=error.message)
    return render(
        request,
        "budgeting/review.html",
        {"round": round, "district": district, "ballot": checked},
    )


def _ordered_ids(values):
    """Plan ids as given, each once, or None if one is not an id."""
    if plan_id_set(values) is None:
        return None
    return list(dict.fromkeys(int(value) for value in values))


def _compare_url(voting, plan_ids, query):
    compared = urlencode([("plans", plan_id) for plan_id in plan_ids])
    return f"{voting.path}compare/?{compared}" + (f"&{query}" if query else "")


@login_required
@require_POST
def choose(request, slug, district):
    """Tick or untick one plan: from the script on the ballot page (answered in JSON), or
    from a plan's page or the comparison (answered by going back there)."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    voting, refusal = _voting(request, slug, district)
    if refusal:
        if wants_json:
            return JsonResponse(
                {"message": _("Your choice could not be saved. Please load the page again.")},
                status=409,
            )
        return refusal
    plan_id = request.POST.get("plan", "")
    chosen = request.POST.get("chosen") == "1"
    try:
        services.update_shortlist(
            round=voting.round,
            voter=request.user,
            shown=[plan_id],
            chosen=[plan_id] if chosen else [],
        )
    except BallotError as error:
        if wants_json:
            return JsonResponse({"message": error.message}, status=400)
        messages.error(request, error.message)
    else:
        if wants_json:
            return JsonResponse({"plan": int(plan_id), "chosen": chosen})
        listed = {
            str(plan.pk): plan
            for plan in ballot_cache.listing(round=voting.round, district=voting.district).plans
        }
        plan = listed.get(plan_id)
        if plan is not None:
            messages.success(
                request,
                (
                    _("%(code)s %(title)s is among your choices.")
                    if chosen
                    else _("%(code)s %(title)s is no longer among your choices.")
                )
                % {"code": plan.code, "title": plan.title},
            )
    return redirect(_back(request, voting))


def _back(request, voting):
    """Where a tick made on a plan's page or the comparison goes back to, with the
    ballot's filters."""
    query = _posted_filters(request.POST)
    suffix = f"?{query}" if query else ""
    back = request.POST.get("back")
    if back == "compare":
        marked = _ordered_ids(request.POST.getlist("compared"))
        if marked:
            return _compare_url(voting, marked, query)
    code = request.POST.get("code", "")
    if back == "plan" and code.replace("-", "").isalnum():
        return f"{voting.path}plans/{code}/{suffix}"
    plan_id = request.POST.get("plan", "")
    anchor = f"#plan-{plan_id}-item" if plan_id.isdigit() else ""
    return f"{voting.path}{suffix}{anchor}"


def _filters_of(request, voting):
    """The ballot's filters that a plan's page or the comparison carries back."""
    listing = ballot_cache.listing(round=voting.round, district=voting.district)
    return BallotFilterForm(request.GET or None, neighbourhoods=listing.neighbourhoods)


@login_required
@require_safe
def ballot_plan(request, slug, district, code):
    """A plan of the ballot in full: its pictures, place, neighbourhood, cost and the
    proposals it came from, and a button to choose it or take it off the choices."""
    voting, refusal = _voting(request, slug, district)
    if refusal:
        return refusal
    plan = selectors.plan_on_ballot(voting.round, voting.district, code)
    if plan is None:
        raise Http404
    filters = _filters_of(request, voting)
    return render(
        request,
        "budgeting/ballot_plan.html",
        {
            "round": voting.round,
            "district": voting.district,
            "plan": plan,
            "images": list(plan.images.all()),
            "proposals": list(plan.proposals.all()),
            "drawing": place_drawings([plan]).get(plan.pk),
            "chosen": plan.pk in selectors.shortlist_of(voting.round, request.user),
            "ballot_path": voting.path,
            "query": filters.query(),
            "filters": filters.values(),
        },
    )


@login_required
@require_safe
def compare(request, slug, district):
    """Two or three plans side by side: cost, place, what each does."""
    voting, refusal = _voting(request, slug, district)
    if refusal:
        return refusal
    filters = _filters_of(request, voting)
    query = filters.query()
    marked = _ordered_ids(request.GET.getlist("plans"))
    if marked is None or not COMPARED[0] <= len(marked) <= COMPARED[-1]:
        messages.error(request, _("Mark two or three plans to compare them."))
        return redirect(f"{voting.path}?{query}" if query else voting.path)
    plans = selectors.plans_to_compare(voting.round, voting.district, marked)
    if len(plans) != len(marked):
        raise Http404
    chosen = selectors.shortlist_of(voting.round, request.user)
    drawings = place_drawings(plans)
    return render(
        request,
        "budgeting/compare.html",
        {
            "round": voting.round,
            "district": voting.district,
            "plans": [
                {
                    "plan": plan,
                    "chosen": plan.pk in chosen,
                    "image": next(iter(plan.images.all()), None),
                    "drawing": drawings.get(plan.pk),
                }
                for plan in plans
            ],
            "compared": marked,
            "ballot_path": voting.path,
            "query": query,
            "filters": filters.values(),
        },
    )


@login_required
@require_POST
def cast(request, slug, district):
    round = get_object_or_404(Round, slug=slug)
    # Not the budgets: the service reads them in the ballot's transaction.
    district = get_object_or_404(selectors.ballot_districts(round), slug=district)
    try:
        services.cast_ballot(
            round=round,
            voter=request.user,
            district=district,
            plan_ids=request.POST.getlist("plans"),
            email_choices=request.POST.get("email_choices") == "on",
        )
    except BallotError as error:
        messages.error(request, error.message)
        if error.code != "already_voted":
            return redirect("budgeting:ballot", round.slug, district.slug)
    return redirect("budgeting:receipt", round.slug)


@login_required
@require_safe
def receipt(request, slug):
    round = get_object_or_404(Round, slug=slug)
    participation = selectors.participation_of(round, request.user)
    if participation is None:
        return redirect("budgeting:round", round.slug)
    return render(
        request,
        "budgeting/receipt.html",
        {
            "round": round,
            "participation": participation,
            "can_change": participation.changeable_online(round) and round.voting_is_open(),
        },
    )
