import django_otp.middleware
from django.contrib.auth import middleware as auth_middleware
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import SimpleLazyObject


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
    around AuthenticationMiddleware's lazy object: every use of ``request.user`` passed
    through both, some two hundred times in a Vote POST (see bench/voting.py)."""

    def _install_lazy_accessors(self, request):
        super()._install_lazy_accessors(request)
        if getattr(request, "user", None) is not None:
            request.user = SimpleLazyObject(
                lambda: self._verify_user_sync(request, auth_middleware.get_user(request))
            )
