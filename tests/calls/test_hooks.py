"""The two small hooks other apps use: quiet steps and the status-changed signal."""

import pytest

from oncoreach.calls.services import transition_application
from oncoreach.calls.signals import application_status_changed
from oncoreach.core.models import OutboundEmail
from tests.factories.calls import ApplicationFactory

pytestmark = [pytest.mark.integration]


def test_notify_false_skips_the_applicant_mail(db):
    application = ApplicationFactory(status="under_review")
    transition_application(application=application, to="shortlisted", actor=None, notify=False)
    assert OutboundEmail.objects.count() == 0
    transition_application(application=application, to="accepted", actor=None)
    assert list(OutboundEmail.objects.values_list("event_key", flat=True)) == [
        f"calls:application:{application.pk}:accepted"
    ]


def test_signal_reports_each_step(db):
    seen = []

    def listener(*, application, old, new, actor, **kwargs):
        seen.append((application.pk, old, new))

    application_status_changed.connect(listener, dispatch_uid="test-listener")
    try:
        application = ApplicationFactory(status="eligible")
        transition_application(application=application, to="under_review", actor=None)
    finally:
        application_status_changed.disconnect(dispatch_uid="test-listener")
    assert seen == [(application.pk, "eligible", "under_review")]
