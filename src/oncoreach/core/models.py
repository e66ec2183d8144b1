"""Generic records every app uses: the audit trail, the e-mail outbox and background runs.

Nothing here knows about a domain; apps write through ``core.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoreach.core.enums import EmailStatus, RunStatus


class AuditEvent(models.Model):
    """One decision or change, who made it and when (the audit trail of every lifecycle)."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("about"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class OutboundEmail(models.Model):
    """An e-mail waiting to be sent or sent: unique per event and recipient, so none goes twice.

    A sender claims a due mail by setting it ``sending`` with a fresh ``claim_token`` and moving
    ``next_attempt_at`` to the end of its lease; it writes the outcome only while it still holds
    that token. A mail whose sender died stays ``sending`` until the lease ends, then any sender
    may claim it again (``core.services.send_due_emails``).
    """

    event_key = models.CharField(max_length=200)
    to = models.EmailField()
    language = models.CharField(max_length=10, default="en")
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    # Extra header lines for this mail (RFC 8058 List-Unsubscribe on cohort messages, say);
    # transactional mail has none.
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event_key", "to"], name="outbox_once_per_event_recipient")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class BackgroundRun(models.Model):
    """One piece of work done by the worker for a staff member (an engine run, say), with its
    progress for the page that waits for it and its outcome when done. Generic: ``kind`` names
    the runner an app registered (``core.runs.register_runner``); ``params`` holds the ids it
    works on and ``result`` the summary the app's page shows."""

    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    message = models.CharField(_("what it is doing"), max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Messages and the outcome's labels are written in the language of who started the run.
    language = models.CharField(max_length=10, default="en")
    return_url = models.CharField(max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="run_progress_at_most_100")]
        verbose_name = _("background run")
        verbose_name_plural = _("background runs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)


class WorkerHeartbeat(models.Model):
    """A background worker process that is alive: it rewrites ``seen_at`` every few seconds.

    A task left RUNNING by a worker whose heartbeat stopped was orphaned (the process was killed)
    and is put back in the queue (``core.taskqueue.recover_orphaned_tasks``).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
