import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import parts, personal_data
from .clients import client_address
from .decorators import staff_member_with_mfa

logger = logging.getLogger(__name__)
security_log = logging.getLogger("osallistu.security")


@require_safe
def home(request):
    return render(request, "core/home.html", {"parts": parts.public_parts()})


@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_safe
def privacy_notice(request):
    """The privacy notice, written from the register of personal data."""
    return render(
        request,
        "core/privacy_notice.html",
        {
            "purposes": [
                (
                    purpose,
                    [
                        (model._meta.verbose_name_plural, [f.verbose_name for f in fields])
                        for model, fields in fields_by_model
                    ],
                )
                for purpose, fields_by_model in personal_data.purposes()
            ],
            "retention_rules": personal_data.retention_rules(),
        },
    )


@staff_member_with_mfa
@require_safe
def staff_desk(request):
    return render(request, "core/staff_desk.html", {"tools": parts.staff_tools(request.user)})


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        # The error's text (hosts, users, paths) is for the operators' log, not for anyone
        # who can reach the address.
        logger.exception("health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    # Refused authorisations are security events (ASVS V7).
    user = getattr(request, "user", None)
    security_log.warning(
        "forbidden path=%s user=%s ip=%s",
        request.path,
        user.pk if user is not None and user.is_authenticated else None,
        client_address(request),
    )
    return render(request, "403.html", status=403)
