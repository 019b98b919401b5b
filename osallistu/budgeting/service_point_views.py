"""Voting at service points: assisted ballots, paper votes and batches of paper ballots.

Service point staff and city coaches work here for their district; city
administrators see turnout, who voted and the activity of every member of staff, so
that an unusual number of ballots recorded by one person stands out.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.core.decorators import staff_member_with_mfa

from . import permissions, selectors, services
from .forms import DistrictForm
from .models import PaperBatch, Round
from .service_point_forms import (
    AssistedBallotForm,
    PaperBatchForm,
    PaperSlipForm,
    PaperVoteForm,
    PersonSearchForm,
    ReconcileForm,
    ReturnBatchForm,
)
from .services import BallotBoxError, BallotError
from .views import ballot_parts


def require(allowed):
    if not allowed:
        raise PermissionDenied


def recorder_districts(user, round):
    """The districts of ``round`` whose ballots ``user`` records."""
    districts = selectors.ballot_districts(round)
    return districts.filter(
        pk__in=[d.pk for d in districts if permissions.may_record_ballots(user, d)]
    )


@staff_member_with_mfa
@require_safe
def staff_round(request, slug):
    """Turnout and who voted how; never what anyone chose."""
    may_record = permissions.may_record_ballots(request.user)
    admin = permissions.is_city_admin(request.user)
    require(may_record or admin)
    round = get_object_or_404(Round, slug=slug)
    search = PersonSearchForm(request.GET or None)
    person = None
    if may_record and search.is_valid():
        person = selectors.person_at_service_point(staff=request.user, **search.cleaned_data)
    return render(
        request,
        "budgeting/staff/round.html",
        {
            "round": round,
            "turnout": selectors.turnout(round),
            "by_district": selectors.turnout_by_home_district(round),
            "by_age": selectors.turnout_by_age(round),
            "may_record": may_record,
            "search": search,
            "person": person,
            "person_voted": person is not None
            and selectors.participation_of(round, person) is not None,
            "page": Paginator(selectors.participations_for_staff(round), 50).get_page(
                request.GET.get("page")
            )
            if admin
            else None,
            "activity": selectors.staff_activity(round) if admin else None,
        },
    )


def voter_for_staff(request, voter_id):
    """The person staff record a ballot for: 404 unless their roles reach the person."""
    voter = get_object_or_404(get_user_model(), pk=voter_id)
    if not permissions.may_record_ballots_for(request.user, voter):
        raise Http404
    return voter


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_record_ballot(request, slug, voter_id):
    """An assisted ballot: the person chooses, staff enter it; or a paper vote."""
    require(permissions.may_record_ballots(request.user))
    round = get_object_or_404(Round, slug=slug)
    voter = voter_for_staff(request, voter_id)
    districts = recorder_districts(request.user, round)
    district_form = DistrictForm(request.GET or None, districts=districts, home=voter.district)
    district = None
    if district_form.is_valid():
        district = district_form.cleaned_data["district"]
    elif not request.GET and voter.district in districts:
        district = voter.district
    form = None
    if district is not None:
        form = AssistedBallotForm(
            request.POST or None,
            parts=ballot_parts(round, district),
            prefix="ballot",
            recorder=request.user,
        )
        if request.method == "POST" and form.is_valid():
            try:
                participation = services.cast_ballot(
                    round=round,
                    voter=voter,
                    district=district,
                    plan_ids=form.chosen_plan_ids(),
                    channel="assisted",
                    recorded_by=request.user,
                    confirmed_by=form.cleaned_data["confirmed_by"],
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
            "paper_form": PaperVoteForm(recorder=request.user, prefix="paper"),
            "participation": selectors.participation_of(round, voter),
        },
    )


@staff_member_with_mfa
@require_POST
def staff_paper_vote(request, slug, voter_id):
    """Mark that the person handed in a paper ballot, which goes into the envelope."""
    require(permissions.may_record_ballots(request.user))
    round = get_object_or_404(Round, slug=slug)
    voter = voter_for_staff(request, voter_id)
    form = PaperVoteForm(request.POST, recorder=request.user, prefix="paper")
    if form.is_valid():
        try:
            services.record_paper_vote(
                round=round,
                voter=voter,
                recorded_by=request.user,
                confirmed_by=form.cleaned_data["confirmed_by"],
            )
        except BallotError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(name)s has voted on paper. Put the slip, without a name, into the "
                    "envelope of its district."
                )
                % {"name": voter},
            )
            return redirect("budgeting:staff_round", round.slug)
    return render(
        request,
        "budgeting/staff/record_ballot.html",
        {
            "round": round,
            "voter": voter,
            "district": None,
            "district_form": DistrictForm(districts=recorder_districts(request.user, round)),
            "form": None,
            "paper_form": form,
            "participation": selectors.participation_of(round, voter),
        },
        status=400,
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_paper_batches(request, slug):
    """The envelopes of paper ballots of the user's districts, and opening a new one."""
    require(permissions.may_record_ballots(request.user))
    round = get_object_or_404(Round, slug=slug)
    districts = recorder_districts(request.user, round)
    form = PaperBatchForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.open_paper_batch(
                round=round,
                district=form.cleaned_data["district"],
                label=form.cleaned_data["label"],
                slips_declared=form.cleaned_data["slips_declared"],
                actor=request.user,
            )
        except BallotBoxError as error:
            form.add_error(None, error.message)
        else:
            return redirect("budgeting:staff_paper_batch", round.slug, batch.pk)
    return render(
        request,
        "budgeting/staff/paper_batches.html",
        {
            "round": round,
            "form": form,
            "batches": selectors.paper_batches(round, districts=districts),
        },
    )


