"""The admin site, installed as ``osallistu.core.admin_site.AdminConfig``."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    """Django's admin behind the site's own login and second step.

    The admin's own login page would ask a signed-in member of staff for their password
    again, with an untranslated "OTP Token" field, and tell them to log in as someone
    else; instead people are sent to the step they are missing and come back.
    """

    site_header = _("Osallistu administration")
    site_title = _("Osallistu administration")

    def has_permission(self, request):
        return super().has_permission(request) and (
            not settings.ADMIN_REQUIRES_OTP or request.user.is_verified()
        )

    def login(self, request, extra_context=None):
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if settings.ADMIN_REQUIRES_OTP and not user.is_verified():
            return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': target})}")
        return redirect(target)


class AdminConfig(DjangoAdminConfig):
    default_site = "osallistu.core.admin_site.AdminSite"

    def ready(self):
        super().ready()  # registers every app's admin
        from django.contrib.auth.models import Group
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from helusers.models import ADGroup, ADGroupMapping, OIDCBackChannelLogoutEvent

        # What staff may do comes from their roles, not from groups. An authenticator app
        # is set up by its owner and reset by a city administrator (accounts): django-otp's
        # own page would let an administrator add one for anybody, or read its secret.
        # django-helusers' tables serve only the Helsinki profile's tokens.
        for model in (Group, TOTPDevice, ADGroup, ADGroupMapping, OIDCBackChannelLogoutEvent):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
