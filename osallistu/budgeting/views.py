"""Pages of participatory budgeting. Thin: services decide, selectors read."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.accounts.decorators import staff_member_with_mfa
from osallistu.identity.eligibility import check_eligibility

from . import results, selectors, services
from .forms import (
    BallotForm,
    DistrictForm,
    PlanFilterForm,
    PlanFromProposalsForm,
    PlanProgressForm,
    ProposalDecisionForm,
    ProposalForm,
    StaffBallotForm,
    VoterSearchForm,
)
from .models import Round, Tally
from .services import BallotError, ProgressError, ProposalError, RoundLocked, TallyError

# Refusals that the person can fix by proving who they are.
FIXABLE_BY_IDENTIFYING = {"not_verified", "not_resident", "birth_date_unknown"}


@require_safe
def round_list(request):
    return render(request, "budgeting/round_list.html", {"rounds": selectors.public_rounds()})


@require_safe
def round_detail(request, slug):
    round = get_object_or_404(Round, slug=slug)
    eligibility = None
    if request.user.is_authenticated and round.voting_is_open():
        eligibility = check_eligibility(
            request.user,
            on_date=round.last_voting_day,
            minimum_age=round.minimum_voting_age,
            age_counted=round.age_rule,
        )
    return render(
        request,
        "budgeting/round_detail.html",
        {
            "round": round,
            "budgets": selectors.round_budgets(round),
            "participation": selectors.participation_of(round, request.user),
            "eligibility": eligibility,
            "fixable": eligibility is not None and eligibility.code in FIXABLE_BY_IDENTIFYING,
        },
    )


@require_safe
def plan_list(request, slug):
    round = get_object_or_404(Round, slug=slug)
    form = PlanFilterForm(request.GET or None, areas=selectors.budget_areas(round))
    filters = form.cleaned_data if form.is_valid() else {}
    plans = selectors.public_plans(round, area=filters.get("area"), theme=filters.get("theme"))
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budgeting/plan_list.html",
        {"round": round, "form": form, "page": page, "query": query.urlencode()},
    )


@require_safe
def plan_detail(request, slug, code):
    round = get_object_or_404(Round, slug=slug)
    plan = get_object_or_404(selectors.public_plans(round), code=code)
    return render(
        request,
        "budgeting/plan_detail.html",
        {"round": round, "plan": plan, "updates": selectors.plan_updates(plan)},
    )


@require_safe
def implementation(request, slug):
    """How the funded plans are being carried out."""
    round = get_object_or_404(Round, slug=slug)
    return render(
        request,
        "budgeting/implementation.html",
        {"round": round, "plans": selectors.funded_plans(round)},
    )


# Proposals


@require_safe
def proposal_list(request, slug):
    round = get_object_or_404(Round, slug=slug)
    form = PlanFilterForm(request.GET or None, areas=selectors.budget_areas(round))
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = selectors.public_proposals(
        round, area=filters.get("area"), theme=filters.get("theme")
    )
    page = Paginator(proposals, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budgeting/proposal_list.html",
        {"round": round, "form": form, "page": page, "query": query.urlencode()},
    )


@require_safe
def proposal_detail(request, slug, pk):
    round = get_object_or_404(Round, slug=slug)
    proposal = get_object_or_404(selectors.public_proposals(round), pk=pk)
    return render(request, "budgeting/proposal_detail.html", {"round": round, "proposal": proposal})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request, slug):
    round = get_object_or_404(Round, slug=slug)
    if not round.proposals_open():
        return render(
            request,
            "budgeting/refusal.html",
            {
                "round": round,
                "heading": _("You cannot make a proposal now"),
                "reason": _("This round does not take proposals now."),
            },
            status=403,
        )
    form = ProposalForm(request.POST or None, areas=selectors.budget_areas(round))
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(
                round=round, author=request.user, language=get_language(), **form.cleaned_data
            )
        except ProposalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you! Your proposal is sent."))
            return redirect("budgeting:proposal", round.slug, proposal.pk)
    return render(request, "budgeting/proposal_new.html", {"round": round, "form": form})


def _refusal(request, round):
    """The page to show instead of the ballot, or None when this person may vote now."""
    try:
        services.check_voting_open(round)
    except BallotError as error:
        return _render_refusal(request, round, error)
    participation = selectors.participation_of(round, request.user)
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


def _district_of(round, slug):
    district = selectors.ballot_districts(round).filter(slug=slug).first()
    if district is None:
        raise Http404
    return district


def _ballot_parts(round, district):
    """``[(budget, plans)]``: the district's part, then the city-wide part if any."""
    plans = selectors.ballot_plans(round, district)
    parts = []
    for budget in selectors.round_budgets(round):
        if budget.area_id == district.pk or budget.area.is_city:
            parts.append((budget, [plan for plan in plans if plan.area_id == budget.area_id]))
    parts.sort(key=lambda part: part[0].area.is_city)
    return parts


