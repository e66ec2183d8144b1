import pytest


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; a request to /es/ elsewhere must not leak its language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
