import base64
from functools import wraps
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.core.decorators import staff_member_with_mfa

from . import selectors, services
from .forms import (
    AuthenticatorSetupForm,
    EmailAuthenticationForm,
    ProfileForm,
    RegistrationForm,
    TOTPConfirmForm,
)
from .models import PendingRegistration


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(
        request.POST or None, initial={"preferred_language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address has an account: only its owner,
        # reading the e-mail, learns which.
        services.request_registration(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            full_name=form.cleaned_data["full_name"],
            postal_code=form.cleaned_data["postal_code"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        return redirect("accounts:register_sent")
    return render(request, "accounts/register.html", {"form": form})


@require_safe
def register_sent(request):
    hours = int(PendingRegistration.VALID_FOR.total_seconds() // 3600)
    return render(request, "accounts/register_sent.html", {"hours": hours})


@never_cache
@require_http_methods(["GET", "POST"])
def register_confirm(request, token):
    """The link in the registration e-mail. Opening it changes nothing (mail scanners open
    links); the button makes the account and logs the person in."""
    if request.method == "POST":
        try:
            user = services.confirm_registration(token=token)
        except services.RegistrationError as error:
            return render(
                request, "accounts/register_confirm.html", {"error": error.message}, status=400
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        with override(user.preferred_language):
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(reverse("accounts:profile"))
    pending = services.pending_registration(token)
    if pending is None:
        error = _("This link is not valid any more. Create the account again to get a new one.")
        return render(request, "accounts/register_confirm.html", {"error": error}, status=404)
    return render(request, "accounts/register_confirm.html", {"pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "postal_code": user.postal_code,
            "preferred_language": user.preferred_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["preferred_language"]
        services.update_profile(
            user=user,
            full_name=form.cleaned_data["full_name"],
            postal_code=form.cleaned_data["postal_code"],
            preferred_language=language,
        )
        # The next page is in the language the person just chose.
        with override(language):
            messages.success(request, _("Your details are saved."))
            return redirect(reverse("accounts:profile"))
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile_user": user, "roles": user.roles.select_related("area")},
    )


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _qr_svg(uri):
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _verify_allowed(device, form):
    """After a wrong code django-otp makes the next try wait a little longer each time;
    say so instead of silently refusing a correct code."""
    allowed = device.verify_is_allowed()[0]
    if not allowed:
        form.add_error(
            "token",
            _("Too many wrong codes. Wait a moment and try again with a new code."),
        )
    return allowed


# The key of the app being set up lives in this session only: nobody else (another
# session of the same account included) sees it or can confirm it.
AUTHENTICATOR_KEY_SESSION_KEY = "accounts_new_authenticator_key"


def _to_second_step(request, next_url):
    return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': next_url})}")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Staff set up an authenticator app: scan, then type one code to prove it works.

    The first app of an account needs only the password; adding or replacing one needs
    the second factor of this session (or a city administrator's reset)."""
    user = request.user
    if not user.is_staff:
        messages.info(request, _("Two-step verification is for staff accounts."))
        return redirect("accounts:profile")
    apps = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    if apps and not user.is_verified():
        messages.info(
            request,
            _(
                "Your account already has two-step verification. Give a code from your "
                "authenticator app first; then you can add or replace one."
            ),
        )
        return _to_second_step(request, request.get_full_path())
    key = request.session.get(AUTHENTICATOR_KEY_SESSION_KEY)
    if key is None:
        key = request.session[AUTHENTICATOR_KEY_SESSION_KEY] = services.new_authenticator_key()
    form = (AuthenticatorSetupForm if apps else TOTPConfirmForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.enrol_authenticator(
                user=user,
                key=key,
                token=form.cleaned_data["token"],
                verified_with=user.otp_device if user.is_verified() else None,
                replace=form.cleaned_data.get("replace", False),
            )
        except services.SecondFactorError as error:
            if error.code != "second_factor_needed":
                form.add_error("token", error.message)
            else:  # another session turned on an app a moment ago
                messages.error(request, error.message)
                return _to_second_step(request, request.get_full_path())
        else:
            del request.session[AUTHENTICATOR_KEY_SESSION_KEY]
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on."))
            return redirect(_safe_next(request, reverse("accounts:profile")))
    device = services.authenticator_device(user=user, key=key)
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "apps": apps,
            "qr": _qr_svg(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step for staff: a code from the authenticator app."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        query = urlencode({"next": _safe_next(request, "")})
        return redirect(f"{reverse('accounts:mfa_setup')}?{query}")
    form = TOTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _verify_allowed(devices[0], form):
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request, reverse("accounts:profile")))
        form.add_error("token", _("The code did not match. Check the time on your phone."))
    return render(request, "accounts/mfa_verify.html", {"form": form})


def _city_admin_page(view):
    """Staff pages of accounts: past the second factor, and for city administrators."""

    @staff_member_with_mfa
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.is_city_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


STAFF_PER_PAGE = 50


@_city_admin_page
@require_safe
def staff_accounts(request):
    """Staff accounts with their roles and authenticator apps: where a city administrator
    resets the second factor of someone who lost theirs."""
    page = Paginator(selectors.staff_accounts(), STAFF_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_accounts.html", {"page": page})


@_city_admin_page
@require_http_methods(["GET", "POST"])
def staff_reset_second_factor(request, pk):
    person = get_object_or_404(selectors.staff_accounts(), pk=pk)
    if request.method == "POST":
        removed = services.reset_second_factor(actor=request.user, user=person)
        messages.success(
            request,
            ngettext(
                "%(count)s authenticator app of %(person)s was removed. They set up a new one "
                "on their next visit to a staff page, and got an e-mail about it.",
                "%(count)s authenticator apps of %(person)s were removed. They set up a new one "
                "on their next visit to a staff page, and got an e-mail about it.",
                removed,
            )
            % {"count": removed, "person": person},
        )
        return redirect("accounts:staff_accounts")
    return render(request, "accounts/staff_reset_second_factor.html", {"person": person})
