"""Run background jobs: the Django Tasks database worker, plus periodic jobs when asked.

Django Tasks has no scheduler (ARCHITECTURE.md §7): in production cron or a systemd timer runs
`manage.py run_periodic`; in development `make run` starts `worker --periodic 60`, which runs the
same periodic jobs in this process between task batches.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


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
        if not periodic:
            if options["once"]:
                call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
                return
            call_command("db_worker", interval=options["interval"], no_startup_delay=True)
            return
        stopping = False

        def stop(*_args: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker: running tasks, and periodic jobs every {periodic} s")
        next_periodic = 0.0
        while not stopping:
            call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
            if time.monotonic() >= next_periodic:
                call_command("run_periodic", verbosity=0)
                next_periodic = time.monotonic() + periodic
            if options["once"]:
                return
            time.sleep(options["interval"])
