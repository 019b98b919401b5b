"""Absolute links to the site, for e-mails.

``SITE_URL`` names the public address in production. Where it is empty (development and
the demo, on whatever port they run) a link is made from the address of the request
being served, which Django has checked against ``ALLOWED_HOSTS``; outside a request
(a management command) from the development server's default address.
"""

from contextvars import ContextVar

from django.conf import settings

DEVELOPMENT_URL = "http://127.0.0.1:8000"

_serving = ContextVar("osallistu_request_being_served", default=None)


def absolute_url(path):
    """``path`` (starting with "/") as a link that works from an e-mail."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    request = _serving.get()
    if request is not None:
        return request.build_absolute_uri(path)
    return DEVELOPMENT_URL + path


class RequestSiteMiddleware:
    """Makes the request being served known to ``absolute_url`` for its duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _serving.set(request)
        try:
            return self.get_response(request)
        finally:
            _serving.reset(token)
