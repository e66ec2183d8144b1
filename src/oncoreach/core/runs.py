"""Background runs: work a staff member starts from a page and the worker does (Django Tasks),
with progress the page shows while it waits and an outcome when it is done.

An app registers a runner for a ``kind`` in its ``AppConfig.ready`` (so core never imports the
app), starts a run with :func:`start_run` and reads it back on its own fetch-or-deny view. The
runner gets the run, reports progress with :func:`report_progress`, and returns the outcome as
JSON (the app decides its shape; ``volunteers.fit_words`` words the engines' outcomes). A
``ValidationError`` from the runner fails the run with its message; any other error fails it
with a generic message (the traceback goes to the log, never to the page).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoreach.core.enums import RUN_TRANSITIONS, RunStatus
from oncoreach.core.models import BackgroundRun
from oncoreach.core.services import record_audit

logger = logging.getLogger(__name__)

Runner = Callable[..., Mapping[str, Any]]
_runners: dict[str, Runner] = {}


def register_runner(kind: str, runner: Runner) -> None:
    """Register ``runner(*, run) -> outcome`` for ``kind`` (once, from ``AppConfig.ready``)."""
    _runners[kind] = runner


def runner_for(kind: str) -> Runner | None:
    return _runners.get(kind)


@transaction.atomic
def start_run(
    *, kind: str, actor: Any, params: Mapping[str, Any], return_url: str = "", language: str = ""
) -> BackgroundRun:
    """Queue a run; the worker starts it once this transaction commits."""
    if kind not in _runners:
        raise ValueError(f"No runner is registered for {kind!r}.")
    run = BackgroundRun.objects.create(
        kind=kind,
        params=dict(params),
        return_url=return_url[:300],
        language=language or translation.get_language() or "en",
        started_by=actor if getattr(actor, "pk", None) else None,
        message=_("Waiting for the worker…"),
    )
    record_audit(actor=actor, action="core.run_started", target=run, kind=kind)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from oncoreach.core.tasks import task_execute_run

    task_execute_run.enqueue(run_id=run_id)


def transition_run(*, run: BackgroundRun, to: str, message: str = "", error: str = "") -> bool:
    """The one way a run's status changes (RUN_TRANSITIONS). Conditional on the status read, so
    two workers given the same run never both start it; returns whether this call changed it."""
    if to not in RUN_TRANSITIONS.get(run.status, frozenset()):
        return False
    now = timezone.now()
    changes: dict[str, Any] = {"status": to}
    if to == RunStatus.RUNNING:
        changes["started_at"] = now
    else:
        changes["finished_at"] = now
    if to == RunStatus.SUCCEEDED:
        changes["progress"] = 100
    if message:
        changes["message"] = message[:300]
    if error:
        changes["error"] = error[:4000]
    updated = BackgroundRun.objects.filter(pk=run.pk, status=run.status).update(**changes)
    if updated:
        for field, value in changes.items():
            setattr(run, field, value)
        if to != RunStatus.RUNNING:
            record_audit(actor=run.started_by, action="core.run_finished", target=run, kind=run.kind, status=to)
    return bool(updated)


def report_progress(*, run: BackgroundRun, progress: int, message: str = "") -> None:
    """The runner says how far it got (0–100) and what it is doing; the waiting page shows it."""
    run.progress = max(0, min(100, int(progress)))
    if message:
        run.message = message[:300]
    BackgroundRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(progress=run.progress, message=run.message)


def _restart(run: BackgroundRun) -> bool:
    """Start again a run left RUNNING by a worker that died (its task was put back in the queue).
    Runners write their outcome in one transaction and skip what is already done, so a second try
    is safe. Conditional on the start time read, so two retries never both restart it."""
    restarted = BackgroundRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, started_at=run.started_at).update(
        started_at=timezone.now(), progress=0, message=_("Started again: the worker stopped during the first try.")
    )
    if restarted:
        record_audit(actor=run.started_by, action="core.run_restarted", target=run, kind=run.kind)
    return bool(restarted)


def _begin(run: BackgroundRun, *, retry: bool) -> bool:
    """Mark the run started; False when it is not this call's to run (started or done already)."""
    if retry and run.status == RunStatus.RUNNING:
        return _restart(run)
    return transition_run(run=run, to=RunStatus.RUNNING, message=_("Started"))


def execute_run(*, run_id: int, retry: bool = False) -> BackgroundRun | None:
    """Do a queued run (called by the worker's task); a run already started or done is left alone,
    except that a ``retry`` (the task's earlier worker died) starts a RUNNING run again."""
    run = BackgroundRun.objects.filter(pk=run_id).select_related("started_by").first()
    if run is None:
        return None
    runner = _runners.get(run.kind)
    with translation.override(run.language):
        if runner is None:
            transition_run(run=run, to=RunStatus.FAILED, error=f"No runner for {run.kind}")
            return run
        if not _begin(run, retry=retry):
            return run
        try:
            outcome = runner(run=run)
        except ValidationError as exc:
            transition_run(run=run, to=RunStatus.FAILED, message=" ".join(exc.messages), error=" ".join(exc.messages))
            return run
        except Exception as exc:
            logger.exception("Background run %s (%s) failed", run.pk, run.kind)
            transition_run(
                run=run,
                to=RunStatus.FAILED,
                message=_("Something went wrong; nothing was changed. Try again, or tell the administrator."),
                error=f"{type(exc).__name__}: {exc}",
            )
            return run
        BackgroundRun.objects.filter(pk=run.pk).update(result=dict(outcome))
        run.result = dict(outcome)
        transition_run(run=run, to=RunStatus.SUCCEEDED, message=_("Done"))
    return run
