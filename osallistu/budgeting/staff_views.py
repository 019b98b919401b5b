"""Staff screens of participatory budgeting, outside the admin.

Every view needs a staff account past the second factor, then the role that
``permissions`` names for it. Services do the writes and the audit log; these views
only read forms and show what the services answered.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.areas.models import Area
from osallistu.core.decorators import staff_member_with_mfa
from osallistu.core.fields import parse_id
from osallistu.core.models import Job

from . import permissions, results, selectors, services
from .models import PlanImage, ProposalComment, Round, Tally
from .places import place_drawings
from .services import (
    BallotBoxError,
    BudgetingError,
    ProgressError,
    ProposalError,
    RoundLocked,
    TallyError,
)
from .staff_forms import (
    BudgetAmountsForm,
    BudgetSplitForm,
    HideCommentForm,
    HideProposalForm,
    PictureDescriptionForm,
    PlanForm,
    PlanPictureForm,
    PlanProgressForm,
    ProposalDecisionForm,
    RoundForm,
)


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _moderated_comment(request, slug, pk, comment_id):
    """The round and a comment on one of its proposals that the user may moderate."""
    round = get_object_or_404(Round, slug=slug)
    comment = get_object_or_404(
        ProposalComment.objects.select_related("proposal__area"),
        pk=comment_id,
        proposal__round=round,
        proposal__pk=pk,
    )
    _require(permissions.may_moderate(request.user, comment.proposal.area))
    return round, comment


def _add_validation_errors(form, error):
    """Put a model's ValidationError next to the fields it names, or on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Rounds


