"""After restoring a backup: hold every mail still waiting, so nothing that may already have gone
out before the restore is sent again unseen (deploy/backup.sh restore --hold-mail).

Held mail is marked failed with a note; program staff review it on the outbox page and queue
again what is still needed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.core.services import hold_waiting_emails


class Command(BaseCommand):
    help = "Mark every mail still waiting as failed (held for review on the staff outbox page)."

    def handle(self, *args: Any, **options: Any) -> None:
        held = hold_waiting_emails(reason="Held after a restore from backup; queue again if still needed.")
        self.stdout.write(f"held {held} e-mail(s) for review on the staff outbox page")
