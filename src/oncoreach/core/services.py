"""Writes shared by every app: audit rows and queued e-mail."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
import time
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, models, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoreach.core.enums import EmailStatus
from oncoreach.core.models import AuditEvent, OutboundEmail

MAX_EMAIL_ATTEMPTS = 6

logger = logging.getLogger("oncoreach.outbox")


def record_audit(*, actor: Any, action: str, target: models.Model | None = None, **data: Any) -> AuditEvent:
    """Write one audit row: who did what to which object, with any details."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        data=data,
    )


def render_email(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """An e-mail's subject (one line) and body in ``language``, from ``<template>_subject.txt``
    and ``<template>_body.txt`` (for :func:`queue_email`, or in bulk :func:`queue_rendered_emails`)."""
    with translation.override(language):
        context = {"society": settings.SOCIETY, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return subject, body


def queue_email(
    *, event_key: str, to: str, template: str, context: dict[str, Any], language: str = "en"
) -> OutboundEmail | None:
    """Render an e-mail in the recipient's language and queue it once for this event.

    ``template`` names a pair ``<template>_subject.txt`` / ``<template>_body.txt``. Returns
    ``None`` when this event already queued a mail for this recipient (idempotent submits).
    The outbox is drained after the transaction commits, so rolled-back work sends nothing.
    """
    subject, body = render_email(template=template, context=context, language=language)
    try:
        with transaction.atomic():
            mail = OutboundEmail.objects.create(
                event_key=event_key[:200],
                to=to,
                language=language,
                subject=subject[:255],
                body_text=body,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return None
    transaction.on_commit(_enqueue_outbox_drain)
    return mail


class RenderedEmail(NamedTuple):
    """A mail rendered by its app, ready for the outbox (see :func:`queue_rendered_emails`)."""

    event_key: str
    to: str
    language: str
    subject: str
    body_text: str
    headers: dict[str, str]


def insert_rows_once(
    *, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], batch_size: int = 1000
) -> None:
    """Insert plain rows (values in ``fields`` order, already in database form) in batches,
    skipping any row a unique constraint already holds: ``INSERT … ON CONFLICT DO NOTHING`` on
    PostgreSQL, ``INSERT OR IGNORE`` on SQLite, through ``executemany``.

    For the bulk paths measured by ``make bench-messages``: ``bulk_create`` spends most of its
    time preparing each value of each model instance (about 4x slower at 10,000 mails)."""
    from django.db import connection
    from django.db.models.constants import OnConflict

    ops = connection.ops
    columns = [str(getattr(model._meta.get_field(name), "column", name)) for name in fields]
    sql = (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {ops.quote_name(model._meta.db_table)} "
        f"({', '.join(ops.quote_name(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"{ops.on_conflict_suffix_sql([], OnConflict.IGNORE, None, None) or ''}"
    ).strip()
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def queue_rendered_emails(mails: Iterable[RenderedEmail], *, batch_size: int = 1000) -> None:
    """Queue mail already rendered by its app (a cohort message, say), in bulk. A mail whose
    (event, recipient) is already queued is skipped, so a retried caller never queues twice.
    The outbox is drained after the transaction commits, as for :func:`queue_email`."""
    from django.db import connection

    now = OutboundEmail._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    headers = OutboundEmail._meta.get_field("headers")
    pending = EmailStatus.PENDING.value
    rows = (
        (
            m.event_key[:200],
            m.to,
            m.language,
            m.subject[:255],
            m.body_text,
            headers.get_db_prep_save(m.headers, connection),
            pending,
            0,
            now,
            "",
            "",
            now,
        )
        for m in mails
    )
    insert_rows_once(
        model=OutboundEmail,
        fields=[
            "event_key",
            "to",
            "language",
            "subject",
            "body_text",
            "headers",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "claim_token",
            "created_at",
        ],
        rows=rows,
        batch_size=batch_size,
    )
    transaction.on_commit(_enqueue_outbox_drain)


def _enqueue_outbox_drain() -> None:
    """After a commit: make sure a drain of the outbox is coming. Never fails the caller's request:
    the mail is stored, and the periodic job drains the outbox anyway."""
    try:
        enqueue_outbox_drain()
    except Exception:
        logger.exception("Could not enqueue the outbox drain; run_periodic will send the mail")


def enqueue_outbox_drain() -> None:
    """Queue one drain task unless one is already waiting to start (one task at a time, not one
    per e-mail). A waiting drain has not looked at the outbox yet, so it will see every mail
    committed before this call; a running one might not, so it does not count."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from oncoreach.core.tasks import task_send_outbox

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if (
        isinstance(backend, DatabaseBackend)
        and DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=task_send_outbox.module_path, backend_name=backend.alias
        ).exists()
    ):
        return
    task_send_outbox.enqueue()


def enqueue_outbox_drain_if_due() -> bool:
    """For the periodic job: queue a drain when some mail is due (retries, mail whose lease ran
    out, mail queued while the relay was down), so all sending happens in the workers."""
    due = OutboundEmail.objects.filter(
        status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=timezone.now()
    ).exists()
    if due:
        enqueue_outbox_drain()
    return due


def _claim_due_email(*, now: dt.datetime) -> tuple[OutboundEmail, str] | None:
    """Claim the oldest due mail for this sender: pending and due, or ``sending`` under a lease that
    ran out (its sender died). ``SKIP LOCKED`` lets several workers claim side by side on
    PostgreSQL; SQLite's IMMEDIATE transactions let one writer at a time read and update."""
    lease = dt.timedelta(seconds=settings.EMAIL_CLAIM_SECONDS)
    while True:
        with transaction.atomic():
            mail = (
                OutboundEmail.objects.select_for_update(skip_locked=True)
                .filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if mail is None:
                return None
            if mail.status == EmailStatus.SENDING and mail.attempts >= MAX_EMAIL_ATTEMPTS:
                OutboundEmail.objects.filter(pk=mail.pk).update(
                    status=EmailStatus.FAILED,
                    claim_token="",
                    last_error=f"Its sender stopped during each of {mail.attempts} attempts.",
                )
                logger.error("E-mail %s failed for good: its sender stopped mid-send %s times", mail.pk, mail.attempts)
                continue
            token = secrets.token_hex(16)
            OutboundEmail.objects.filter(pk=mail.pk).update(
                status=EmailStatus.SENDING,
                claim_token=token,
                attempts=F("attempts") + 1,
                next_attempt_at=now + lease,
            )
        mail.attempts += 1
        return mail, token


def _finish_claim(*, mail: OutboundEmail, token: str, **fields: Any) -> bool:
    """Write the outcome of a send, only while this sender still holds the claim: a sender whose
    lease ran out never overwrites what the sender after it did.

    When the database is unreachable (a restart between the relay's acceptance and this write),
    the sender reconnects and writes again, backing off, for as long as its lease lasts: the
    mail is then not sent a second time. Inside a transaction the error is raised as before.
    """
    claimed = OutboundEmail.objects.filter(pk=mail.pk, status=EmailStatus.SENDING, claim_token=token)
    deadline = time.monotonic() + settings.EMAIL_CLAIM_SECONDS
    pause = 0.25
    while True:
        try:
            written = claimed.update(claim_token="", **fields)
            break
        except (OperationalError, InterfaceError) as exc:
            if db_connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("E-mail %s: outcome not recorded (%s); reconnecting in %.2f s", mail.pk, exc, pause)
            with contextlib.suppress(DatabaseError):
                db_connection.close()  # a broken connection may fail to close; it is dropped anyway
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
    if not written:
        logger.warning("E-mail %s: the claim ran out before the send finished; another sender owns it", mail.pk)
    return bool(written)


def _message(mail: OutboundEmail, connection: Any) -> EmailMessage:
    """The mail with a Message-ID fixed per outbox row, so a copy sent twice (the sender killed
    between the relay's acceptance and the database write) is recognisable as the same message.
    Content-Language tells mail programs the language (an Arabic mail is shown right to left)."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "oncoreach.invalid"
    return EmailMessage(
        subject=mail.subject,
        body=mail.body_text,
        to=[mail.to],
        connection=connection,
        headers={
            **mail.headers,
            "Message-ID": f"<outbox-{mail.pk}-{mail.created_at:%Y%m%d%H%M%S}@{domain}>",
            "Content-Language": mail.language or settings.LANGUAGE_CODE,
        },
    )


def send_due_emails(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send due e-mails one claim at a time, over one relay connection, until none is due or
    ``limit`` were tried. Failures are logged and retried with exponential backoff; after
    ``MAX_EMAIL_ATTEMPTS`` the mail is failed for good and listed for staff. While the relay cannot
    be reached nothing is claimed, so an outage costs no mail an attempt. Returns how many were sent.
    """
    fixed_now = now
    sent = 0
    connection = None
    try:
        for _ in range(limit):
            current = fixed_now or timezone.now()
            if connection is None:
                if not OutboundEmail.objects.filter(
                    status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=current
                ).exists():
                    break
                connection = get_connection()
                try:
                    connection.open()
                except Exception as exc:  # noqa: BLE001 — the relay is down: try again later
                    logger.warning("Mail relay unreachable, e-mails stay queued: %s: %s", type(exc).__name__, exc)
                    connection = None
                    break
            claimed = _claim_due_email(now=current)
            if claimed is None:
                break
            mail, token = claimed
            try:
                _message(mail, connection).send()
            except Exception as exc:  # noqa: BLE001 — any transport error is retried later
                _close_quietly(connection)
                connection = None
                _record_failure(mail=mail, token=token, now=current, exc=exc)
                continue
            if _finish_claim(mail=mail, token=token, status=EmailStatus.SENT, sent_at=current, last_error=""):
                sent += 1
        else:
            enqueue_outbox_drain()  # the limit was reached: another drain takes the rest
    finally:
        if connection is not None:
            _close_quietly(connection)
    return sent


def _record_failure(*, mail: OutboundEmail, token: str, now: dt.datetime, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if mail.attempts >= MAX_EMAIL_ATTEMPTS:
        logger.error("E-mail %s to %s failed for good after %s attempts: %s", mail.pk, mail.to, mail.attempts, error)
        _finish_claim(mail=mail, token=token, status=EmailStatus.FAILED, last_error=error)
        return
    delay = dt.timedelta(seconds=settings.EMAIL_RETRY_SECONDS * 2 ** (mail.attempts - 1))
    logger.warning(
        "E-mail %s to %s failed (attempt %s), retrying in %s: %s", mail.pk, mail.to, mail.attempts, delay, error
    )
    _finish_claim(mail=mail, token=token, status=EmailStatus.PENDING, next_attempt_at=now + delay, last_error=error)


def _close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except Exception:
        logger.debug("Closing the mail connection failed", exc_info=True)


def requeue_failed_email(*, mail: OutboundEmail, actor: Any) -> OutboundEmail:
    """Give a mail that failed for good a fresh set of attempts, from now (audited)."""
    with transaction.atomic():
        changed = OutboundEmail.objects.filter(pk=mail.pk, status=EmailStatus.FAILED).update(
            status=EmailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claim_token=""
        )
        if not changed:
            raise ValidationError(_("This e-mail is no longer failed; it was not queued again."))
        record_audit(actor=actor, action="outbox.requeued", target=mail, to=mail.to, last_error=mail.last_error)
        transaction.on_commit(_enqueue_outbox_drain)
    mail.refresh_from_db()
    return mail


def hold_waiting_emails(*, reason: str) -> int:
    """Fail every mail still waiting (pending or being sent), with ``reason`` as its error."""
    held = OutboundEmail.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).update(
        status=EmailStatus.FAILED, claim_token="", last_error=reason
    )
    if held:
        record_audit(actor=None, action="outbox.held", count=held, reason=reason)
    return held
