import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from oncoreach.core.models import OutboundEmail
from tests.factories.workshops import CourseFactory, RegistrationFactory

pytestmark = [pytest.mark.integration]


def test_command_is_periodic():
    assert "send_followup_surveys" in settings.PERIODIC_COMMANDS


def test_command_sends_once(db):
    course = CourseFactory(start_date=dt.date(2025, 6, 1), end_date=dt.date(2025, 6, 3), status="closed")
    registration = RegistrationFactory(course=course, status="attended")
    out = StringIO()
    call_command("send_followup_surveys", stdout=out)
    call_command("send_followup_surveys", stdout=out)
    assert out.getvalue().splitlines() == ["1 follow-up surveys queued.", "0 follow-up surveys queued."]
    mail = OutboundEmail.objects.get()
    assert mail.event_key == f"workshops.registration.{registration.pk}.impact_survey"
    assert "/workshops/follow-up/" in mail.body_text
