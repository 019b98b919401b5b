"""Public pages of residents' initiatives and the authors' own actions. Thin: services
decide, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .forms import (
    AuthorForm,
    FilterForm,
    HelpForm,
    InitiativeForm,
    InviteForm,
    ReasonForm,
    SendForm,
    StartForm,
)
from .models import State
from .services import InitiativeError

PAGE_SIZE = 20
# Refusals that the person can fix by proving who they are.
FIXABLE_BY_IDENTIFYING = {"not_verified", "not_resident", "birth_date_unknown"}


def _posted(request):
    """The form data of a POST (even an empty one, so that it is checked), else None."""
    return request.POST if request.method == "POST" else None


def _visible(request, pk):
    """The initiative ``pk`` if this person may see it; 404 otherwise, so that a draft's
    existence is not told to others."""
    initiative = selectors.initiative_for_page(pk)
    if initiative is None or not selectors.may_see(initiative, request.user):
        raise Http404
    return initiative


def _authored(request, pk):
    """The initiative ``pk`` and the person's Author row; 404 unless they are an author."""
    initiative = _visible(request, pk)
    author = initiative.authors.filter(user=request.user).first()
    if author is None:
        raise Http404
    return initiative, author


@require_safe
def initiative_list(request):
    form = FilterForm(request.GET or None)
    initiatives = selectors.public_initiatives(**form.filters())
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/list.html",
        {
            "form": form,
            "page": page,
            "items": selectors.with_progress(page.object_list),
            "query": query.urlencode(),
        },
    )


def _detail(request, initiative, *, invite_form=None, status=200):
    user = request.user
    authors = selectors.authors_of(initiative)
    is_author = user.is_authenticated and any(author.user_id == user.pk for author in authors)
    counted = selectors.supports_counted(initiative)
    context = {
        "initiative": initiative,
        "authors": authors,
        "is_author": is_author,
        "progress": selectors.with_progress([initiative])[0][1],
        "supports_total": selectors.supports_total(initiative),
        "supports_counted": counted,
        "per_day": selectors.supports_per_day(initiative) if initiative.is_public else [],
        "transitions": list(initiative.transitions.all()),
        "attachments": list(initiative.attachments.all()),
        "support": selectors.support_of(initiative, user),
        "following": selectors.is_following(initiative, user),
        "overdue": initiative.is_overdue(),
    }
    if is_author:
        context["invitations"] = list(initiative.invitations.all())
        context["invite_form"] = invite_form or InviteForm()
    return render(request, "initiatives/detail.html", context, status=status)


@require_safe
def initiative_detail(request, pk):
    return _detail(request, _visible(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def initiative_new(request):
    form = StartForm(_posted(request), language=get_language())
    if request.method == "GET" and request.user.full_name:
        form.initial.setdefault("public_name", request.user.full_name)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.start_initiative(
                author=request.user, details=form.author_details(), **form.for_service()
            )
        except InitiativeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Your draft is saved. Only its authors see it until you publish it or "
                    "send it to the city."
                ),
            )
            return redirect("initiatives:detail", initiative.pk)
    return render(request, "initiatives/form.html", {"form": form}, status=_status(request, form))


