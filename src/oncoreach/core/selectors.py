"""Reads for core records; the caller's own fetch-or-deny decides who may see them."""

from __future__ import annotations

from collections.abc import Iterable

from django.shortcuts import get_object_or_404

from oncoreach.core.models import BackgroundRun


def get_run(*, pk: int, kinds: Iterable[str]) -> BackgroundRun:
    """A background run of one of ``kinds`` (so one app's page never shows another app's run)."""
    return get_object_or_404(BackgroundRun.objects.select_related("started_by"), pk=pk, kind__in=list(kinds))


def recent_runs(*, kinds: Iterable[str], limit: int = 5) -> list[BackgroundRun]:
    return list(BackgroundRun.objects.filter(kind__in=list(kinds)).select_related("started_by")[:limit])
