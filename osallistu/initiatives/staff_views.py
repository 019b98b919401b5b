"""Staff pages of initiatives: the registry's queue and handling page, paper supports
with a second person, and the city coaches' queue.

Every view needs a staff account past the second factor, then what ``permissions``
names for it: the role AND the initiative's area. Services do the writes and the audit
log; these views read forms and show what the services answered.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from osallistu.core import audit
from osallistu.core.decorators import staff_member_with_mfa

from . import permissions, selectors, services
from .forms import (
    AttachmentForm,
    CoachForm,
    ConfirmBatchForm,
    DeadlineForm,
    DecideForm,
    PaperBatchForm,
    PrepareForm,
    ReasonForm,
    RegisterForm,
    ReturnBatchForm,
    StaffFilterForm,
)
from .models import Initiative, PaperSupportBatch, State
from .services import InitiativeError

PAGE_SIZE = 50


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _handled(request, pk):
    """The initiative ``pk``, if the user handles initiatives of its area."""
    initiative = get_object_or_404(
        selectors.with_supports(
            Initiative.objects.select_related("area", "division", "coach").exclude(
                state=State.DRAFT
            )
        ),
        pk=pk,
    )
    _require(permissions.may_handle(request.user, initiative.area))
    return initiative


@staff_member_with_mfa
@require_safe
def queue(request):
    user = request.user
    if not permissions.may_handle(user):
        _require(permissions.is_coach(user))
        return redirect("initiatives:coach_queue")
    form = StaffFilterForm(request.GET or None, areas=permissions.handled_areas(user))
    initiatives = selectors.staff_queue(user, **form.filters())
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/staff/queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_coach": permissions.is_coach(user),
        },
    )


FORMS = {
    "register": RegisterForm,
    "prepare": PrepareForm,
    "decide": DecideForm,
    "end": ReasonForm,
    "deadline": DeadlineForm,
    "attachment": AttachmentForm,
    "paper": PaperBatchForm,
}


def _page(request, initiative, *, bound=None, status=200):
    """The handling page, with ``bound`` ({name: form}) shown in place of the empty form
    of the same name, after a refusal."""
    bound = bound or {}
    forms = {name: bound.get(name) or form_class(prefix=name) for name, form_class in FORMS.items()}
    forms["coach"] = bound.get("coach") or CoachForm(prefix="coach", coaches=selectors.coaches())
    if initiative.state == State.SENT and not initiative.diary_number:
        forms.pop("prepare")
    if initiative.division_id is not None and "prepare" in forms and "prepare" not in bound:
        forms["prepare"] = PrepareForm(
            prefix="prepare",
            initial={
                "division": initiative.division_id,
                "preparer_name": initiative.preparer_name,
                "preparer_email": initiative.preparer_email,
            },
        )
    batches = selectors.paper_batches(initiative)
    context = {
        "initiative": initiative,
        "forms": forms,
        "authors": selectors.authors_of(initiative),
        "progress": selectors.with_progress([initiative])[0][1],
        "supports_total": selectors.supports_total(initiative),
        "batches": [
            (
                batch,
                bound.get(f"confirm{batch.pk}") or ConfirmBatchForm(prefix=f"confirm{batch.pk}"),
                bound.get(f"return{batch.pk}") or ReturnBatchForm(prefix=f"return{batch.pk}"),
            )
            for batch in batches
        ],
        "transitions": list(initiative.transitions.order_by("at", "id")),
        "attachments": list(initiative.attachments.all()),
        "history": audit.entries_for(initiative)[:50],
        "overdue": initiative.is_overdue(),
    }
    return render(request, "initiatives/staff/initiative.html", context, status=status)


@staff_member_with_mfa
@require_safe
def initiative(request, pk):
    return _page(request, _handled(request, pk))


def _act(request, pk, name, act, success, form=None):
    """Bind the form ``name``, call ``act(initiative, form)`` when it is valid, and show
    ``success``; otherwise show the page again with the errors next to the form."""
    initiative = _handled(request, pk)
    if form is None:
        form = FORMS[name](request.POST, request.FILES, prefix=name)
    if form.is_valid():
        try:
            act(initiative, form)
        except InitiativeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect("initiatives:staff_initiative", initiative.pk)
    return _page(request, initiative, bound={name: form}, status=400)


@staff_member_with_mfa
@require_POST
def register(request, pk):
    return _act(
        request,
        pk,
        "register",
        lambda initiative, form: services.register_initiative(
            initiative=initiative, actor=request.user, **form.cleaned_data
        ),
        _("The initiative is registered."),
    )


@staff_member_with_mfa
@require_POST
def prepare(request, pk):
    return _act(
        request,
        pk,
        "prepare",
        lambda initiative, form: services.prepare_initiative(
            initiative=initiative, actor=request.user, **form.cleaned_data
        ),
        _("The division and the preparer are saved."),
    )


@staff_member_with_mfa
@require_POST
def decide(request, pk):
    return _act(
        request,
        pk,
        "decide",
        lambda initiative, form: services.decide_initiative(
            initiative=initiative, actor=request.user, **form.for_service()
        ),
        _("The decision is recorded and published."),
    )


@staff_member_with_mfa
@require_POST
def end(request, pk):
    return _act(
        request,
        pk,
        "end",
        lambda initiative, form: services.end_without_decision(
            initiative=initiative, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The initiative is ended without a decision."),
    )


@staff_member_with_mfa
@require_POST
def deadline(request, pk):
    return _act(
        request,
        pk,
        "deadline",
        lambda initiative, form: services.set_deadline(
            initiative=initiative, actor=request.user, **form.cleaned_data
        ),
        _("The deadline is saved."),
    )


@staff_member_with_mfa
@require_POST
def attachment(request, pk):
    return _act(
        request,
        pk,
        "attachment",
        lambda initiative, form: services.add_attachment(
            initiative=initiative,
            actor=request.user,
            title=form.cleaned_data["title"],
            data=form.cleaned_data["file"].read(),
        ),
        _("The attachment is added."),
    )


@staff_member_with_mfa
@require_POST
def coach(request, pk):
    return _act(
        request,
        pk,
        "coach",
        lambda initiative, form: services.assign_coach(
            initiative=initiative, actor=request.user, coach=form.chosen_coach()
        ),
        _("The city coach is assigned."),
        form=CoachForm(request.POST, prefix="coach", coaches=selectors.coaches()),
    )


@staff_member_with_mfa
@require_POST
def paper_batch(request, pk):
    return _act(
        request,
        pk,
        "paper",
        lambda initiative, form: services.enter_paper_batch(
            initiative=initiative, actor=request.user, **form.cleaned_data
        ),
        _("The batch is entered. Another member of staff must confirm it before it counts."),
    )


def _batch(pk, batch):
    return get_object_or_404(
        PaperSupportBatch.objects.select_related("initiative__area"), pk=batch, initiative=pk
    )


@staff_member_with_mfa
@require_POST
def paper_confirm(request, pk, batch):
    found = _batch(pk, batch)
    return _act(
        request,
        pk,
        f"confirm{found.pk}",
        lambda initiative, form: services.confirm_paper_batch(
            batch=found, actor=request.user, valid_counted=form.cleaned_data["valid_counted"]
        ),
        _("The batch is confirmed and its supports count."),
        form=ConfirmBatchForm(request.POST, prefix=f"confirm{found.pk}"),
    )


@staff_member_with_mfa
@require_POST
def paper_return(request, pk, batch):
    found = _batch(pk, batch)
    return _act(
        request,
        pk,
        f"return{found.pk}",
        lambda initiative, form: services.return_paper_batch(
            batch=found, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The batch is returned. It does not count."),
        form=ReturnBatchForm(request.POST, prefix=f"return{found.pk}"),
    )


@staff_member_with_mfa
@require_safe
def coach_queue(request):
    """A city coach's initiatives: assigned to them, and waiting for a coach in their
    districts."""
    _require(permissions.is_coach(request.user))
    assigned, waiting = selectors.coach_queue(request.user)
    return render(
        request,
        "initiatives/staff/coach_queue.html",
        {"assigned": assigned, "waiting": waiting},
    )
