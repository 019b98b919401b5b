import csp.constants
import csp.middleware
import django_otp.middleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import SimpleLazyObject, cached_property

from .sessions import person_read_with


class PrivatePagesMiddleware:
    """Pages rendered for a signed-in person are never stored by a cache (ASVS V14)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response


class OTPMiddleware(django_otp.middleware.OTPMiddleware):
    """django-otp's, with ``request.user`` one lazy object rather than a lazy object
    around AuthenticationMiddleware's lazy object, and the person themselves once read:
    every use of ``request.user`` passed through both lazy objects, some two hundred
    lookups in a Vote POST. The person is the one read with the session where the session
    store read one (``core.sessions``)."""

    def _install_lazy_accessors(self, request):
        super()._install_lazy_accessors(request)
        if getattr(request, "user", None) is not None:
            request.user = SimpleLazyObject(lambda: self._signed_in(request))

    def _signed_in(self, request):
        with person_read_with(request.session):
            user = self._verify_user_sync(request, auth_middleware.get_user(request))
        request.user = user
        return user


# Attributes through which django-csp's decorators change one response's policy.
_CSP_PER_RESPONSE = tuple(
    f"_csp_{name}{suffix}"
    for name in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's, with the site's policy built once instead of twice per response
    (the policy and the report-only one), a tenth of a millisecond each. A response
    whose policy a view changed, or that carries a nonce, is handled by django-csp."""

    @cached_property
    def _site_policy(self):
        """The header for a response nobody changed, or None where django-csp must
        decide every time (a report-only policy or excluded paths are set)."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        if build_policy(report_only=True) or policy.get("EXCLUDE_URL_PREFIXES"):
            return None
        return build_policy()

    def process_response(self, request, response):
        if (
            self._site_policy is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_PER_RESPONSE)
        ):
            return super().process_response(request, response)
        if self._site_policy and csp.constants.HEADER not in response:
            response[csp.constants.HEADER] = self._site_policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
