"""Staff pages of feedback: the queue, one feedback's moderation and handling, and the
API keys of applications.

Every view needs a staff account past the second factor, then a membership of a
division (or the city administrator's role); which feedback is in reach is
``permissions.reach``, and the services check it again and write the history and the
audit log.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.accounts.models import Division, User, normalise_email
from osallistu.core.decorators import staff_member_with_mfa

from . import paging, permissions, selectors, services
from .models import ApiKey, DivisionMember, Feedback
from .staff_forms import (
    AnswerForm,
    ApiKeyForm,
    AssignForm,
    HideForm,
    MemberForm,
    MergeForm,
    PublishForm,
    QueueFilterForm,
    StatusForm,
)

QUEUE_PAGE_SIZE = 50


def _reach(request):
    """What the person may handle; PermissionDenied when nothing."""
    reach = permissions.reach(request.user)
    if not reach.anything:
        raise PermissionDenied
    return reach


@staff_member_with_mfa
@require_safe
def queue(request):
    reach = _reach(request)
    form = QueueFilterForm(request.GET or None, categories=selectors.queue_categories(reach))
    feedback = selectors.staff_queue(request.user, reach=reach, **form.filters())
    page = paging.page_of(feedback, request.GET.get("page"), QUEUE_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/staff/queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "overdue": selectors.overdue_count(reach),
            "may_issue_keys": reach.everything,
        },
    )


def _handled(request, pk):
    return get_object_or_404(
        Feedback.objects.filter(_reach(request).condition()).select_related(
            "service", "service__division", "district", "handler", "author", "duplicate_of"
        ),
        pk=pk,
    )


ACTIONS = ("publish", "hide", "assign", "status", "answer", "merge")


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def handle(request, pk):
    """One feedback for staff: moderate it, assign it, change its status, answer it,
    merge it as a duplicate; and its whole history."""
    feedback = _handled(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in ACTIONS:
        messages.error(request, _("The action was not understood."))
        return redirect("feedback:staff_feedback", feedback.pk)

    def bound(name):
        return request.POST if action == name else None

    forms = {
        "publish": PublishForm(bound("publish"), feedback=feedback),
        "hide": HideForm(bound("hide")),
        "assign": AssignForm(bound("assign"), handlers=permissions.handlers_for(feedback)),
        "status": StatusForm(bound("status"), feedback=feedback),
        "answer": AnswerForm(bound("answer"), feedback=feedback),
        "merge": MergeForm(bound("merge")),
    }
    if action is not None:
        form = forms[action]
        if form.is_valid():
            try:
                done = _act(request, feedback, action, form.cleaned_data)
            except services.FeedbackError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, done)
                return redirect("feedback:staff_feedback", feedback.pk)
    return render(
        request,
        "feedback/staff/feedback.html",
        {
            "feedback": feedback,
            "forms": forms,
            "photos": list(feedback.photos.all()),
            "events": selectors.history(feedback),
            "attributes": _answers(feedback),
        },
        status=400 if action is not None else 200,
    )


def _act(request, feedback, action, data):
    staff = request.user
    if action == "publish":
        services.publish_feedback(
            feedback=feedback,
            staff=staff,
            public_title=data["public_title"],
            public_description=data["public_description"],
            public_address=data["public_address"],
            public_photos=data.get("public_photos", []),
        )
        return _("The feedback is public.")
    if action == "hide":
        services.hide_feedback(feedback=feedback, staff=staff, reason=data["reason"])
        return _("The feedback is hidden.")
    if action == "assign":
        services.assign_handler(feedback=feedback, staff=staff, handler=data["handler"])
        return _("The handler is assigned.")
    if action == "status":
        services.change_status(
            feedback=feedback, staff=staff, status=data["status"], note=data["note"]
        )
        return _("The status is changed.")
    if action == "answer":
        services.answer_feedback(feedback=feedback, staff=staff, text=data["text"])
        return _("The answer is published and sent.")
    original = Feedback.objects.filter(pk=data["original"]).select_related("service").first()
    if original is None:
        raise services.FeedbackError(
            _("There is no feedback number %(number)s.") % {"number": data["original"]},
            code="no_original",
            field="original",
        )
    try:
        services.merge_duplicate(
            duplicate=feedback, original=original, staff=staff, note=data["note"]
        )
    except PermissionDenied:
        raise services.FeedbackError(
            _("Feedback %(number)s is not one you handle.") % {"number": original.pk},
            code="original_out_of_reach",
            field="original",
        ) from None
    return _("The feedback is merged as a duplicate of feedback %(number)s.") % {
        "number": original.pk
    }


def _answers(feedback):
    """The answers to further questions as ``[(question, answer)]`` in the active language."""
    rows = []
    attributes = {
        attribute.code: attribute
        for attribute in feedback.service.attributes.prefetch_related("values")
    }
    for code, value in feedback.attribute_values.items():
        attribute = attributes.get(code)
        if attribute is None:
            rows.append((code, value))
            continue
        names = {choice.key: choice.name for choice in attribute.values.all()}
        values = value if isinstance(value, list) else [value]
        rows.append((attribute.description, ", ".join(names.get(v, v) for v in values)))
    return rows


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def api_keys(request):
    """City administrators issue keys to applications that send feedback; the key is
    shown once, on the page that answers the issuing."""
    if not permissions.may_issue_api_keys(request.user):
        raise PermissionDenied
    form = ApiKeyForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                issued = services.issue_api_key(name=form.cleaned_data["name"], staff=request.user)
            except services.FeedbackError as error:
                form.add_error("name", error.message)
            else:
                status = 200
                form = ApiKeyForm()
    return render(
        request,
        "feedback/staff/api_keys.html",
        {
            "form": form,
            "issued": issued,
            "keys": ApiKey.objects.select_related("created_by", "revoked_by"),
        },
        status=status,
    )


@staff_member_with_mfa
@require_POST
def revoke_api_key(request, pk):
    if not permissions.may_issue_api_keys(request.user):
        raise PermissionDenied
    api_key = get_object_or_404(ApiKey, pk=pk)
    try:
        services.revoke_api_key(api_key=api_key, staff=request.user)
    except services.FeedbackError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The key of %(name)s is revoked.") % {"name": api_key.name})
    return redirect("feedback:staff_api_keys")


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def members(request):
    """City administrators add members of staff to divisions, with the district (or the
    whole city) whose feedback they handle, and remove them."""
    if not permissions.may_manage_members(request.user):
        raise PermissionDenied
    form = MemberForm(request.POST or None, divisions=list(Division.objects.active()))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            user = User.objects.filter(email=normalise_email(data["email"])).first()
            if user is None:
                form.add_error(
                    "email",
                    _("No account has this e-mail address. The person first creates one."),
                )
            else:
                try:
                    services.add_member(
                        added_by=request.user,
                        user=user,
                        division=data["division"],
                        area=data["area"],
                    )
                except services.FeedbackError as error:
                    form.add_error("email", error.message)
                else:
                    messages.success(
                        request,
                        _("%(name)s handles the feedback of %(division)s.")
                        % {"name": user, "division": data["division"]},
                    )
                    return redirect("feedback:staff_members")
    return render(
        request,
        "feedback/staff/members.html",
        {"form": form, "divisions": selectors.division_members()},
        status=status,
    )


@staff_member_with_mfa
@require_POST
def remove_member(request, pk):
    if not permissions.may_manage_members(request.user):
        raise PermissionDenied
    member = get_object_or_404(DivisionMember.objects.select_related("user", "division"), pk=pk)
    services.remove_member(removed_by=request.user, member=member)
    messages.success(
        request,
        _("%(name)s no longer handles the feedback of %(division)s.")
        % {"name": member.user, "division": member.division},
    )
    return redirect("feedback:staff_members")
