"""The rate limit of the open data API, where every client is anonymous."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from osallistu.core.clients import client_address


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests per client address (``core.clients``: behind the configured proxies),
    at the rate ``API_ANON_RATE`` sets."""

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]

    def get_ident(self, request):
        return client_address(request)
