"""HTTP of the open data API: conditional requests, CORS, compression, caching and rate
limits."""

import gzip
import json

import pytest

pytestmark = pytest.mark.django_db


def test_an_unchanged_list_is_a_304_without_a_body(client, world):
    first = client.get("/api/v1/budgeting/plans/")
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get("/api/v1/budgeting/plans/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    changed = client.get(
        "/api/v1/budgeting/plans/", {"status": "funded"}, headers={"if-none-match": etag}
    )
    assert changed.status_code == 200


def test_an_object_has_last_modified_and_answers_if_modified_since(client, world):
    path = f"/api/v1/budgeting/proposals/{world['proposal'].pk}/"
    first = client.get(path)
    modified = first["Last-Modified"]
    assert client.get(path, headers={"if-modified-since": modified}).status_code == 304
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(path, headers={"if-modified-since": older}).status_code == 200


def test_public_answers_may_be_cached_and_refusals_not(client, world):
    ok = client.get("/api/v1/areas/")
    assert "public" in ok["Cache-Control"]
    assert "max-age=60" in ok["Cache-Control"]
    assert "Accept-Language" in ok["Vary"]
    refused = client.get("/api/v1/areas/", {"page_size": 1000})
    assert refused.status_code == 400
    assert "no-store" in refused["Cache-Control"]


def test_any_web_page_may_read_the_api(client, world):
    response = client.get("/api/v1/areas/", headers={"origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/areas/",
        headers={"origin": "https://example.org", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    page = client.get("/fi/")
    assert not page.has_header("Access-Control-Allow-Origin")


def test_answers_are_compressed_for_clients_that_ask(client, world):
    plain = client.get("/api/v1/postal-codes/", {"page_size": 100})
    packed = client.get(
        "/api/v1/postal-codes/", {"page_size": 100}, headers={"accept-encoding": "gzip"}
    )
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 3
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    # The same ETag, made weak, answers for both encodings.
    assert packed["ETag"] == "W/" + plain["ETag"]
    again = client.get(
        "/api/v1/postal-codes/",
        {"page_size": 100},
        headers={"accept-encoding": "gzip", "if-none-match": packed["ETag"]},
    )
    assert again.status_code == 304


def test_anonymous_clients_are_limited_with_retry_after(client, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }
    for _ in range(3):
        assert client.get("/api/v1/areas/").status_code == 200
    limited = client.get("/api/v1/areas/", headers={"accept-language": "en"})
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    body = limited.json()
    assert body["code"] == "throttled"
    assert "seconds" in body["message"]
    assert limited["Access-Control-Allow-Origin"] == "*"
    assert "no-store" in limited["Cache-Control"]
    catalogue = client.get("/api/v1/catalog")
    assert catalogue.status_code == 429
    assert int(catalogue["Retry-After"]) >= 1
    # Another client (address) is not limited by the first one's requests.
    other = client.get("/api/v1/areas/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
