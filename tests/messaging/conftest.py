import datetime as dt
import uuid

import pytest

from oncoreach.messaging.cohorts import CohortCriteria
from oncoreach.messaging.services import send_cohort_message
from tests.factories.messaging import MessageTemplateFactory

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def template(db):
    return MessageTemplateFactory()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send through the service and let the worker's run happen (the immediate task backend)."""

    def _send(*, actor, template, criteria=None, token=None, names=None):
        with django_capture_on_commit_callbacks(execute=True):
            message, created = send_cohort_message(
                actor=actor,
                template=template,
                criteria=criteria or CohortCriteria(),
                names=names or {},
                submission_token=token or uuid.uuid4(),
                today=TODAY,
            )
        message.refresh_from_db()
        return message, created

    return _send
