import pytest
from django.utils import translation

from tests.identity.oidc_provider import running_provider, use_provider


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are asserted in English unless a test picks a language; a test
    elsewhere in the same worker may have left another language active."""
    with translation.override("en"):
        yield


@pytest.fixture
def provider(settings):
    """A real OpenID provider over HTTP on localhost, configured as ours."""
    with running_provider() as url:
        yield use_provider(settings, url)
