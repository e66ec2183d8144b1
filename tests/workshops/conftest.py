import datetime as dt

import pytest
import time_machine
from django.utils import translation

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _frozen_clock():
    """Every workshop test runs on 26 Nov 2026: factory courses (March 2027) are upcoming."""
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _english():
    """A request to /es/ leaves Spanish active in the thread; start every test in English."""
    translation.activate("en")
    yield
    translation.activate("en")
