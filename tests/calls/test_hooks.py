"""What other apps rely on: quiet steps, closing a call, and applications another app drives
(a course registration) that the calls entry points leave alone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls import services
from oncoreach.calls.permissions import can_decline_offer, can_edit_application, can_withdraw_application
from oncoreach.calls.selectors import open_calls
from oncoreach.core.models import AuditEvent, OutboundEmail
from tests.factories.calls import ApplicationFactory, CallFactory

pytestmark = [pytest.mark.integration]


def test_notify_false_skips_the_applicant_mail(db):
    application = ApplicationFactory(status="under_review")
    services.transition_application(application=application, to="shortlisted", actor=None, notify=False)
    assert OutboundEmail.objects.count() == 0
    services.transition_application(application=application, to="accepted", actor=None)
    assert list(OutboundEmail.objects.values_list("event_key", flat=True)) == [
        f"calls:application:{application.pk}:accepted"
    ]


@pytest.mark.parametrize(
    ("status", "entry_point", "to"),
    [
        ("eligible", "withdraw_application", {}),
        ("accepted", "decline_offer", {}),
        ("under_review", "move_application", {"to": "shortlisted"}),
        ("shortlisted", "decide_application", {"outcome": "accepted"}),
    ],
)
def test_calls_entry_points_refuse_an_application_another_app_drives(db, status, entry_point, to):
    application = ApplicationFactory(status=status, call=CallFactory(kind="participant"))
    with pytest.raises(services.DrivenElsewhere):
        getattr(services, entry_point)(application=application, actor=None, **to)
    application.refresh_from_db()
    assert application.status == status


def test_applicant_pages_offer_nothing_for_a_driven_application(db, member):
    application = ApplicationFactory(status="draft", call=CallFactory(kind="participant"), applicant=member.person)
    assert (can_edit_application(member, application), can_withdraw_application(member, application)) == (False, False)
    application.status = "accepted"
    assert can_decline_offer(member, application) is False


def test_intake_calls_are_not_listed_or_applied_to_here(client, db, member):
    intake = CallFactory(kind="participant")
    award = CallFactory(kind="award")
    assert list(open_calls()) == [award]
    assert client.get(reverse("calls:call-detail", kwargs={"slug": intake.slug})).status_code == 404
    client.force_login(member)
    assert client.post(reverse("calls:application-start", kwargs={"slug": intake.slug})).status_code == 404


def test_staff_page_of_a_driven_application_offers_no_decision(client, coordinator):
    application = ApplicationFactory(status="shortlisted", call=CallFactory(kind="participant"))
    client.force_login(coordinator)
    response = client.get(reverse("calls:staff-application-detail", kwargs={"pk": application.pk}))
    # The staff page offers only the moves and decisions staff_moves_for / staff_decisions_for
    # allow: none for an application another app drives.
    assert (
        response.context["decision_form"],
        response.context["move_form"],
        response.context["driven_elsewhere"],
    ) == (None, None, True)
    client.post(reverse("calls:staff-decide-application", kwargs={"pk": application.pk}), {"outcome": "accepted"})
    application.refresh_from_db()
    assert application.status == "shortlisted"


def test_close_call_closes_an_open_call_now_and_unpublishes_a_future_one(db):
    now = timezone.now()
    open_call = CallFactory()
    future = CallFactory(opens_at=now + dt.timedelta(days=2), closes_at=now + dt.timedelta(days=9))
    services.close_call(call=open_call, actor=None, now=now)
    services.close_call(call=future, actor=None, now=now)
    open_call.refresh_from_db()
    future.refresh_from_db()
    assert (open_call.window_closes_at, open_call.is_open(now + dt.timedelta(seconds=1))) == (now, False)
    assert (future.is_published, future.is_open(now + dt.timedelta(days=3))) == (False, False)
    services.close_call(call=open_call, actor=None, now=now + dt.timedelta(minutes=1))
    assert AuditEvent.objects.filter(action="calls.call.closed").count() == 2
