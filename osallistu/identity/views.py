from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from osallistu.accounts.models import VerificationMethod
from osallistu.core.decorators import staff_member_with_mfa

from . import backends, oidc, selectors, services
from .forms import InPersonVerificationForm
from .permissions import may_check_identity

# The language the person started in, so that the callback (one fixed URL
# registered at the provider) answers in it.
LANGUAGE_SESSION_KEY = "identity_oidc_language"


@require_safe
def identify(request):
    """The ways to prove who you are; signed-out people are asked to log in first."""
    context = {
        "resident_backends": backends.resident_backends(),
        "staff_backends": backends.staff_backends(),
    }
    if request.user.is_authenticated:
        context["verifications"] = selectors.verifications_of(request.user)
    return render(request, "identity/identify.html", context)


@require_safe
def oidc_start(request):
    if not request.user.is_authenticated:
        return redirect("identity:identify")
    with translation.override(settings.LANGUAGE_CODE):
        callback = request.build_absolute_uri(reverse("identity:oidc_callback"))
    try:
        response = oidc.authorization_redirect(request, redirect_uri=callback)
    except oidc.IdentificationFailed as failure:
        return _failed(request, failure.reason, failure.message, failure.detail)
    request.session[LANGUAGE_SESSION_KEY] = translation.get_language()
    return response


@require_safe
def oidc_callback(request):
    language = request.session.get(LANGUAGE_SESSION_KEY, translation.get_language())
    translation.activate(language)
    request.LANGUAGE_CODE = language
    if not request.user.is_authenticated:
        failure = oidc.IdentificationFailed("signed_out")
        return _failed(request, failure.reason, failure.message)
    try:
        facts = oidc.identified_facts(request)
        services.record_verification(user=request.user, method=VerificationMethod.OIDC, **facts)
    except oidc.IdentificationFailed as failure:
        return _failed(request, failure.reason, failure.message, failure.detail)
    except services.IdentityError as error:
        # The service has already written the refusal to the audit log.
        return _failed(request, error.code, error.message, audited=True)
    messages.success(request, _("You are now identified. Thank you!"))
    return redirect("accounts:profile")


def _failed(request, reason, message, detail="", *, audited=False):
    if not audited:
        services.record_identification_failure(
            user=request.user, method=VerificationMethod.OIDC, reason=reason, detail=detail
        )
    status = {"cancelled": 200, "unavailable": 502}.get(reason, 400)
    return render(
        request,
        "identity/oidc_failed.html",
        {"reason": reason, "message": message},
        status=status,
    )


@staff_member_with_mfa
@require_http_methods(["GET", "POST"])
def in_person(request):
    """Service point staff record a person whose identity document they checked."""
    if not may_check_identity(request.user):
        raise PermissionDenied
    form = InPersonVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = services.verify_in_person(
                staff=request.user,
                document_type=form.cleaned_data["document_type"],
                person_code=form.cleaned_data["person_code"],
                municipality_code=form.cleaned_data["municipality_code"],
                user=form.account,
                full_name=form.cleaned_data["full_name"],
            )
        except services.IdentityError as error:
            form.add_error("person_code", error.message)
        else:
            messages.success(
                request, _("%(person)s is now verified.") % {"person": verification.user}
            )
            return redirect("identity:in_person")
    return render(request, "identity/in_person.html", {"form": form})
