"""The Helsinki profile's GDPR API, called as the profile calls it: with tokens signed
by a test key of an identity provider served over HTTP on this machine, checked by
django-helsinki-users as in production (helsinki-profile-gdpr-api ships no test
helpers; its own tests sign tokens the same way)."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

from osallistu.accounts.models import HelsinkiProfile, User
from osallistu.premises.models import Booking
from tests.core import privacy_world

pytestmark = pytest.mark.urls("tests.accounts.gdpr_api_urls")

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "test-key"
AUDIENCE = "osallistu"


class Provider(BaseHTTPRequestHandler):
    def do_GET(self):
        issuer = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/.well-known/openid-configuration":
            body = {"issuer": issuer, "jwks_uri": f"{issuer}/jwks"}
        elif self.path == "/jwks":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
            body = {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def issuer():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def api(issuer, settings):
    settings.OIDC_API_TOKEN_AUTH = {
        **settings.OIDC_API_TOKEN_AUTH,
        "ISSUER": issuer,
        "AUDIENCE": AUDIENCE,
    }
    return issuer


@pytest.fixture
def world(helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resident, _others = privacy_world.build(helsinki)
    return resident, resident.helsinki_profile


def token(issuer, subject, *scopes, key=KEY):
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": str(subject),
        "iat": now,
        "exp": now + 300,
        "authorization": {"permissions": {"scopes": list(scopes)}},
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


def call(client, method, profile, bearer, query=""):
    url = f"/gdpr-api/v1/profiles/{profile.profile_id}{query}"
    return getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {bearer}")


def test_get_returns_the_export_in_the_profiles_format(client, api, world):
    _resident, profile = world
    response = call(client, "get", profile, token(api, profile.subject, "osallistu.gdprquery"))
    assert response.status_code == 200
    body = response.json()
    assert body["key"] == "OSALLISTU"
    users = next(c for c in body["children"] if c["key"] == "ACCOUNTS_USER")
    values = {node["key"]: node["value"] for node in users["children"][0]["children"]}
    assert values["EMAIL"] == "aino@example.fi"
    keys = {child["key"] for child in body["children"]}
    assert {"BUDGETING_PARTICIPATION", "PREMISES_BOOKING", "INITIATIVES_SUPPORT"} <= keys


def test_a_token_without_the_scope_another_persons_or_a_forged_one_is_refused(
    client, api, world, helsinki
):
    resident, profile = world
    assert call(
        client, "get", profile, token(api, profile.subject, "osallistu.other")
    ).status_code in (401, 403)
    other = User.objects.exclude(pk=resident.pk).first()
    others_profile = HelsinkiProfile.objects.create(
        user=other, subject=uuid.uuid4(), profile_id=uuid.uuid4()
    )
    mine_for_theirs = call(
        client, "get", others_profile, token(api, profile.subject, "osallistu.gdprquery")
    )
    assert mine_for_theirs.status_code == 403
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = token(api, profile.subject, "osallistu.gdprquery", key=forger)
    assert call(client, "get", profile, forged).status_code == 401
    assert (
        call(
            client, "delete", profile, token(api, profile.subject, "osallistu.gdprquery")
        ).status_code
        == 403
    )
    assert User.objects.filter(pk=resident.pk).exists()


def test_delete_dry_run_changes_nothing_and_delete_deletes(client, api, world):
    resident, profile = world
    bearer = token(api, profile.subject, "osallistu.gdprdelete")
    dry = call(client, "delete", profile, bearer, "?dry_run=true")
    assert dry.status_code == 204
    assert User.objects.filter(pk=resident.pk).exists()
    assert HelsinkiProfile.objects.filter(pk=profile.pk).exists()
    done = call(client, "delete", profile, bearer)
    assert done.status_code == 204
    assert not User.objects.filter(pk=resident.pk).exists()
    assert not HelsinkiProfile.objects.filter(pk=profile.pk).exists()


def test_what_stands_in_the_way_is_answered_in_three_languages(client, api, world):
    from datetime import timedelta

    from django.utils import timezone

    resident, profile = world
    later = timezone.now() + timedelta(days=2)
    Booking.objects.filter(booker=resident).update(
        begins_at=later,
        ends_at=later + timedelta(hours=1),
        occupied_from=later,
        occupied_until=later + timedelta(hours=1),
    )
    bearer = token(api, profile.subject, "osallistu.gdprdelete")
    for query in ("?dry_run=true", ""):
        refused = call(client, "delete", profile, bearer, query)
        assert refused.status_code == 403
        (error,) = refused.json()["errors"]
        assert error["code"] == "account_not_deletable"
        assert set(error["message"]) == {"fi", "sv", "en"}
        assert "still ahead" in error["message"]["en"]
        assert error["message"]["fi"] != error["message"]["en"]
    assert User.objects.filter(pk=resident.pk).exists()


@override_settings(HELSINKI_PROFILE_GDPR_API=False)
def test_the_api_is_off_unless_turned_on():
    from config import urls

    assert not any("gdpr-api" in str(pattern.pattern) for pattern in urls.urlpatterns)
