"""The outbox with several senders: claims with a lease, no stale writes, one drain task at a time."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from oncoreach.core.enums import EmailStatus
from oncoreach.core.models import OutboundEmail
from oncoreach.core.services import (
    _claim_due_email,
    _finish_claim,
    enqueue_outbox_drain,
    queue_email,
    send_due_emails,
)

pytestmark = [pytest.mark.integration]

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _queued(number: int, **fields) -> OutboundEmail:
    outbound = queue_email(
        event_key=f"outbox:{number}", to=f"r{number}@example.org", template="core/email/test", context={"name": "Ana"}
    )
    OutboundEmail.objects.filter(pk=outbound.pk).update(next_attempt_at=NOW, **fields)
    outbound.refresh_from_db()
    return outbound


@pytest.fixture
def database_tasks(settings):
    """The real database task backend, as in production (the test settings run tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_claimed_mail_is_not_sent_by_a_second_sender_during_the_lease(db, settings):
    settings.EMAIL_CLAIM_SECONDS = 300
    outbound = _queued(1)
    claimed, _token = _claim_due_email(now=NOW)
    assert claimed.pk == outbound.pk
    # A second worker, a minute later: the mail is being sent by the first one.
    assert send_due_emails(now=NOW + dt.timedelta(minutes=1)) == 0
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == EmailStatus.SENDING


def test_a_mail_whose_sender_died_is_sent_after_the_lease_ends(db, settings):
    settings.EMAIL_CLAIM_SECONDS = 300
    _queued(1)
    _claim_due_email(now=NOW)  # ... and the sender is killed before it sends
    assert send_due_emails(now=NOW + dt.timedelta(seconds=301)) == 1
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts, outbound.claim_token) == (EmailStatus.SENT, 2, "")
    assert [m.to for m in mail.outbox] == [["r1@example.org"]]


def test_a_sender_whose_lease_ran_out_never_writes_its_stale_status(db, settings, caplog):
    settings.EMAIL_CLAIM_SECONDS = 60
    _queued(1)
    slow, slow_token = _claim_due_email(now=NOW)
    # The slow sender's lease runs out; another sender takes the mail and fails to deliver it.
    settings.EMAIL_BACKEND = "tests.core.failing_backend.FailingBackend"
    send_due_emails(now=NOW + dt.timedelta(seconds=61))
    assert OutboundEmail.objects.get().status == EmailStatus.PENDING
    with caplog.at_level(logging.WARNING, logger="oncoreach.outbox"):
        written = _finish_claim(mail=slow, token=slow_token, status=EmailStatus.SENT, sent_at=NOW)
    outbound = OutboundEmail.objects.get()
    assert (written, outbound.status, outbound.sent_at) == (False, EmailStatus.PENDING, None)
    assert "claim ran out" in caplog.text


def test_a_mail_whose_sender_keeps_dying_fails_for_good(db, settings):
    settings.EMAIL_CLAIM_SECONDS = 60
    _queued(1, status=EmailStatus.SENDING, attempts=6)
    assert send_due_emails(now=NOW + dt.timedelta(seconds=61)) == 0
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, mail.outbox) == (EmailStatus.FAILED, [])
    assert "stopped" in outbound.last_error


def test_an_unreachable_relay_costs_no_mail_an_attempt(db, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    _queued(1)
    _queued(2)
    with caplog.at_level(logging.WARNING, logger="oncoreach.outbox"):
        assert send_due_emails(now=NOW) == 0
    assert list(OutboundEmail.objects.values_list("status", "attempts")) == [(EmailStatus.PENDING, 0)] * 2
    assert "relay unreachable" in caplog.text


def test_a_failed_send_is_logged_and_retried_later(db, settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.failing_backend.FailingBackend"
    settings.EMAIL_RETRY_SECONDS = 30
    outbound = _queued(1)
    with caplog.at_level(logging.WARNING, logger="oncoreach.outbox"):
        send_due_emails(now=NOW)
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.next_attempt_at) == (
        EmailStatus.PENDING,
        1,
        NOW + dt.timedelta(seconds=30),
    )
    assert f"E-mail {outbound.pk} to r1@example.org failed (attempt 1)" in caplog.text


def test_every_mail_keeps_one_message_id_across_attempts(db, settings):
    settings.EMAIL_CLAIM_SECONDS = 60
    outbound = _queued(1)
    send_due_emails(now=NOW)
    OutboundEmail.objects.update(status=EmailStatus.PENDING)
    send_due_emails(now=NOW + dt.timedelta(minutes=5))
    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert ids[0] == ids[1]
    assert ids[0].startswith(f"<outbox-{outbound.pk}-")


def test_many_queued_mails_make_one_drain_task(db, database_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            queue_email(
                event_key=f"drain:{number}", to="d@example.org", template="core/email/test", context={"name": "D"}
            )
    assert DBTaskResult.objects.count() == 1
    # Once that drain has started, the next mail needs a drain of its own.
    DBTaskResult.objects.update(status="RUNNING")
    enqueue_outbox_drain()
    assert list(DBTaskResult.objects.values_list("status", flat=True).order_by("status")) == ["READY", "RUNNING"]


def test_a_failing_enqueue_never_fails_the_request_that_queued_mail(db, settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "tests.core.no_such_backend.Backend"}}  # a broken queue
    with caplog.at_level(logging.ERROR, logger="oncoreach.outbox"):
        from oncoreach.core.services import _enqueue_outbox_drain

        _enqueue_outbox_drain()
    assert "Could not enqueue the outbox drain" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the sender reconnects
def test_a_mail_the_relay_took_is_recorded_once_the_database_is_back(database_tasks, settings, monkeypatch):
    """PostgreSQL restarts between the relay's acceptance and the sender's "sent" write: the
    sender reconnects and records it within its lease, so the mail is not sent a second time."""
    from django.db.models import QuerySet
    from django.db.utils import OperationalError

    from oncoreach.core import services

    settings.EMAIL_CLAIM_SECONDS = 30
    _queued(1)
    real_update = QuerySet.update
    restarts = iter([OperationalError("server closed the connection unexpectedly")] * 2)

    def update_during_a_restart(queryset, **fields):
        if queryset.model is OutboundEmail and fields.get("status") == EmailStatus.SENT:
            error = next(restarts, None)
            if error is not None:
                raise error
        return real_update(queryset, **fields)

    pauses = []
    monkeypatch.setattr(QuerySet, "update", update_during_a_restart)
    monkeypatch.setattr(services.time, "sleep", pauses.append)

    assert send_due_emails(now=NOW) == 1
    assert send_due_emails(now=NOW + dt.timedelta(minutes=5)) == 0

    assert (len(mail.outbox), OutboundEmail.objects.get().status, len(pauses)) == (1, EmailStatus.SENT, 2)
