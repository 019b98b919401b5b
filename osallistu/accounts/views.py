import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .forms import EmailAuthenticationForm, ProfileForm, RegistrationForm, TOTPConfirmForm


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
        user = services.register_resident(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            full_name=form.cleaned_data["full_name"],
            postal_code=form.cleaned_data["postal_code"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form})


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


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Staff enrol an authenticator app: scan, type one code to prove it works."""
    if not request.user.is_staff:
        messages.info(request, _("Two-step verification is for staff accounts."))
        return redirect("accounts:profile")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Authenticator app"), confirmed=False
        )
    form = TOTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _verify_allowed(device, form):
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            services.record_mfa_enrolled(user=request.user)
            messages.success(request, _("Two-step verification is on."))
            return redirect(_safe_next(request, reverse("accounts:profile")))
        form.add_error("token", _("The code did not match. Check the time on your phone."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr": _qr_svg(device.config_url), "secret": secret},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step for staff: a code from the authenticator app."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:mfa_setup')}?next={_safe_next(request, '')}")
    form = TOTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _verify_allowed(devices[0], form):
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request, reverse("accounts:profile")))
        form.add_error("token", _("The code did not match. Check the time on your phone."))
    return render(request, "accounts/mfa_verify.html", {"form": form})
