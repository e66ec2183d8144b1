import pytest

from tests.factories.calls import CallFactory, QuestionFactory
from tests.factories.people import PersonFactory


@pytest.fixture
def applicant(db):
    """A signed-in applicant (a user with a Person)."""
    from tests.conftest import _persona

    return _persona("applicant@example.org", "Ana Applicant", member=False)


@pytest.fixture
def reviewer(db):
    from tests.conftest import _persona

    return _persona("reviewer@example.org", "Rui Reviewer", volunteer=True)


@pytest.fixture
def call(db):
    """An open award call with one required question."""
    call = CallFactory()
    QuestionFactory(form=call.form, kind="long_text", label="Why?", max_words=50, required=True)
    return call


@pytest.fixture
def other_person(db):
    return PersonFactory()


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; a request to /es/ elsewhere must not leak its language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
