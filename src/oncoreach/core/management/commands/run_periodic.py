"""Periodic jobs, for a systemd timer or cron (every minute): recover tasks of dead workers, send
due e-mails, run the reminder commands the apps register in PERIODIC_COMMANDS, and prune old task
rows.

Safe to schedule on every node: a cross-node lock (core.taskqueue.job_lock) lets one run at a time
do the work, and the others return at once. Each job is also safe on its own if run twice.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import Error as DatabaseFailure
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from oncoreach.core.services import enqueue_outbox_drain_if_due
from oncoreach.core.taskqueue import (
    close_database_connections,
    job_lock,
    prune_worker_heartbeats,
    recover_orphaned_tasks,
)

logger = logging.getLogger("oncoreach.periodic")


class Command(BaseCommand):
    help = "Run the periodic jobs once (recover tasks, send due e-mails, reminders, pruning). Schedule it every minute."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Keep running, once every N seconds, riding out database errors (instead of a timer).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        if not every:
            self.run_once(options["verbosity"])
            return
        while True:
            started = time.monotonic()
            try:
                self.run_once(options["verbosity"])
            except DatabaseFailure as exc:
                logger.warning("Periodic jobs: database error (%s); trying again in %s s", exc, every)
                close_database_connections()
            except Exception:  # a failing job is logged; the next round runs all the same
                logger.exception("Periodic jobs failed")
            time.sleep(max(0.0, every - (time.monotonic() - started)))

    def run_once(self, verbosity: int) -> None:
        with job_lock("oncoreach-run-periodic") as got:
            if not got:
                if verbosity:
                    self.stdout.write("another node is running the periodic jobs; nothing to do")
                return
            recovered = recover_orphaned_tasks()
            if verbosity:
                self.stdout.write(f"recovered {recovered} orphaned task(s)")
            if enqueue_outbox_drain_if_due() and verbosity:
                self.stdout.write("e-mail is due: a drain task is queued")
            for name in getattr(settings, "PERIODIC_COMMANDS", []):
                call_command(name, verbosity=verbosity)
            if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
                call_command(
                    "prune_db_task_results",
                    queue_name="*",
                    min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
                    verbosity=verbosity,
                )
            prune_worker_heartbeats()
