"""Keeping the Django Tasks database queue healthy on several nodes.

django-tasks-db gives the queue, the worker loop (``Worker``) and ``prune_db_task_results``. It
does not survive a database restart (an ``OperationalError`` in ``get_locked`` ends the process)
and it never notices a task whose worker was killed (the row stays RUNNING forever). This module
adds what is missing:

- ``ResilientWorker``: the library's worker, run by ``manage.py worker`` in a loop that closes the
  broken connections, backs off and carries on after any database error;
- a heartbeat per worker process (``WorkerHeartbeat``), written by a thread every
  ``WORKER_HEARTBEAT_SECONDS``;
- ``recover_orphaned_tasks``: a task RUNNING under a worker silent for ``WORKER_DEAD_AFTER_SECONDS``
  goes back to the queue (or fails, after ``TASK_MAX_RUNS`` runs), run by ``run_periodic``;
- ``job_lock``: so ``run_periodic`` does its work once even when every node schedules it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import random
import socket
import threading
import zlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import Error as DatabaseFailure
from django.db import connection, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from oncoreach.core.models import WorkerHeartbeat

logger = logging.getLogger("oncoreach.worker")

BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0


def new_worker_id() -> str:
    """Unique across nodes and restarts, and readable: host, process, random suffix."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{get_random_string(8)}"[:64]


def close_database_connections() -> None:
    """Drop this thread's connections (broken ones included), so the next query reconnects."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseFailure:
            conn.connection = None


def beat(*, worker_id: str, started_at: dt.datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
        create_defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": now,
            "started_at": started_at,
        },
    )


class Heartbeat(threading.Thread):
    """Writes this worker's heartbeat every few seconds, whatever the main thread is running, and
    rides out database outages (a failed beat is simply retried at the next one)."""

    def __init__(self, *, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                beat(worker_id=self.worker_id, started_at=self.started_at)
            except DatabaseFailure as exc:
                logger.warning("Worker %s: heartbeat failed (%s)", self.worker_id, exc)
                close_database_connections()
            self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS)
        connection.close()


def recover_orphaned_tasks(*, now: dt.datetime | None = None) -> int:
    """Put back in the queue the tasks whose worker died while running them.

    A RUNNING task is orphaned when it started more than ``WORKER_DEAD_AFTER_SECONDS`` ago and the
    worker that claimed it (the last of its ``worker_ids``) has not written a heartbeat for that
    long. It runs again (tasks are written to be safe to repeat: they take ids and call idempotent
    services), unless it already ran ``TASK_MAX_RUNS`` times: then it fails, so a task that kills
    its worker cannot kill every worker in turn. Returns how many were recovered or failed.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    recovered = 0
    for task in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "started_at"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        same_run = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at)
        if len(task.worker_ids) >= settings.TASK_MAX_RUNS:
            changed = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="oncoreach.core.taskqueue.WorkerDied",
                traceback=f"Its worker stopped during each of {len(task.worker_ids)} runs.",
            )
            logger.error("Task %s failed for good: its worker died %s times", task.pk, len(task.worker_ids))
        else:
            changed = same_run.update(status=TaskResultStatus.READY, started_at=None)
            logger.warning("Task %s put back in the queue: worker %s stopped", task.pk, task.worker_ids[-1:])
        recovered += changed
    return recovered


def prune_worker_heartbeats(*, now: dt.datetime | None = None) -> int:
    """Forget workers silent for a day (their tasks were recovered long before)."""
    now = now or timezone.now()
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return deleted


class ResilientWorker(Worker):
    """django-tasks-db's worker, remembering the task it runs: when the database fails while the
    task's outcome is being written, the task is put back in the queue once the database is back,
    instead of staying RUNNING under a worker that is still alive."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unfinished: Any = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.unfinished = db_task_result.pk
        super().run_task(db_task_result)  # records the outcome; raises only if that write fails
        self.unfinished = None

    def requeue_unfinished(self) -> None:
        if self.unfinished is None:
            return
        DBTaskResult.objects.filter(pk=self.unfinished, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("Task %s put back in the queue after a database error", self.unfinished)
        self.unfinished = None


def backoff_seconds(failures: int) -> float:
    """0.5 s, 1 s, 2 s … up to 30 s, with jitter so workers do not reconnect in step."""
    return float(min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (failures - 1)) * random.uniform(0.8, 1.2))


@contextlib.contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """Hold a lock named ``name`` across nodes while the block runs; yields False when somebody
    else holds it. PostgreSQL: a session advisory lock (released if the process dies). SQLite runs
    on one node: an ``flock`` on a file beside the database (released the same way)."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(name.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            got = bool(cursor.fetchone()[0])
        try:
            yield got
        finally:
            if got:
                with contextlib.suppress(DatabaseFailure), connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.VAR_DIR / f"{name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
