"""Who sent a request: the client's address, as configured for the proxies in front."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address, for lockouts, rate limits and the security log.

    Without proxies (``PROXY_COUNT`` 0) it is the connection's peer. Behind
    ``PROXY_COUNT`` proxies, each appending the address it saw to X-Forwarded-For, it is
    the entry written by the outermost of them, counted from the right: entries further
    left come from the client and may be anything, so trusting them would let anyone
    pick an address (and lock out, or escape a lockout, as anybody).
    """
    peer = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        # Not through all our proxies: only the peer is known.
        return peer
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return peer
