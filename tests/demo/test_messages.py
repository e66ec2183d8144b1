"""The demo has a cohort message sent through the real services, shown to staff."""

import pytest
from django.urls import reverse

from oncoreach.core.models import OutboundEmail
from oncoreach.messaging.models import CohortMessage, MessageTemplate
from tests.demo.conftest import client_for

pytestmark = [pytest.mark.integration]

STAFF = "staff@demo.oncoreach.org"


def test_staff_see_a_queued_cohort_message_with_its_recipients(demo):
    message = CohortMessage.objects.get()
    queued = message.recipients.filter(outcome="queued").count()

    page = client_for(STAFF).get(reverse("messaging:message-list")).content.decode()

    assert (message.status, message.run.status) == ("queued", "succeeded")
    assert MessageTemplate.objects.get().name == "New calls are open"
    assert queued == OutboundEmail.objects.filter(event_key__startswith=f"cohort:{message.pk}:").count() > 0
    assert str(message) in page