def _status(request, form):
    return 400 if request.method == "POST" and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk):
    initiative, _author = _authored(request, pk)
    if initiative.state != State.DRAFT:
        return _refusal(
            request,
            initiative,
            _("The initiative can no longer be edited"),
            _("Only a draft can be edited: people have supported the published text."),
        )
    form = InitiativeForm(_posted(request), initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_initiative(
                initiative=initiative, actor=request.user, **form.for_service()
            )
        except InitiativeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your draft is saved."))
            return redirect("initiatives:detail", initiative.pk)
    return render(
        request,
        "initiatives/form.html",
        {"form": form, "initiative": initiative},
        status=_status(request, form),
    )


def _refusal(request, initiative, heading, reason, *, fixable=False, status=403):
    return render(
        request,
        "initiatives/refusal.html",
        {"initiative": initiative, "heading": heading, "reason": reason, "fixable": fixable},
        status=status,
    )


def _done_or_refused(request, initiative, action, success, heading):
    """Run ``action()``; on success show ``success`` and go back to the initiative, on a
    refusal show why."""
    try:
        action()
    except InitiativeError as error:
        return _refusal(
            request,
            initiative,
            heading,
            error.message,
            fixable=error.code in FIXABLE_BY_IDENTIFYING,
        )
    messages.success(request, success)
    return redirect("initiatives:detail", initiative.pk)


@login_required
@require_POST
def initiative_delete(request, pk):
    initiative, _author = _authored(request, pk)
    try:
        services.delete_draft(initiative=initiative, actor=request.user)
    except InitiativeError as error:
        return _refusal(request, initiative, _("The draft cannot be deleted"), error.message)
    messages.success(request, _("The draft is deleted."))
    return redirect("initiatives:my")


@login_required
@require_POST
def initiative_publish(request, pk):
    initiative, _author = _authored(request, pk)
    return _done_or_refused(
        request,
        initiative,
        lambda: services.publish_initiative(initiative=initiative, actor=request.user),
        _("The initiative is published. Residents can now support it."),
        _("The initiative cannot be published"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_send(request, pk):
    initiative, _author = _authored(request, pk)
    if initiative.state not in (State.DRAFT, State.COLLECTING):
        return _refusal(
            request,
            initiative,
            _("The initiative cannot be sent"),
            _("The initiative has already been sent to the city."),
        )
    form = SendForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.send_initiative(initiative=initiative, actor=request.user)
        except InitiativeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "The initiative is sent to the city. The registry registers it, and you "
                    "get an e-mail when its state changes."
                ),
            )
            return redirect("initiatives:detail", initiative.pk)
    context = {
        "initiative": initiative,
        "form": form,
        "progress": selectors.with_progress([initiative])[0][1],
        "supports_total": selectors.supports_total(initiative),
    }
    return render(request, "initiatives/send.html", context, status=_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def initiative_withdraw(request, pk):
    initiative, _author = _authored(request, pk)
    if initiative.state != State.COLLECTING:
        return _refusal(
            request,
            initiative,
            _("The initiative cannot be withdrawn"),
            _("Only an initiative that is collecting support can be withdrawn here."),
        )
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_initiative(
                initiative=initiative, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except InitiativeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The initiative is withdrawn."))
            return redirect("initiatives:detail", initiative.pk)
    return render(
        request,
        "initiatives/withdraw.html",
        {"initiative": initiative, "form": form},
        status=_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_help(request, pk):
    initiative, _author = _authored(request, pk)
    form = HelpForm(_posted(request), initial={"message": initiative.help_message})
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.request_help(
                initiative=initiative, actor=request.user, message=form.cleaned_data["message"]
            )
        except InitiativeError as error:
            form.add_error(None, error.message)
        else:
            if initiative.coach_id is not None:
                messages.success(
                    request,
                    _("A city coach has been asked to help you: %(name)s.")
                    % {"name": initiative.coach},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your request is sent. The city will find a city coach to help you and "
                        "you will get an e-mail."
                    ),
                )
            return redirect("initiatives:detail", initiative.pk)
    return render(
        request,
        "initiatives/help.html",
        {"initiative": initiative, "form": form},
        status=_status(request, form),
    )


@login_required
@require_POST
def initiative_invite(request, pk):
    initiative, _author = _authored(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite_coauthor(
                initiative=initiative, actor=request.user, email=form.cleaned_data["email"]
            )
        except InitiativeError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("The invitation is sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("initiatives:detail", initiative.pk)
    return _detail(request, initiative, invite_form=form, status=400)


@login_required
@require_POST
def invitation_cancel(request, pk, invitation):
    initiative, _author = _authored(request, pk)
    found = initiative.invitations.filter(pk=invitation).first()
    if found is None:
        raise Http404
    return _done_or_refused(
        request,
        initiative,
        lambda: services.cancel_invitation(invitation=found, actor=request.user),
        _("The invitation is cancelled."),
        _("The invitation cannot be cancelled"),
    )


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """A co-author's link: who invites them to what, and joining after logging in."""
    found = services.invitation_for(token)
    if found is None:
        return render(request, "initiatives/invitation.html", {"invalid": True}, status=404)
    initiative = found.initiative
    form = None
    if request.user.is_authenticated:
        form = AuthorForm(
            _posted(request),
            initial={"public_name": request.user.full_name},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.accept_invitation(
                    token=token, user=request.user, details=form.author_details()
                )
            except InitiativeError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("You are now an author of the initiative."))
                return redirect("initiatives:detail", initiative.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "initiatives/invitation.html",
        {"invitation": found, "initiative": initiative, "form": form},
        status=_status(request, form) if form is not None else 200,
    )


@login_required
@require_POST
def support(request, pk):
    initiative = _visible(request, pk)
    return _done_or_refused(
        request,
        initiative,
        lambda: services.support_initiative(initiative=initiative, user=request.user),
        _("Thank you! Your support is recorded."),
        _("You cannot support this initiative"),
    )


@login_required
@require_POST
def support_withdraw(request, pk):
    initiative = _visible(request, pk)
    return _done_or_refused(
        request,
        initiative,
        lambda: services.withdraw_support(initiative=initiative, user=request.user),
        _("Your support is withdrawn."),
        _("Your support cannot be withdrawn"),
    )


@login_required
@require_POST
def follow(request, pk):
    initiative = _visible(request, pk)
    return _done_or_refused(
        request,
        initiative,
        lambda: services.follow(initiative=initiative, user=request.user),
        _("You will get an e-mail when the initiative's state changes."),
        _("You cannot follow this initiative"),
    )


@login_required
@require_POST
def unfollow(request, pk):
    initiative = _visible(request, pk)
    services.unfollow(initiative=initiative, user=request.user)
    messages.success(request, _("You no longer get e-mails about this initiative."))
    return redirect("initiatives:detail", initiative.pk)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in a follower's e-mail: a button to stop them (a GET changes nothing,
    so that a mail scanner opening the link does not unsubscribe anyone)."""
    if request.method == "POST":
        initiative = services.unsubscribe(token=token)
        return render(
            request,
            "initiatives/unsubscribe.html",
            {"done": True, "initiative": initiative, "invalid": initiative is None},
            status=200 if initiative is not None else 404,
        )
    follower = selectors.follower_by_token(token)
    return render(
        request,
        "initiatives/unsubscribe.html",
        {"initiative": follower.initiative if follower else None, "invalid": follower is None},
        status=200 if follower is not None else 404,
    )


@login_required
@require_safe
def my_initiatives(request):
    return render(
        request,
        "initiatives/my.html",
        {"initiatives": selectors.my_initiatives(request.user)},
    )
