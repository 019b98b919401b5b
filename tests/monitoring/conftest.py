import pytest

from tests.monitoring.factories import build_known


@pytest.fixture
def known(helsinki):
    """Votes of one round with known answers (``factories``)."""
    return build_known(helsinki)
