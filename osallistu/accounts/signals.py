"""Every authentication event goes to the security log and the audit log (ASVS V7)."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from osallistu.core import audit
from osallistu.core.clients import client_address

security_log = logging.getLogger("osallistu.security")


def _client(request):
    return client_address(request) if request is not None else ""


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    security_log.info("login user=%s ip=%s", user.pk, _client(request))
    audit.record(action="auth.login", actor=user, target=user, data={"ip": _client(request)})


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        security_log.info("logout user=%s ip=%s", user.pk, _client(request))
        audit.record(action="auth.logout", actor=user, target=user)


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:254]
    security_log.warning("login failed username=%r ip=%s", username, _client(request))
    audit.record(action="auth.login_failed", data={"username": username, "ip": _client(request)})
