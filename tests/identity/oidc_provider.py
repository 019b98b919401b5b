"""A real OpenID provider, and a tiny HTTP server, on free localhost ports."""

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import requests
import werkzeug.serving
from oidc_provider_mock import run_server_in_thread

CLIENT_ID = "osallistu-test"


@contextmanager
def serve_in_thread(app):
    """Serve a WSGI app on a free localhost port for the duration of the block."""
    server = werkzeug.serving.make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@dataclass
class Provider:
    url: str

    def set_person(self, sub, **claims):
        """What the provider asserts about ``sub`` when that person authenticates."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()


def use_provider(settings, url, *, issuer=None):
    settings.OIDC_ISSUER = issuer or url
    settings.OIDC_DISCOVERY_URL = f"{url}/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = "test-secret"
    return Provider(url)


@contextmanager
def running_provider(**options):
    with run_server_in_thread(**options) as server:
        yield f"http://localhost:{server.server_port}"
