import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory

from oncoreach.core.cache import bump_public_generation, public_generation
from oncoreach.core.enums import EmailStatus
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.core.sanitize import sanitize_html, text_to_paragraphs
from oncoreach.core.services import MAX_EMAIL_ATTEMPTS, queue_email, record_audit, send_due_emails

pytestmark = [pytest.mark.integration]


def test_record_audit_names_actor_action_and_target(coordinator):
    event = record_audit(actor=coordinator, action="person.merged", target=coordinator, kept=3)
    assert (event.actor, event.action, event.target_id, event.data) == (
        coordinator,
        "person.merged",
        str(coordinator.pk),
        {"kept": 3},
    )
    assert AuditEvent.objects.count() == 1


def test_queue_email_once_per_event_and_recipient(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_email(event_key="test:1", to="a@example.org", template="core/email/test", context={"name": "Ana"})
        second = queue_email(
            event_key="test:1", to="a@example.org", template="core/email/test", context={"name": "Ana"}
        )
    assert first is not None
    assert second is None
    assert OutboundEmail.objects.count() == 1
    # The immediate task backend drained the outbox after commit.
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert OutboundEmail.objects.get().status == EmailStatus.SENT


def test_queue_email_renders_in_recipients_language(db):
    queue_email(
        event_key="test:2", to="b@example.org", template="core/email/test", context={"name": "Bo"}, language="es"
    )
    assert OutboundEmail.objects.get().language == "es"


def test_send_due_emails_retries_with_backoff_then_gives_up(db, settings):
    settings.EMAIL_BACKEND = "tests.core.failing_backend.FailingBackend"
    queue_email(event_key="test:3", to="c@example.org", template="core/email/test", context={"name": "Cy"})
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    OutboundEmail.objects.update(next_attempt_at=now)
    for attempt in range(1, MAX_EMAIL_ATTEMPTS + 1):
        assert send_due_emails(now=now + dt.timedelta(days=attempt)) == 0
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts) == (EmailStatus.FAILED, MAX_EMAIL_ATTEMPTS)
    assert "boom" in outbound.last_error


def test_sanitize_html_removes_script_and_handlers():
    dirty = (
        '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">l</a><a href="https://e.org">ok</a></p>'
    )
    assert sanitize_html(dirty) == (
        '<p>Hi <a rel="noopener noreferrer nofollow">l</a>'
        '<a href="https://e.org" rel="noopener noreferrer nofollow">ok</a></p>'
    )


def test_text_to_paragraphs_escapes_and_splits():
    assert text_to_paragraphs("One <b>\nline\n\nTwo") == "<p>One &lt;b&gt;<br>line</p><p>Two</p>"


def test_public_generation_bumps():
    cache.clear()
    first = public_generation()
    bump_public_generation()
    assert public_generation() == first + 1


def test_reader_timezone_follows_profile(volunteer):
    from django.utils import timezone

    from oncoreach.core.middleware import ReaderTimezoneMiddleware

    volunteer.time_zone = "America/Lima"
    request = RequestFactory().get("/")
    request.user = volunteer
    seen = {}

    def view(req):
        seen["zone"] = timezone.get_current_timezone_name()
        from django.http import HttpResponse

        return HttpResponse()

    ReaderTimezoneMiddleware(view)(request)
    assert seen["zone"] == "America/Lima"
