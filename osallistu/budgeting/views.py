"""Pages of participatory budgeting. Thin: services decide, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.identity.eligibility import check_eligibility

from . import permissions, results, selectors, services
from .forms import CommentForm, PlanFilterForm, ProposalForm
from .models import Round
from .services import ProposalError
from .staff_forms import HideCommentForm, HideProposalForm

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


def _proposal_page(request, round, proposal, comment_form=None, status=200):
    comments = selectors.proposal_comments(proposal)
    is_author = request.user.is_authenticated and proposal.author_id == request.user.pk
    moderator = (
        request.user.is_authenticated
        and request.user.is_staff
        and request.user.is_verified()
        and permissions.may_moderate(request.user, proposal.area)
    )
    return render(
        request,
        "budgeting/proposal_detail.html",
        {
            "round": round,
            "proposal": proposal,
            "images": list(proposal.images.all()),
            "comments": [
                (comment, HideCommentForm(prefix=f"hide{comment.pk}") if moderator else None)
                for comment in comments
            ],
            "comment_form": comment_form or CommentForm(),
            "hide_form": HideProposalForm(prefix="hide") if moderator else None,
            "comments_open": not round.voting_has_started() and not proposal.is_hidden,
            "is_author": is_author,
            "show_text": not proposal.is_hidden or is_author or moderator,
        },
        status=status,
    )


@require_safe
def proposal_detail(request, slug, pk):
    round = get_object_or_404(Round, slug=slug)
    proposal = get_object_or_404(selectors.public_proposals(round, include_hidden=True), pk=pk)
    return _proposal_page(request, round, proposal)


@login_required
@require_POST
def proposal_comment(request, slug, pk):
    round = get_object_or_404(Round, slug=slug)
    proposal = get_object_or_404(selectors.public_proposals(round, include_hidden=True), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.post_proposal_comment(
                proposal=proposal, author=request.user, text=form.cleaned_data["text"]
            )
        except ProposalError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, _("Thank you! Your comment is published."))
            return redirect(reverse("budgeting:proposal", args=[round.slug, pk]) + "#comments")
    return _proposal_page(request, round, proposal, comment_form=form, status=400)


def _proposals_closed(request, round, reason):
    return render(
        request,
        "budgeting/refusal.html",
        {"round": round, "heading": _("You cannot make a proposal now"), "reason": reason},
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request, slug):
    round = get_object_or_404(Round, slug=slug)
    if not round.proposals_open():
        return _proposals_closed(request, round, _("This round does not take proposals now."))
    form = ProposalForm(
        request.POST or None, request.FILES or None, areas=selectors.budget_areas(round)
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.submit_proposal(
                round=round, author=request.user, language=get_language(), **form.for_service()
            )
        except ProposalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you! Your proposal is sent."))
            return redirect("budgeting:proposal", round.slug, proposal.pk)
    return render(request, "budgeting/proposal_new.html", {"round": round, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    """The author edits their proposal until the proposal phase ends."""
    round = get_object_or_404(Round, slug=slug)
    proposal = get_object_or_404(
        round.proposals.select_related("round", "area"), pk=pk, author=request.user
    )
    try:
        services.check_author_may_edit(proposal, request.user)
    except ProposalError as error:
        return render(
            request,
            "budgeting/refusal.html",
            {
                "round": round,
                "heading": _("Your proposal can no longer be edited"),
                "reason": error.message,
            },
            status=403,
        )
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        areas=selectors.budget_areas(round),
        proposal=proposal,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                proposal=proposal,
                author=request.user,
                remove_images=form.cleaned_data.get("remove_images", []),
                **form.for_service(),
            )
        except ProposalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your proposal is saved."))
            return redirect("budgeting:proposal", round.slug, proposal.pk)
    return render(
        request,
        "budgeting/proposal_new.html",
        {"round": round, "form": form, "proposal": proposal},
    )


@login_required
@require_safe
def my_proposals(request):
    """A person's own proposals: where each stands and why."""
    return render(
        request,
        "budgeting/my_proposals.html",
        {"proposals": selectors.proposals_of(request.user), "today": timezone.localdate()},
    )


def ballot_parts(round, district, budgets=None):
    """``[(budget, plans)]``: the district's part, then the city-wide part if any, as
    staff record an assisted ballot or a paper slip."""
    plans = selectors.ballot_plans(round, district)
    parts = []
    for budget in selectors.round_budgets(round) if budgets is None else budgets:
        if budget.area_id == district.pk or budget.area.is_city:
            parts.append((budget, [plan for plan in plans if plan.area_id == budget.area_id]))
    parts.sort(key=lambda part: part[0].area.is_city)
    return parts


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
