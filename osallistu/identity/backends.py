"""Ways a person can prove who they are, as pluggable verification backends.

A backend names its ``VerificationMethod`` and the assurance ``level`` it gives
(eIDAS terms: "low", "substantial", "high"). Residents see every available
backend that has a ``start_url_name``; staff-operated ones have none. A later
method (the school login MPASSid, Suomi.fi directly) subclasses
``VerificationBackend``, registers itself in its app's ``ready`` and calls
``services.record_verification`` with its method when it has a result.
"""

from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import VerificationMethod

from . import oidc

LEVEL_LOW = "low"
LEVEL_SUBSTANTIAL = "substantial"
LEVEL_HIGH = "high"


class VerificationBackend:
    method = None
    level = LEVEL_LOW
    title = ""
    description = ""
    start_url_name = None  # where a resident starts; None when only staff use it

    def is_available(self):
        return True


class ElectronicIdentification(VerificationBackend):
    """Strong electronic identification (online banking, mobile certificate) over OIDC."""

    method = VerificationMethod.OIDC
    level = LEVEL_SUBSTANTIAL
    title = _("Identify with online banking or mobile certificate")
    description = _("You come back here in a minute, and we know your age and home municipality.")
    start_url_name = "identity:oidc_start"

    def is_available(self):
        return oidc.is_available()


class InPersonVerification(VerificationBackend):
    """Staff at a library or service point check an identity document."""

    method = VerificationMethod.IN_PERSON
    level = LEVEL_SUBSTANTIAL
    title = _("Show your ID at a library or service point")
    description = _("Bring your passport, identity card, driving licence or Kela card with photo.")


_backends = {}


def register(backend):
    _backends[backend.method] = backend


def get_backend(method):
    """The backend for ``method``; a method nobody registered is a programming error."""
    try:
        return _backends[method]
    except KeyError:
        raise LookupError(f"No verification backend is registered for {method!r}.") from None


def resident_backends():
    """Backends a person can use themselves, in registration order."""
    return [
        backend
        for backend in _backends.values()
        if backend.start_url_name and backend.is_available()
    ]


def staff_backends():
    return [backend for backend in _backends.values() if not backend.start_url_name]
