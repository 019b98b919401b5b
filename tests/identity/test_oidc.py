"""Strong electronic identification end to end against a real OIDC provider.

The provider (oidc-provider-mock) runs over HTTP on localhost; the person's
browser is played by Django's test client for our pages and by ``requests``
for the provider's consent form.
"""

import base64
import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import werkzeug
from django.utils import translation

from osallistu.accounts.models import VerificationMethod
from osallistu.core.models import AuditEntry
from osallistu.identity import services
from osallistu.identity.models import IdentityVerification
from osallistu.identity.person_code import parse_person_code
from tests.factories import UserFactory
from tests.identity.oidc_provider import running_provider, serve_in_thread, use_provider

pytestmark = [
    pytest.mark.django_db,
    # The mock provider uses Authlib's older server API; that is its concern, not ours.
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]

START = "/en/identity/electronic/start/"
PERSON_CODE = "131052-308T"
HELSINKI_PUPIL = {"birthdate": "2013-11-09", "municipality_code": "091", "name": "Aino"}


def identify(client, *, sub, deny=False):
    """Click "Identify", authenticate (or cancel) at the provider, come back."""
    start = client.get(START)
    assert start.status_code == 302, start.content
    authorize_url = start["Location"]
    form = {"action": "deny"} if deny else {"sub": sub}
    answer = requests.post(authorize_url, data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def failure_reason(response):
    html = response.content.decode()
    assert "Identification did not succeed" in html
    return html


def test_happy_path_verifies_the_signed_in_account(client, provider):
    provider.set_person("aino", **HELSINKI_PUPIL)
    user = UserFactory()
    client.force_login(user)

    response = identify(client, sub="aino")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    user.refresh_from_db()
    assert user.verification_method == VerificationMethod.OIDC
    assert user.is_strongly_identified
    assert user.birth_date == datetime.date(2013, 11, 9)
    assert user.municipality_code == "091"
    assert user.person_digest is None
    verification = IdentityVerification.objects.get(user=user)
    assert verification.method == "oidc"
    assert verification.verified_by is None
    entry = AuditEntry.objects.get(action="identity.verified")
    assert entry.actor == user
    assert entry.data["method"] == "oidc"
    page = client.get("/en/accounts/profile/").content.decode()
    assert "You are now identified" in page


def test_the_authorization_request_uses_state_nonce_and_pkce(client, provider):
    client.force_login(UserFactory())
    query = parse_qs(urlsplit(client.get(START)["Location"]).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["osallistu-test"]
    assert query["state"] and query["nonce"]
    assert query["code_challenge_method"] == ["S256"]
    # One redirect URI for every language, so the provider needs only one registered.
    assert query["redirect_uri"] == ["http://testserver/fi/identity/electronic/callback/"]


def test_personal_identity_code_claim_is_kept_only_as_digest(client, provider):
    provider.set_person(
        "matti", birthdate="1952-10-13", municipality_code="091", national_id=PERSON_CODE
    )
    user = UserFactory()
    client.force_login(user)

    assert identify(client, sub="matti").status_code == 302

    user.refresh_from_db()
    assert user.person_digest == parse_person_code(PERSON_CODE).digest


def test_the_answer_comes_in_the_language_the_person_started_in(client, provider):
    provider.set_person("kalle", birthdate="2013-11-09")  # no municipality
    client.force_login(UserFactory())
    start = client.get("/sv/identity/electronic/start/")
    answer = requests.post(
        start["Location"], data={"sub": "kalle"}, allow_redirects=False, timeout=10
    )
    callback = urlsplit(answer.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 400
    with translation.override("sv"):
        assert "Identifieringen lyckades inte" in response.content.decode()


def test_missing_municipality_is_refused_with_what_to_do(client, provider):
    provider.set_person("kalle", birthdate="2013-11-09")
    user = UserFactory()
    client.force_login(user)

    response = identify(client, sub="kalle")

    assert response.status_code == 400
    html = failure_reason(response)
    assert "did not tell us your birth date and home municipality" in html
    assert "library" in html
    user.refresh_from_db()
    assert not user.verification_method
    entry = AuditEntry.objects.get(action="identity.identification_failed")
    assert entry.data["reason"] == "missing_claims"
    assert entry.actor == user


def test_cancel_at_the_provider(client, provider):
    client.force_login(UserFactory())
    response = identify(client, sub="", deny=True)
    assert response.status_code == 200
    assert "You cancelled the identification" in failure_reason(response)
    assert AuditEntry.objects.get(action="identity.identification_failed").data["reason"] == (
        "cancelled"
    )


def test_provider_error(client, provider):
    client.force_login(UserFactory())
    client.get("/fi/identity/electronic/start/")
    response = client.get(
        "/fi/identity/electronic/callback/?error=server_error&error_description=down"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tunnistautuminen ei onnistunut" in html
    assert "Tunnistuspalvelu ei pystynyt tunnistamaan sinua" in html
    entry = AuditEntry.objects.get(action="identity.identification_failed")
    assert entry.data == {
        "method": "oidc",
        "reason": "provider_error",
        "detail": "server_error: down",
    }


def test_state_mismatch_and_replay_are_refused(client, provider):
    provider.set_person("aino", **HELSINKI_PUPIL)
    client.force_login(UserFactory())
    start = client.get(START)
    answer = requests.post(
        start["Location"], data={"sub": "aino"}, allow_redirects=False, timeout=10
    )
    callback = urlsplit(answer.headers["Location"])
    query = parse_qs(callback.query)

    forged = client.get(f"{callback.path}?code={query['code'][0]}&state=forged")
    assert forged.status_code == 400
    assert "does not belong to this browser session" in failure_reason(forged)

    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    replayed = client.get(f"{callback.path}?{callback.query}")
    assert replayed.status_code == 400
    assert "already" in failure_reason(replayed)


def test_wrong_issuer_is_refused(client, settings):
    with running_provider() as url:
        provider = use_provider(settings, url, issuer="https://tunnistus.example.fi")
        provider.set_person("aino", **HELSINKI_PUPIL)
        user = UserFactory()
        client.force_login(user)
        response = identify(client, sub="aino")
    assert response.status_code == 400
    assert "could not confirm that the answer really came" in failure_reason(response)
    user.refresh_from_db()
    assert not user.is_strongly_identified
    assert AuditEntry.objects.get(action="identity.identification_failed").data["reason"] == (
        "invalid_token"
    )


def test_expired_id_token_is_refused(client, settings):
    with running_provider(access_token_max_age=datetime.timedelta(minutes=-10)) as url:
        provider = use_provider(settings, url)
        provider.set_person("aino", **HELSINKI_PUPIL)
        user = UserFactory()
        client.force_login(user)
        response = identify(client, sub="aino")
    assert response.status_code == 400
    assert "was too old" in failure_reason(response)
    user.refresh_from_db()
    assert not user.is_strongly_identified


def _tamper(id_token):
    """Make the person older in the ID token and keep the provider's signature."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["birthdate"] = "1990-01-01"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def meddling_proxy(upstream, *, authorize_params=None, token_client_id=None, tamper=False):
    """Stands between us and the provider and changes what passes, as an attacker
    or a misbehaving broker would: parameters of the authorization request, the
    client the code is redeemed for, or the ID token in the answer."""

    def app(environ, start_response):
        request = werkzeug.Request(environ)
        headers = {
            name: value
            for name, value in request.headers.items()
            if name in ("Host", "Authorization", "Content-Type")
        }
        query = request.args.to_dict()
        if request.path == "/oauth2/authorize" and authorize_params:
            query.update(authorize_params)
        if request.path == "/oauth2/token" and token_client_id:
            credentials = base64.b64encode(f"{token_client_id}:secret".encode()).decode()
            headers["Authorization"] = f"Basic {credentials}"
        answer = requests.request(
            request.method,
            f"{upstream}{request.path}",
            params=query,
            headers=headers,
            data=request.get_data(),
            allow_redirects=False,
            timeout=10,
        )
        body = answer.content
        if request.path == "/oauth2/token" and answer.ok and tamper:
            token = answer.json()
            token["id_token"] = _tamper(token["id_token"])
            body = json.dumps(token).encode()
        response = werkzeug.Response(
            body,
            status=answer.status_code,
            headers={k: v for k, v in answer.headers.items() if k in ("Content-Type", "Location")},
        )
        return response(environ, start_response)

    return app


def identify_through(client, settings, proxy_app):
    """Identify through a meddling proxy; the result must be refused and audited."""
    with running_provider() as upstream, serve_in_thread(proxy_app(upstream)) as proxy:
        # The proxy keeps the Host header, so the provider names the proxy as issuer
        # and every endpoint, and the whole flow runs through it.
        provider = use_provider(settings, f"http://localhost:{proxy.server_port}")
        provider.set_person("aino", **HELSINKI_PUPIL)
        user = UserFactory()
        client.force_login(user)
        response = identify(client, sub="aino")
    user.refresh_from_db()
    assert not user.is_strongly_identified
    assert user.birth_date is None
    assert response.status_code == 400
    assert "could not confirm that the answer really came" in failure_reason(response)
    entry = AuditEntry.objects.get(action="identity.identification_failed")
    assert entry.data["reason"] == "invalid_token"
    return entry.data["detail"]


def test_tampered_id_token_is_refused(client, settings):
    detail = identify_through(
        client, settings, lambda upstream: meddling_proxy(upstream, tamper=True)
    )
    assert "BadSignature" in detail


def test_id_token_for_another_nonce_is_refused(client, settings):
    """A validly signed token issued for another authorization request (a replay)."""
    detail = identify_through(
        client,
        settings,
        lambda upstream: meddling_proxy(upstream, authorize_params={"nonce": "someone-else"}),
    )
    assert "nonce" in detail


def test_id_token_for_another_client_is_refused(client, settings):
    """A validly signed token whose audience is another service."""
    detail = identify_through(
        client,
        settings,
        lambda upstream: meddling_proxy(
            upstream,
            authorize_params={"client_id": "another-service"},
            token_client_id="another-service",
        ),
    )
    # Authlib names a foreign audience by the authorised party (azp) it would need.
    assert "aud" in detail or "azp" in detail


def test_provider_unreachable(client, settings):
    with running_provider() as url:
        pass  # stopped: nothing listens on its port any more
    use_provider(settings, url)
    client.force_login(UserFactory())
    response = client.get(START)
    assert response.status_code == 502
    assert "could not reach the identification service" in failure_reason(response)


def test_not_configured(client, settings):
    settings.OIDC_ISSUER = ""
    client.force_login(UserFactory())
    response = client.get(START)
    assert "not in use in this service" in failure_reason(response)
    assert START not in client.get("/en/identity/").content.decode()


def test_signed_out_person_is_offered_to_log_in_first(client, provider):
    response = client.get(START)
    assert response["Location"] == "/en/identity/"
    page = client.get("/en/identity/").content.decode()
    assert "First log in" in page
    assert 'href="/en/accounts/login/?next=/en/identity/"' in page


def test_callback_after_logging_out(client, provider):
    response = client.get("/en/identity/electronic/callback/?code=x&state=y")
    assert response.status_code == 400
    assert "no longer logged in" in failure_reason(response)


def test_person_code_of_another_account_is_refused(client, provider):
    other = UserFactory()
    services.record_verification(
        user=other, method="oidc", municipality_code="091", person_code=PERSON_CODE
    )
    provider.set_person(
        "matti", birthdate="1952-10-13", municipality_code="091", national_id=PERSON_CODE
    )
    user = UserFactory()
    client.force_login(user)

    response = identify(client, sub="matti")

    assert response.status_code == 400
    html = failure_reason(response)
    assert "already verified" in html
    assert "only one account" in html
    user.refresh_from_db()
    assert not user.is_strongly_identified
    refusal = AuditEntry.objects.get(action="identity.verification_refused")
    assert refusal.actor == user
    assert refusal.data["reason"] == "already_verified"


def test_profile_offers_identification_until_identified(client, provider):
    provider.set_person("aino", **HELSINKI_PUPIL)
    client.force_login(UserFactory())
    profile = client.get("/en/accounts/profile/").content.decode()
    assert 'href="/en/identity/"' in profile
    assert "Identify yourself" in profile
    page = client.get("/en/identity/").content.decode()
    assert f'href="{START}"' in page
    assert "Identify with online banking or mobile certificate" in page

    identify(client, sub="aino")

    profile = client.get("/en/accounts/profile/").content.decode()
    assert "Identify yourself again" in profile
    page = client.get("/en/identity/").content.decode()
    assert "You are identified since" in page
    assert "Strong electronic identification" in page