@login_required
@require_safe
def choose_district(request, slug):
    round = get_object_or_404(Round, slug=slug)
    if refusal := _refusal(request, round):
        return refusal
    form = DistrictForm(
        request.GET or None,
        districts=selectors.ballot_districts(round),
        home=request.user.district,
    )
    if form.is_valid():
        return redirect("budgeting:ballot", round.slug, form.cleaned_data["district"].slug)
    return render(request, "budgeting/choose_district.html", {"round": round, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, slug, district):
    round = get_object_or_404(Round, slug=slug)
    district = _district_of(round, district)
    if refusal := _refusal(request, round):
        return refusal
    parts = _ballot_parts(round, district)
    if request.method == "POST" and "change" in request.POST:
        # Back from the review page: show the same choices again.
        chosen = set(request.POST.getlist("plans"))
        initial = {
            BallotForm.field_name(budget.area): [p.pk for p in plans if str(p.pk) in chosen]
            for budget, plans in parts
        }
        form = BallotForm(initial=initial, parts=parts)
    elif request.method == "POST":
        form = BallotForm(request.POST, parts=parts)
        if form.is_valid():
            try:
                checked = services.check_ballot(
                    round=round, district=district, plan_ids=form.chosen_plan_ids()
                )
            except BallotError as error:
                form.add_error(None, error.message)
            else:
                return render(
                    request,
                    "budgeting/review.html",
                    {"round": round, "district": district, "ballot": checked},
                )
    else:
        form = BallotForm(parts=parts)
    return render(
        request,
        "budgeting/ballot.html",
        {
            "round": round,
            "district": district,
            "form": form,
            "changing": selectors.participation_of(round, request.user) is not None,
        },
    )


@login_required
@require_POST
def cast(request, slug, district):
    round = get_object_or_404(Round, slug=slug)
    district = _district_of(round, district)
    try:
        services.cast_ballot(
            round=round,
            voter=request.user,
            district=district,
            plan_ids=request.POST.getlist("plans"),
        )
    except BallotError as error:
        messages.error(request, error.message)
        if error.code == "already_voted":
            return redirect("budgeting:receipt", round.slug)
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


# Results


@require_safe
def round_results(request, slug):
    round = get_object_or_404(Round, slug=slug)
    plans = selectors.plans_by_code(round)
    areas = [
        {"tally": tally, "rows": results.result_rows(tally, plans)}
        for tally in selectors.published_tallies(round)
    ]
    return render(
        request,
        "budgeting/results.html",
        {
            "round": round,
            "areas": areas,
            "turnout": selectors.turnout(round) if round.voting_has_ended() else None,
            "by_district": selectors.turnout_by_home_district(round) if areas else [],
            "by_age": selectors.turnout_by_age(round) if areas else [],
        },
    )


@require_safe
def ballots_download(request, slug, area):
    """Anonymised ballots of one area in the pabulib format, once its result is published.

    Not before: the file holds vote counts, and those must not be public while the
    site does not show them yet.
    """
    round = get_object_or_404(Round, slug=slug)
    tally = round.tallies.published().select_related("area").filter(area__slug=area).first()
    if tally is None:
        raise Http404
    text = results.pabulib_text(round, tally.area, selected=tally.selected)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}-{area}.pb"'
    return response


# Staff


@staff_member_with_mfa
@require_safe
def staff_rounds(request):
    return render(request, "budgeting/staff/rounds.html", {"rounds": selectors.public_rounds()})


