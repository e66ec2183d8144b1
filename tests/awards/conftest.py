import datetime as dt

import pytest
import time_machine
from django.utils import translation

from tests.factories.awards import InterviewerFactory, InterviewSlotFactory
from tests.factories.calls import ApplicationFactory, CallFactory

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    """Every awards test runs at noon UTC on 26 Nov 2026."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def call(db):
    return CallFactory(title="IDEA 2027")


@pytest.fixture
def interviewer_user(volunteer, call):
    """The volunteer persona sits on the call's interview panel (New York time)."""
    volunteer.person.time_zone = "America/New_York"
    volunteer.person.save()
    InterviewerFactory(call=call, person=volunteer.person)
    return volunteer


@pytest.fixture
def applicant_user(member, call):
    """The member persona has a shortlisted application to the call (Nairobi time)."""
    member.person.time_zone = "Africa/Nairobi"
    member.person.save()
    member.application = ApplicationFactory(call=call, applicant=member.person, status="shortlisted")
    return member


@pytest.fixture
def slot(call, interviewer_user):
    return InterviewSlotFactory(call=call, interviewer=interviewer_user.person, starts_at=NOW + dt.timedelta(days=3))