@staff_member_with_mfa
@require_safe
def staff_rounds(request):
    _require(permissions.may_use_budgeting_desk(request.user))
    user = request.user
    return render(
        request,
        "budgeting/staff/rounds.html",
        {
            "rounds": selectors.public_rounds(),
            "may_manage": permissions.may_manage_rounds(user),
            "may_co_create": permissions.may_co_create(user),
            "may_moderate": permissions.may_moderate(user),
            "may_record": permissions.may_record_ballots(user),
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_round_new(request):
    _require(permissions.may_manage_rounds(request.user))
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.create_round(actor=request.user, **form.changes())
        except ValidationError as error:
            _add_validation_errors(form, error)
        else:
            messages.success(request, _("The round is made. Next, give it its money."))
            return redirect("budgeting:staff_budgets", round.slug)
    return render(request, "budgeting/staff/round_form.html", {"form": form, "round": None})


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_round_edit(request, slug):
    _require(permissions.may_manage_rounds(request.user))
    round = get_object_or_404(Round, slug=slug)
    form = RoundForm(request.POST or None, instance=Round.objects.get(pk=round.pk))
    if request.method == "POST" and form.is_valid():
        try:
            round = services.update_round_settings(
                round=round, actor=request.user, **form.changes()
            )
        except RoundLocked as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            _add_validation_errors(form, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("budgeting:staff_rounds")
    return render(request, "budgeting/staff/round_form.html", {"form": form, "round": round})


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_budgets(request, slug):
    """Money per area: typed by hand, or split by the helper and then adjusted."""
    _require(permissions.may_manage_rounds(request.user))
    round = get_object_or_404(Round, slug=slug)
    areas = [Area.objects.city(), *Area.objects.districts()]
    present = {budget.area_id: budget.amount for budget in selectors.round_budgets(round)}
    locked = round.voting_has_started()
    split = BudgetSplitForm(request.GET if "total" in request.GET else None)
    initial = {BudgetAmountsForm.field_name(a): present.get(a.pk) for a in areas}
    if split.is_valid():
        try:
            amounts = services.split_budget(
                total=split.cleaned_data["total"],
                city_share_percent=split.cleaned_data["city_share_percent"],
                districts=areas[1:],
            )
        except ValueError:
            split.add_error(
                None, _("The districts have no population figures, so the total cannot be split.")
            )
        else:
            initial = {BudgetAmountsForm.field_name(a): amounts.get(a) for a in areas}
    form = BudgetAmountsForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_round_budgets(round=round, amounts=form.amounts(), actor=request.user)
        except BudgetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The money of the round is saved."))
            return redirect("budgeting:staff_budgets", round.slug)
    return render(
        request,
        "budgeting/staff/budgets.html",
        {
            "round": round,
            "split": split,
            "form": form,
            "locked": locked,
            "previewed": split.is_valid(),
            "budgets": selectors.round_budgets(round),
            "population": selectors.district_residents(areas[1:]),
            "districts": areas[1:],
        },
    )


# Plans in co-creation


@staff_member_with_mfa
@require_safe
def staff_plans(request, slug):
    _require(permissions.may_co_create(request.user))
    round = get_object_or_404(Round, slug=slug)
    areas = [
        area
        for area in selectors.budget_areas(round)
        if permissions.may_co_create(request.user, area)
    ]
    return render(
        request,
        "budgeting/staff/plans.html",
        {
            "round": round,
            "areas": areas,
            "plans": selectors.plans_for_staff(round, areas=areas),
            "locked": round.voting_has_started(),
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_plan_new(request, slug, area):
    """Co-creation: a new draft plan of one area, made of accepted proposals."""
    round = get_object_or_404(Round, slug=slug)
    area = get_object_or_404(selectors.budget_areas(round), slug=area)
    _require(permissions.may_co_create(request.user, area))
    form = PlanForm(request.POST or None, round=round, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan_from_proposals(
                proposals=form.cleaned_data["proposals"],
                code=form.cleaned_data["code"],
                title=form.texts("title"),
                description=form.texts("description"),
                feasibility=form.texts("feasibility"),
                theme=form.cleaned_data["theme"],
                cost_low=form.cleaned_data["cost_low"],
                cost_high=form.cleaned_data["cost_high"],
                neighbourhood=form.cleaned_data["neighbourhood"],
                place=form.cleaned_data["place"],
                place_name=form.texts("place_name"),
                actor=request.user,
            )
        except (ProposalError, RoundLocked) as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            _add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("Plan %(code)s is made as a draft. Publish it for voting when it is ready.")
                % {"code": plan.code},
            )
            return redirect("budgeting:staff_plan", round.slug, plan.code)
    return render(
        request,
        "budgeting/staff/plan_form.html",
        {"round": round, "area": area, "form": form, "plan": None},
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_plan(request, slug, code):
    """Edit a plan, and publish it for voting, take it back to draft or withdraw it."""
    round = get_object_or_404(Round, slug=slug)
    plan = get_object_or_404(round.plans.select_related("area"), code=code)
    _require(permissions.may_co_create(request.user, plan.area))
    form = PlanForm(
        request.POST if "save" in request.POST else None, round=round, area=plan.area, plan=plan
    )
    if request.method == "POST":
        try:
            if "save" in request.POST:
                if form.is_valid():
                    added, removed, fixed = [], [], {}
                    if not form.locked:
                        added, removed = form.proposal_changes()
                        fixed = {
                            name: form.cleaned_data[name]
                            for name in services.PLAN_FIELDS_FIXED_WHEN_VOTING
                        }
                    plan = services.update_plan(
                        plan=plan,
                        actor=request.user,
                        texts={
                            name: form.texts(name)
                            for name in ("title", "description", "feasibility", "place_name")
                        },
                        add_proposals=added,
                        remove_proposals=removed,
                        **fixed,
                    )
                    messages.success(request, _("The plan is saved."))
                    return redirect("budgeting:staff_plan", round.slug, plan.code)
            elif "publish" in request.POST or "draft" in request.POST:
                on_ballot = "publish" in request.POST
                services.set_plan_on_ballot(plan=plan, on_ballot=on_ballot, actor=request.user)
                messages.success(
                    request,
                    _("The plan is on the ballot.")
                    if on_ballot
                    else _("The plan is a draft again and not on the ballot."),
                )
                return redirect("budgeting:staff_plan", round.slug, plan.code)
            elif "withdraw" in request.POST:
                services.withdraw_plan(plan=plan, actor=request.user)
                messages.success(request, _("The plan is withdrawn. It is not on the ballot."))
                return redirect("budgeting:staff_plan", round.slug, plan.code)
        except (ProposalError, RoundLocked) as error:
            if "save" in request.POST:
                form.add_error(None, error.message)
            else:
                messages.error(request, error.message)
                return redirect("budgeting:staff_plan", round.slug, plan.code)
        except ValidationError as error:
            _add_validation_errors(form, error)
    return render(
        request,
        "budgeting/staff/plan_form.html",
        {
            "round": round,
            "area": plan.area,
            "form": form,
            "plan": plan,
            "sources": selectors.plan_sources(plan),
            "locked": round.voting_has_started(),
            "drawing": place_drawings([plan]).get(plan.pk),
            "pictures": list(plan.images.order_by("position")),
        },
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_plan_pictures(request, slug, code):
    """Add pictures to a plan, from a file or its proposals, describe and remove them."""
    round = get_object_or_404(Round, slug=slug)
    plan = get_object_or_404(round.plans.select_related("area"), code=code)
    _require(permissions.may_co_create(request.user, plan.area))
    pictures = list(plan.images.order_by("position"))
    adding = "add" in request.POST
    form = PlanPictureForm(
        request.POST if adding else None, request.FILES if adding else None, plan=plan
    )
    described = {
        picture.pk: PictureDescriptionForm(
            request.POST if request.POST.get("describe") == str(picture.pk) else None,
            prefix=f"picture{picture.pk}",
            initial={
                f"alt_text_{language}": getattr(picture, f"alt_text_{language}")
                for language in ("fi", "sv", "en")
            },
        )
        for picture in pictures
    }
    if request.method == "POST":
        try:
            if adding and form.is_valid():
                upload = form.cleaned_data["image"]
                services.add_plan_image(
                    plan=plan,
                    actor=request.user,
                    alt_text=form.alt_text(),
                    data=upload.read() if upload else None,
                    source=form.cleaned_data.get("source"),
                )
                messages.success(request, _("The picture is added."))
                return redirect("budgeting:staff_plan_pictures", round.slug, plan.code)
            if request.POST.get("remove"):
                picture = get_object_or_404(
                    PlanImage, plan=plan, pk=_number(request.POST["remove"])
                )
                services.remove_plan_image(image=picture, actor=request.user)
                messages.success(request, _("The picture is removed."))
                return redirect("budgeting:staff_plan_pictures", round.slug, plan.code)
            if request.POST.get("describe"):
                picture = get_object_or_404(
                    PlanImage, plan=plan, pk=_number(request.POST["describe"])
                )
                description = described[picture.pk]
                if description.is_valid():
                    services.describe_plan_image(
                        image=picture, actor=request.user, alt_text=description.alt_text()
                    )
                    messages.success(request, _("The descriptions are saved."))
                    return redirect("budgeting:staff_plan_pictures", round.slug, plan.code)
        except (ProposalError, RoundLocked) as error:
            if adding:
                form.add_error(None, error.message)
            elif request.POST.get("describe"):
                described[_number(request.POST["describe"])].add_error(None, error.message)
            else:
                messages.error(request, error.message)
                return redirect("budgeting:staff_plan_pictures", round.slug, plan.code)
    return render(
        request,
        "budgeting/staff/plan_pictures.html",
        {
            "round": round,
            "plan": plan,
            "form": form,
            "pictures": [(picture, described[picture.pk]) for picture in pictures],
            "locked": round.voting_has_started(),
        },
        status=400 if request.method == "POST" else 200,
    )


# Proposals and comments


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_proposals(request, slug):
    """Decide on new proposals: on to co-creation, or not, with a reason."""
    _require(permissions.may_moderate(request.user))
    round = get_object_or_404(Round, slug=slug)
    if request.method == "POST":
        proposal = round.proposals.filter(pk=parse_id(request.POST.get("proposal"))).first()
        if proposal is None:
            messages.error(request, _("The proposal was not found. Please choose it again."))
            return redirect("budgeting:staff_proposals", round.slug)
        _require(permissions.may_moderate(request.user, proposal.area))
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
    areas = [
        area
        for area in selectors.budget_areas(round)
        if permissions.may_moderate(request.user, area)
    ]
    waiting = [
        (proposal, ProposalDecisionForm(prefix=f"p{proposal.pk}"))
        for proposal in selectors.proposals_to_decide(round)
        if proposal.area in areas
    ]
    return render(
        request,
        "budgeting/staff/proposals.html",
        {
            "round": round,
            "waiting": waiting,
            "accepted": [
                (area, count)
                for area, count in selectors.accepted_proposals_by_area(round)
                if permissions.may_co_create(request.user, area)
            ],
        },
    )


@staff_member_with_mfa
@require_POST
def staff_hide_comment(request, slug, pk, comment_id):
    round, comment = _moderated_comment(request, slug, pk, comment_id)
    form = HideCommentForm(request.POST, prefix=f"hide{comment.pk}")
    if form.is_valid():
        try:
            services.hide_proposal_comment(
                comment=comment, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ProposalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The comment is hidden."))
    else:
        messages.error(request, _("Please say why the comment is hidden."))
    return redirect(reverse("budgeting:proposal", args=[round.slug, pk]) + "#comments")


@staff_member_with_mfa
@require_POST
def staff_hide_proposal(request, slug, pk):
    round = get_object_or_404(Round, slug=slug)
    proposal = get_object_or_404(round.proposals.select_related("area"), pk=pk)
    _require(permissions.may_moderate(request.user, proposal.area))
    form = HideProposalForm(request.POST, prefix="hide")
    if form.is_valid():
        try:
            services.hide_proposal(
                proposal=proposal, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ProposalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The proposal is hidden."))
    else:
        messages.error(request, _("Please say why the proposal is hidden."))
    return redirect("budgeting:proposal", round.slug, proposal.pk)


@staff_member_with_mfa
@require_POST
def staff_unhide_comment(request, slug, pk, comment_id):
    round, comment = _moderated_comment(request, slug, pk, comment_id)
    try:
        services.unhide_proposal_comment(comment=comment, actor=request.user)
    except ProposalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The comment is shown again."))
    return redirect(reverse("budgeting:proposal", args=[round.slug, pk]) + f"#comment-{comment.pk}")


@staff_member_with_mfa
@require_POST
def staff_unhide_proposal(request, slug, pk):
    round = get_object_or_404(Round, slug=slug)
    proposal = get_object_or_404(round.proposals.select_related("area"), pk=pk)
    _require(permissions.may_moderate(request.user, proposal.area))
    try:
        services.unhide_proposal(proposal=proposal, actor=request.user)
    except ProposalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposal is shown again."))
    return redirect("budgeting:proposal", round.slug, proposal.pk)


# Counting and carrying out


# Why a background count refused, by the code its job ended with.
COUNT_REFUSALS = {
    "open": _lazy("Votes can be counted only after voting has ended."),
    "published": _lazy("The result of %(area)s is already published."),
    "no_budget": _lazy("This area has no money in this round."),
    "no_ballots": _lazy("Nobody voted for plans in %(area)s, so there is nothing to count."),
    "not_mixed": _lazy(
        "The ballots are being moved to the ballot box. Counting is possible once that is done."
    ),
    "paper_waiting": _lazy(
        "Some paper ballots of %(area)s are not reconciled yet. Count once a second person "
        "has reconciled every batch."
    ),
}


def _count_state(job, area):
    """``(state, message)`` of an area's newest background count, for the page."""
    if job is None:
        return None, ""
    if job.state == Job.State.DONE and job.result and job.result.get("refused"):
        refusal = COUNT_REFUSALS.get(job.result["refused"])
        message = refusal % {"area": area.name} if refusal else ""
        return "refused", message
    return job.state, ""


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_count(request, slug):
    """Mix the ballots if the worker has not, count each area in the background with the
    round's rule, look at the result, then publish it."""
    _require(permissions.may_manage_rounds(request.user))
    round = get_object_or_404(Round, slug=slug)
    budgets = selectors.round_budgets(round)
    if request.method == "POST":
        try:
            if "mix" in request.POST:
                services.request_mixing(round=round, actor=request.user)
                messages.success(request, _("The ballots are being moved to the ballot box."))
            elif "publish" in request.POST:
                tally = get_object_or_404(Tally, round=round, pk=_number(request.POST["publish"]))
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
                services.request_count(round=round, area=budget.area, actor=request.user)
                messages.success(
                    request,
                    _(
                        "%(area)s is being counted. This page shows when the result is ready "
                        "to check."
                    )
                    % {"area": budget.area.name},
                )
        except (TallyError, BallotBoxError) as error:
            messages.error(request, error.message)
        return redirect("budgeting:staff_count", round.slug)
    latest = selectors.latest_tallies(round)
    jobs = selectors.latest_count_jobs(round)
    plans = selectors.plans_by_code(round)
    areas = []
    for budget in budgets:
        tally = latest.get(budget.area_id)
        job = jobs.get(budget.area_id)
        state, refusal = _count_state(job, budget.area)
        problem = services.why_not_countable(round, budget.area)
        areas.append(
            {
                "budget": budget,
                "tally": tally,
                "job": job,
                "state": state,
                "refusal": refusal,
                "countable": problem is None and state not in ("queued", "running"),
                "not_countable": problem.message
                if problem is not None and problem.code in ("paper_waiting", "no_budget")
                else "",
                "may_publish": tally is not None
                and tally.published_at is None
                and not (
                    round.publication_needs_second_person and tally.counted_by_id == request.user.pk
                ),
                "rows": results.result_rows(tally, plans) if tally else [],
            }
        )
    return render(
        request,
        "budgeting/staff/count.html",
        {
            "round": round,
            "areas": areas,
            "mixing": round.voting_has_ended() and not round.ballots_mixed,
            "mixing_queued": selectors.mixing_queued(round),
            "counting": any(area["state"] in ("queued", "running") for area in areas),
        },
    )


def _number(value):
    """A primary key sent in a form, or a 404 for anything that is not one."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_plan_progress(request, slug, code):
    """Tell residents how a funded plan is coming along."""
    round = get_object_or_404(Round, slug=slug)
    plan = get_object_or_404(round.plans.select_related("area"), code=code)
    _require(permissions.may_co_create(request.user, plan.area))
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