@staff_member_with_mfa
@require_safe
def staff_round(request, slug):
    """Turnout and who voted how; never what anyone chose."""
    round = get_object_or_404(Round, slug=slug)
    page = Paginator(selectors.participations_for_staff(round), 50).get_page(
        request.GET.get("page")
    )
    search = VoterSearchForm(request.GET or None)
    people = (
        selectors.people_for_assisted_voting(search.cleaned_data["q"]) if search.is_valid() else []
    )
    return render(
        request,
        "budgeting/staff/round.html",
        {
            "round": round,
            "turnout": selectors.turnout(round),
            "by_district": selectors.turnout_by_home_district(round),
            "by_age": selectors.turnout_by_age(round),
            "page": page,
            "search": search,
            "people": people,
            "voted": selectors.voted_among(round, people),
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_record_ballot(request, slug, voter_id):
    """Record the ballot of a person whose identity staff checked, or a paper ballot."""
    round = get_object_or_404(Round, slug=slug)
    voter = get_object_or_404(get_user_model(), pk=voter_id)
    districts = selectors.ballot_districts(round)
    district_form = DistrictForm(request.GET or None, districts=districts, home=voter.district)
    district = None
    if district_form.is_valid():
        district = district_form.cleaned_data["district"]
    elif not request.GET and voter.district in districts:
        district = voter.district
    form = None
    if district is not None:
        form = StaffBallotForm(
            request.POST or None, parts=_ballot_parts(round, district), prefix="ballot"
        )
        if request.method == "POST" and form.is_valid():
            try:
                participation = services.cast_ballot(
                    round=round,
                    voter=voter,
                    district=district,
                    plan_ids=form.chosen_plan_ids(),
                    channel=form.cleaned_data["channel"],
                    recorded_by=request.user,
                )
            except BallotError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The ballot of %(name)s is recorded. Receipt code: %(code)s")
                    % {"name": voter, "code": participation.receipt_code},
                )
                return redirect("budgeting:staff_round", round.slug)
    return render(
        request,
        "budgeting/staff/record_ballot.html",
        {
            "round": round,
            "voter": voter,
            "district": district,
            "district_form": district_form,
            "form": form,
            "participation": selectors.participation_of(round, voter),
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_count(request, slug):
    """Count each area with the round's rule, look at the result, then publish it."""
    round = get_object_or_404(Round, slug=slug)
    budgets = selectors.round_budgets(round)
    if request.method == "POST":
        try:
            if "publish" in request.POST:
                tally = get_object_or_404(Tally, round=round, pk=request.POST["publish"])
                services.publish_tally(tally=tally, actor=request.user)
                messages.success(
                    request, _("The result of %(area)s is published.") % {"area": tally.area.name}
                )
            else:
                budget = next(
                    (b for b in budgets if str(b.area_id) == request.POST.get("area")), None
                )
                if budget is None:
                    raise Http404
                services.run_count(round=round, area=budget.area, actor=request.user)
                messages.success(
                    request,
                    _("%(area)s is counted. Check the result before you publish it.")
                    % {"area": budget.area.name},
                )
        except TallyError as error:
            messages.error(request, error.message)
        return redirect("budgeting:staff_count", round.slug)
    latest = selectors.latest_tallies(round)
    plans = selectors.plans_by_code(round)
    areas = []
    for budget in budgets:
        tally = latest.get(budget.area_id)
        areas.append(
            {
                "budget": budget,
                "tally": tally,
                "rows": results.result_rows(tally, plans) if tally else [],
            }
        )
    return render(request, "budgeting/staff/count.html", {"round": round, "areas": areas})


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_plan_progress(request, slug, code):
    """Tell residents how a funded plan is coming along."""
    round = get_object_or_404(Round, slug=slug)
    plan = get_object_or_404(round.plans.select_related("area"), code=code)
    form = PlanProgressForm(
        request.POST or None, plan=plan, initial={"happened_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_plan_progress(
                plan=plan,
                status=form.cleaned_data["status"],
                note=form.note(),
                happened_on=form.cleaned_data["happened_on"],
                actor=request.user,
            )
        except ProgressError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The update is published."))
            return redirect("budgeting:implementation", round.slug)
    return render(
        request,
        "budgeting/staff/plan_progress.html",
        {"round": round, "plan": plan, "form": form, "updates": selectors.plan_updates(plan)},
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_proposals(request, slug):
    """Decide on new proposals: on to co-creation, or not, with a reason."""
    round = get_object_or_404(Round, slug=slug)
    if request.method == "POST":
        proposal = get_object_or_404(round.proposals, pk=request.POST.get("proposal"))
        form = ProposalDecisionForm(request.POST, prefix=f"p{proposal.pk}")
        if form.is_valid():
            try:
                services.decide_proposal(
                    proposal=proposal,
                    accept=form.cleaned_data["accept"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ProposalError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The decision is saved."))
        else:
            messages.error(request, _("Please choose a decision."))
        return redirect("budgeting:staff_proposals", round.slug)
    waiting = [
        (proposal, ProposalDecisionForm(prefix=f"p{proposal.pk}"))
        for proposal in selectors.proposals_to_decide(round)
    ]
    return render(
        request,
        "budgeting/staff/proposals.html",
        {
            "round": round,
            "waiting": waiting,
            "accepted": selectors.accepted_proposals_by_area(round),
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_plan_from_proposals(request, slug, area):
    """Co-creation: combine accepted proposals of one area into a draft plan."""
    round = get_object_or_404(Round, slug=slug)
    area = get_object_or_404(selectors.budget_areas(round), slug=area)
    form = PlanFromProposalsForm(request.POST or None, round=round, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan_from_proposals(
                proposals=form.cleaned_data["proposals"],
                code=form.cleaned_data["code"],
                title=form.texts("title"),
                description=form.texts("description"),
                theme=form.cleaned_data["theme"],
                cost_low=form.cleaned_data["cost_low"],
                cost_high=form.cleaned_data["cost_high"],
                actor=request.user,
            )
        except (ProposalError, RoundLocked) as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Plan %(code)s is made. It goes on the ballot in the administration.")
                % {"code": plan.code},
            )
            return redirect("budgeting:staff_proposals", round.slug)
    return render(
        request,
        "budgeting/staff/plan_from_proposals.html",
        {"round": round, "area": area, "form": form},
    )
