"""A person's own data: download it, delete the account; and the same download made by
staff for a person who asks at a service point."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.core import privacy
from osallistu.core.decorators import staff_member_with_mfa

from .forms import DeleteAccountForm, FindPersonForm
from .models import User
from .selectors import may_export_for


@login_required
@require_safe
@never_cache
def my_data(request):
    return render(request, "accounts/my_data.html", {})


def _download(user, *, as_zip):
    stamp = timezone.localdate().isoformat()
    if as_zip:
        response = HttpResponse(privacy.export_zip(user), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="osallistu-{stamp}.zip"'
    else:
        body = json.dumps(privacy.export_data(user), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="osallistu-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def my_data_download(request):
    privacy.record_export(user=request.user, actor=request.user)
    return _download(request.user, as_zip=request.POST.get("format") == "zip")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.delete_account(
                user=user, actor=user, remove_content=form.cleaned_data["remove_content"]
            )
        except privacy.AccountNotDeletable as error:
            form.add_error(None, error.message)
        else:
            # Not logout(): its signal would log the deleted account as the actor. The
            # account's sessions went with it; this browser gets a fresh one.
            request.session.flush()
            request.user = AnonymousUser()
            messages.success(request, form.done_message)
            return redirect("core:home")
    remove_content = form.is_bound and form.data.get("remove_content") == "on"
    preview = privacy.delete_account(user=user, remove_content=remove_content, dry_run=True)
    return render(request, "accounts/delete_account.html", {"form": form, "preview": preview})


@staff_member_with_mfa
@require_safe
def staff_person_data(request):
    """Staff find the person in front of them by their exact e-mail address and download
    their data for them; each download is in the audit log on the person's behalf."""
    if not may_export_for(request.user, None):
        raise PermissionDenied
    form = FindPersonForm(request.GET or None)
    person = None
    if form.is_valid():
        person = User.objects.filter(email=form.cleaned_data["email"]).first()
        if person is not None and not may_export_for(request.user, person):
            person = None
        if person is None:
            form.add_error("email", form.not_found_message)
    return render(request, "accounts/staff_person_data.html", {"form": form, "person": person})


@staff_member_with_mfa
@require_POST
def staff_person_data_download(request, pk):
    person = get_object_or_404(User, pk=pk)
    if not may_export_for(request.user, person):
        raise PermissionDenied
    privacy.record_export(user=person, actor=request.user, in_person=True)
    return _download(person, as_zip=True)