def paper_batch_page(
    request, round, batch, *, slip_form=None, reconcile_form=None, return_form=None, status=200
):
    entering = batch.entered_by_id == request.user.pk and batch.submitted_at is None
    checking = batch.entered_by_id != request.user.pk and batch.submitted_at is not None
    checking = checking and not batch.is_reconciled
    slips = selectors.paper_slips(batch)
    return render(
        request,
        "budgeting/staff/paper_batch.html",
        {
            "round": round,
            "batch": batch,
            "slips": slips,
            "entered": len(slips) + batch.void_slips,
            "slip_form": (slip_form or PaperSlipForm(parts=ballot_parts(round, batch.district)))
            if entering
            else None,
            "reconcile_form": (reconcile_form or ReconcileForm()) if checking else None,
            "return_form": (return_form or ReturnBatchForm()) if checking else None,
        },
        status=status,
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def staff_paper_batch(request, slug, pk):
    """Enter the slips of a batch, submit it, or, as the second person, reconcile it."""
    round = get_object_or_404(Round, slug=slug)
    batch = get_object_or_404(
        PaperBatch.objects.select_related("district", "entered_by", "reconciled_by", "returned_by"),
        round=round,
        pk=pk,
    )
    require(permissions.may_record_ballots(request.user, batch.district))
    if request.method == "GET":
        return paper_batch_page(request, round, batch)
    action = request.POST.get("action")
    forms = {}
    try:
        if action == "slip":
            forms["slip_form"] = PaperSlipForm(
                request.POST, parts=ballot_parts(round, batch.district)
            )
            if not forms["slip_form"].is_valid():
                return paper_batch_page(request, round, batch, status=400, **forms)
            services.enter_paper_slip(
                batch=batch, plan_ids=forms["slip_form"].chosen_plan_ids(), actor=request.user
            )
            messages.success(request, _("The slip is entered."))
        elif action == "void":
            services.enter_void_slip(batch=batch, actor=request.user)
            messages.success(request, _("The slip is counted as void."))
        elif action == "remove":
            services.remove_paper_slip(
                batch=batch, ballot_id=request.POST.get("slip", ""), actor=request.user
            )
            messages.success(request, _("The slip is taken out of the batch."))
        elif action == "submit":
            services.submit_paper_batch(batch=batch, actor=request.user)
            messages.success(request, _("The batch waits for a second person to reconcile it."))
        elif action == "reconcile":
            forms["reconcile_form"] = ReconcileForm(request.POST)
            if not forms["reconcile_form"].is_valid():
                return paper_batch_page(request, round, batch, status=400, **forms)
            services.reconcile_paper_batch(
                batch=batch,
                slips_counted=forms["reconcile_form"].cleaned_data["slips_counted"],
                actor=request.user,
            )
            messages.success(request, _("The batch is reconciled and will be counted."))
        elif action == "return":
            forms["return_form"] = ReturnBatchForm(request.POST)
            if not forms["return_form"].is_valid():
                return paper_batch_page(request, round, batch, status=400, **forms)
            services.return_paper_batch(
                batch=batch, reason=forms["return_form"].cleaned_data["reason"], actor=request.user
            )
            messages.success(request, _("The batch is returned to be corrected."))
        else:
            raise Http404
    except (BallotError, BallotBoxError) as error:
        batch.refresh_from_db()
        target = {"reconcile": "reconcile_form", "return": "return_form"}.get(action, "slip_form")
        form = forms.get(target)
        if form is None:
            messages.error(request, error.message)
            return redirect("budgeting:staff_paper_batch", round.slug, batch.pk)
        form.add_error(None, error.message)
        return paper_batch_page(request, round, batch, status=400, **forms)
    return redirect("budgeting:staff_paper_batch", round.slug, batch.pk)
