"""Run background jobs: the Django Tasks database worker, plus periodic jobs when asked.

Django Tasks has no scheduler (ARCHITECTURE.md §7): in production a systemd timer (or cron) runs
`manage.py run_periodic`; in development `make run` starts `worker --periodic 60`, which runs the
same periodic jobs in this process between task batches.

A database error never ends this process (core.taskqueue): the worker drops its connections,
waits (0.5 s doubling to 30 s) and tries again, and a heartbeat thread tells the other nodes it is
alive, so the tasks of a worker that was killed are recovered. SIGTERM stops it after the task in
hand; a second SIGTERM stops it at once.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import Error as DatabaseFailure
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS

from oncoreach.core.taskqueue import (
    Heartbeat,
    ResilientWorker,
    backoff_seconds,
    beat,
    close_database_connections,
    new_worker_id,
)

logger = logging.getLogger("oncoreach.worker")


class Command(BaseCommand):
    help = "Run background tasks (Django Tasks, database backend); --periodic N also runs periodic jobs every N s."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--periodic", type=int, default=0, help="Run periodic jobs every N seconds (0: never).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls for new tasks.")
        parser.add_argument(
            "--once", action="store_true", help="Process what is queued (and periodic jobs), then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        periodic = options["periodic"]
        worker_id = new_worker_id()
        worker = ResilientWorker(
            queue_names=["*"],
            interval=options["interval"],
            batch=True,  # run() returns whenever the queue is empty; this loop polls again
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        heartbeat = Heartbeat(worker_id=worker_id)
        if options["once"]:
            beat(worker_id=worker_id, started_at=heartbeat.started_at)
        else:
            heartbeat.start()
            worker.configure_signals()
            self.stdout.write(
                f"worker {worker_id}: running tasks" + (f", periodic jobs every {periodic} s" if periodic else "")
            )
        next_periodic = 0.0
        failures = 0
        while worker.running:
            try:
                worker.requeue_unfinished()
                worker.run()
                if periodic and time.monotonic() >= next_periodic:
                    self._run_periodic()
                    next_periodic = time.monotonic() + periodic
            except DatabaseFailure as exc:
                failures += 1
                delay = backoff_seconds(failures)
                logger.warning("Worker %s: database error (%s); retrying in %.1f s", worker_id, exc, delay)
                close_database_connections()
                time.sleep(delay)
                continue
            failures = 0
            if options["once"]:
                break
            time.sleep(options["interval"])
        heartbeat.stopping.set()

    def _run_periodic(self) -> None:
        try:
            call_command("run_periodic", verbosity=0)
        except DatabaseFailure:
            raise
        except Exception:  # a failing periodic job is logged; it must not stop the task worker
            logger.exception("Periodic jobs failed")
