import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import parts
from .decorators import staff_member_with_mfa

security_log = logging.getLogger("osallistu.security")


@require_safe
def home(request):
    return render(request, "core/home.html", {"parts": parts.public_parts()})


@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")


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
    except Exception as error:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
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
        request.META.get("REMOTE_ADDR", ""),
    )
    return render(request, "403.html", status=403)
