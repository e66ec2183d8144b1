import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """A request to /es/ leaves Spanish active in the thread; start every test in English."""
    translation.activate("en")
    yield
    translation.activate("en")
