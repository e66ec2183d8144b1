"""Reads of the shared records: background runs and the outbox as program staff see them; the
caller's own fetch-or-deny decides who may see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from oncoreach.core.enums import EmailStatus
from oncoreach.core.models import BackgroundRun, OutboundEmail


def get_run(*, pk: int, kinds: Iterable[str]) -> BackgroundRun:
    """A background run of one of ``kinds`` (so one app's page never shows another app's run)."""
    return get_object_or_404(BackgroundRun.objects.select_related("started_by"), pk=pk, kind__in=list(kinds))


def recent_runs(*, kinds: Iterable[str], limit: int = 5) -> list[BackgroundRun]:
    return list(BackgroundRun.objects.filter(kind__in=list(kinds)).select_related("started_by")[:limit])


@dataclass(frozen=True, slots=True)
class OutboxHealth:
    """What a monitor and the staff pages need to know about mail still to go out."""

    waiting: int
    failed: int
    oldest_waiting_at: dt.datetime | None
    alert_after: dt.timedelta

    @property
    def oldest_waiting_age(self) -> dt.timedelta | None:
        return None if self.oldest_waiting_at is None else timezone.now() - self.oldest_waiting_at

    @property
    def is_late(self) -> bool:
        age = self.oldest_waiting_age
        return age is not None and age > self.alert_after

    @property
    def oldest_waiting_minutes(self) -> int:
        age = self.oldest_waiting_age
        return 0 if age is None else int(age.total_seconds() // 60)


def outbox_health() -> OutboxHealth:
    """Counts of mail waiting (pending or being sent) and failed for good, and the oldest waiting."""
    waiting = Q(status__in=[EmailStatus.PENDING, EmailStatus.SENDING])
    summary = OutboundEmail.objects.filter(waiting | Q(status=EmailStatus.FAILED)).aggregate(
        waiting=Count("id", filter=waiting),
        failed=Count("id", filter=Q(status=EmailStatus.FAILED)),
        oldest=Min("created_at", filter=waiting),
    )
    return OutboxHealth(
        waiting=summary["waiting"],
        failed=summary["failed"],
        oldest_waiting_at=summary["oldest"],
        alert_after=dt.timedelta(minutes=settings.OUTBOX_ALERT_MINUTES),
    )


def failed_emails() -> QuerySet[OutboundEmail]:
    """Mail that failed for good, newest first (the staff page lists these with a requeue button)."""
    return OutboundEmail.objects.filter(status=EmailStatus.FAILED).order_by("-created_at", "-id")
