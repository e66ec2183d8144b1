"""Writes shared by every app: audit rows and queued e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from oncoreach.core.enums import EmailStatus
from oncoreach.core.models import AuditEvent, OutboundEmail

MAX_EMAIL_ATTEMPTS = 6


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


def queue_email(
    *, event_key: str, to: str, template: str, context: dict[str, Any], language: str = "en"
) -> OutboundEmail | None:
    """Render an e-mail in the recipient's language and queue it once for this event.

    ``template`` names a pair ``<template>_subject.txt`` / ``<template>_body.txt``. Returns
    ``None`` when this event already queued a mail for this recipient (idempotent submits).
    The outbox is drained after the transaction commits, so rolled-back work sends nothing.
    """
    with translation.override(language):
        context = {"society": settings.SOCIETY, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
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


def _enqueue_outbox_drain() -> None:
    from oncoreach.core.tasks import task_send_outbox

    task_send_outbox.enqueue()


def send_due_emails(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send pending e-mails whose time has come; failures retry with exponential backoff."""
    now = now or timezone.now()
    sent = 0
    due = list(
        OutboundEmail.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lte=now).order_by("id")[:limit]
    )
    for mail in due:
        # Claim the row first, so two workers never send the same mail.
        claimed = OutboundEmail.objects.filter(pk=mail.pk, status=EmailStatus.PENDING, attempts=mail.attempts).update(
            attempts=mail.attempts + 1
        )
        if not claimed:
            continue
        mail.attempts += 1
        try:
            EmailMessage(subject=mail.subject, body=mail.body_text, to=[mail.to]).send()
        except Exception as exc:  # noqa: BLE001 — any transport error is retried later
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if mail.attempts >= MAX_EMAIL_ATTEMPTS:
                mail.status = EmailStatus.FAILED
            else:
                mail.next_attempt_at = now + dt.timedelta(minutes=2**mail.attempts)
            mail.save(update_fields=["last_error", "status", "next_attempt_at"])
            continue
        mail.status = EmailStatus.SENT
        mail.sent_at = now
        mail.save(update_fields=["status", "sent_at"])
        sent += 1
    return sent
