"""For a monitor (cron, Nagios, a systemd timer with OnFailure=): is e-mail going out?

Exit status 0 when the oldest mail waiting is younger than OUTBOX_ALERT_MINUTES (or none waits),
1 with a logged warning when it is older; the number of mails failed for good is printed, and
logged as a warning when there are any.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.core.selectors import outbox_health

logger = logging.getLogger("oncoreach.outbox")


class Command(BaseCommand):
    help = "Check the e-mail outbox: exit 1 when mail waits longer than OUTBOX_ALERT_MINUTES."

    def handle(self, *args: Any, **options: Any) -> None:
        health = outbox_health()
        self.stdout.write(
            f"waiting={health.waiting} failed={health.failed} oldest_waiting_minutes={health.oldest_waiting_minutes}"
        )
        if health.failed:
            logger.warning("%s e-mail(s) failed for good; see the staff outbox page", health.failed)
        if health.is_late:
            logger.warning(
                "E-mail is not going out: %s waiting, the oldest for %s minutes",
                health.waiting,
                health.oldest_waiting_minutes,
            )
            raise SystemExit(1)
