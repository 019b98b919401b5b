"""The demo runs as production does: with its settings (scripts/demo.env), an unknown
address gets the product's own translated 404 page, never Django's debug page that
lists every address of the site, and an error gets the product's 500 page."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.utils import translation

call_command("collectstatic", interactive=False, verbosity=0)
client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
pages = {}
for path in ("/fi/ei-tallaista/", "/sv/finns-inte/", "/en/budgeting/no-such-round/x/y/"):
    response = client.get(path)
    pages[path] = [response.status_code, response.content.decode()]
with translation.override("sv"):
    error = get_resolver().resolve_error_handler(500)(
        RequestFactory(HTTP_HOST="127.0.0.1").get("/sv/")
    )
media = any(
    getattr(pattern, "default_args", {}).get("document_root") == settings.MEDIA_ROOT
    for pattern in get_resolver().url_patterns
)
print(json.dumps({
    "debug": settings.DEBUG,
    "secure_redirect": settings.SECURE_SSL_REDIRECT,
    "media": media,
    "pages": pages,
    "error": [error.status_code, error.content.decode()],
}))
"""


def demo_environment(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "DEBUG"))
    }
    for line in (ROOT / "scripts" / "demo.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            environment[key] = value
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        OIDC_ISSUER="http://127.0.0.1:9400",
    )
    return environment


def test_the_demo_shows_the_products_own_error_pages(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=demo_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["debug"] is False
    assert found["secure_redirect"] is False  # plain HTTP on this machine
    assert found["media"] is True  # the demo's hearing pictures are served
    expected = {
        "/fi/ei-tallaista/": ('lang="fi"', "Sivua ei löytynyt"),
        "/sv/finns-inte/": ('lang="sv"', "Sidan hittades inte"),
        "/en/budgeting/no-such-round/x/y/": ('lang="en"', "Page not found"),
    }
    for path, (language, heading) in expected.items():
        status, page = found["pages"][path]
        assert status == 404, path
        assert language in page and f"<h1>{heading}</h1>" in page, path
        assert "URLconf" not in page and "urlpatterns" not in page, path
        assert "/static/core/site." in page  # the collected, hashed style sheet
    status, page = found["error"]
    assert status == 500
    assert "<h1>Något gick fel</h1>" in page and "Traceback" not in page
