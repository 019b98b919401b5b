import pytest

from tests.identity.oidc_provider import running_provider, use_provider


@pytest.fixture
def provider(settings):
    """A real OpenID provider over HTTP on localhost, configured as ours."""
    with running_provider() as url:
        yield use_provider(settings, url)
