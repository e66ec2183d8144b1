import pytest

from tests.factories.mentoring import make_cycle


@pytest.fixture
def mentoring(db, coordinator):
    return make_cycle(actor=coordinator)
