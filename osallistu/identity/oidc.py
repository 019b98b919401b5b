"""Strong electronic identification over OpenID Connect (authorization code flow).

Authlib's Django client does the protocol: state and nonce kept in the session,
PKCE, the token request, and the ID token's RS256 signature checked against the
provider's JWKS together with its issuer, audience, expiry and nonce. This module
adds what is ours: the issuer and algorithm come from our settings, not from the
provider's discovery document, the claims become the facts we store, and every
way the flow can fail becomes one ``IdentificationFailed`` reason with a message
the person can act on.
"""

import datetime
import re

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from joserfc.errors import ExpiredTokenError, JoseError

from osallistu.core.errors import DomainError

# Seconds of clock difference tolerated between us and the provider.
CLOCK_LEEWAY = 60

FAILURES = {
    "cancelled": _(
        "You cancelled the identification, so nothing was changed. You can try again "
        "whenever you like."
    ),
    "provider_error": _(
        "The identification service could not identify you, so nothing was changed. "
        "Please try again. If it keeps happening, you can show your ID at a library."
    ),
    "state": _(
        "This identification does not belong to this browser session, or it was already "
        "used. This happens if you started in another tab or used the Back button. "
        "Please start again."
    ),
    "expired": _(
        "The answer from the identification service was too old, so we did not use it. "
        "Please start again."
    ),
    "invalid_token": _(
        "We could not confirm that the answer really came from the identification "
        "service, so we did not use it. Please start again. If it keeps happening, "
        "contact the city's customer service."
    ),
    "missing_claims": _(
        "The identification service did not tell us your birth date and home "
        "municipality, so we could not verify you. You can show your ID at a library or "
        "service point instead."
    ),
    "unavailable": _(
        "We could not reach the identification service, so nothing was changed. Please "
        "try again in a few minutes."
    ),
    "not_available": _(
        "Electronic identification is not in use in this service. You can show your ID "
        "at a library or service point instead."
    ),
    "signed_out": _(
        "You are no longer logged in, so we could not save your identification. Log in "
        "and start again."
    ),
}

MUNICIPALITY_CODE = re.compile(r"\d{1,3}")


class IdentificationFailed(DomainError):
    """The flow did not give us a trustworthy identification; ``code`` names the reason.
    ``detail`` is for the audit log only and never contains claim values."""

    def __init__(self, reason, detail=""):
        super().__init__(FAILURES[reason], code=reason)
        self.detail = detail

    @property
    def reason(self):
        return self.code


class _Provider(DjangoOAuth2App):
    def load_server_metadata(self):
        metadata = super().load_server_metadata()
        # Whom we trust and how they sign is our configuration, not the provider's
        # document: a changed discovery document must not widen either.
        metadata["issuer"] = settings.OIDC_ISSUER
        metadata["id_token_signing_alg_values_supported"] = [settings.OIDC_SIGNING_ALGORITHM]
        return metadata


def _provider():
    # Built per request from settings: cheap, and changed settings take effect at once.
    return _Provider(
        framework=DjangoIntegration("identity"),
        name="identity",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=settings.OIDC_DISCOVERY_URL,
        client_kwargs={
            "scope": settings.OIDC_SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": settings.OIDC_TIMEOUT,
        },
    )


def is_available():
    return bool(settings.OIDC_ISSUER)


def authorization_redirect(request, *, redirect_uri):
    """The redirect that sends the person to the provider; state goes to the session."""
    if not is_available():
        raise IdentificationFailed("not_available")
    try:
        return _provider().authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError) as error:
        raise IdentificationFailed("unavailable", type(error).__name__) from None


def identified_facts(request):
    """Finish the flow on the callback request and return what the provider asserted:
    ``{"birth_date", "municipality_code", "person_code"}``.

    Raises ``IdentificationFailed`` for every way the answer can be unusable.
    """
    if not is_available():
        raise IdentificationFailed("not_available")
    try:
        token = _provider().authorize_access_token(
            request,
            leeway=CLOCK_LEEWAY,
            claims_options={"iss": {"essential": True, "values": [settings.OIDC_ISSUER]}},
        )
        # Only the signed ID token is trusted for the facts; without one there are none.
        if "userinfo" not in token:
            raise IdentificationFailed("invalid_token", "no ID token")
        claims = dict(token["userinfo"])
    except MismatchingStateError:
        raise IdentificationFailed("state") from None
    except OAuthError as error:
        reason = "cancelled" if error.error == "access_denied" else "provider_error"
        raise IdentificationFailed(reason, f"{error.error}: {error.description}") from None
    except ExpiredTokenError:
        raise IdentificationFailed("expired") from None
    except JoseError as error:
        raise IdentificationFailed("invalid_token", f"{type(error).__name__}: {error}") from None
    except (requests.RequestException, ValueError) as error:
        raise IdentificationFailed("unavailable", type(error).__name__) from None
    return _facts_from_claims(claims)


def _facts_from_claims(claims):
    birthdate = claims.get(settings.OIDC_BIRTHDATE_CLAIM)
    municipality = str(claims.get(settings.OIDC_MUNICIPALITY_CLAIM) or "")
    person_code = claims.get(settings.OIDC_PERSON_CODE_CLAIM) or None
    if not MUNICIPALITY_CODE.fullmatch(municipality):
        raise IdentificationFailed("missing_claims", settings.OIDC_MUNICIPALITY_CLAIM)
    if not birthdate and not person_code:
        raise IdentificationFailed("missing_claims", settings.OIDC_BIRTHDATE_CLAIM)
    try:
        birth_date = datetime.date.fromisoformat(birthdate) if birthdate else None
    except (TypeError, ValueError):
        raise IdentificationFailed("missing_claims", "birthdate is not an ISO date") from None
    return {
        "birth_date": birth_date,
        # Statistics Finland codes are three digits; some brokers drop the leading zero.
        "municipality_code": municipality.zfill(3),
        "person_code": person_code,
    }
