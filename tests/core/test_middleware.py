"""Our subclasses of third-party middleware behave as the originals do."""

import csp.middleware
import pytest
from csp.exceptions import CSPNonceError
from django.http import HttpResponse
from django.test import RequestFactory

from osallistu.core.middleware import CSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def served(middleware, view):
    request = RequestFactory().get("/")
    return request, middleware(view)(request)


def headers(response):
    return {name: response.get(name) for name in HEADERS}


def changed_policy(request):
    response = HttpResponse()
    response._csp_update = {"img-src": ["https://tiles.example.fi"]}
    return response


def exempt(request):
    response = HttpResponse()
    response._csp_exempt = True
    return response


def using_a_nonce(request):
    return HttpResponse(str(request.csp_nonce))


@pytest.mark.parametrize(
    "view", [lambda request: HttpResponse(), changed_policy, exempt, using_a_nonce]
)
def test_the_policy_is_django_csps(view):
    _request, ours = served(CSPMiddleware, view)
    _request, theirs = served(csp.middleware.CSPMiddleware, view)
    assert headers(ours) == headers(theirs)


def test_the_sites_policy_and_a_changed_one():
    _request, response = served(CSPMiddleware, lambda request: HttpResponse())
    assert "default-src 'self'" in response["Content-Security-Policy"]
    _request, response = served(CSPMiddleware, changed_policy)
    assert "https://tiles.example.fi" in response["Content-Security-Policy"]
    _request, response = served(CSPMiddleware, exempt)
    assert "Content-Security-Policy" not in response


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request, _response = served(CSPMiddleware, lambda request: HttpResponse())
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
