"""Periodic (PERIODIC_COMMANDS): report reminders queued — see awards.services.grants.send_report_reminders."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Awards: report reminders queued (run periodically; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        from oncoreach.awards.services import send_report_reminders

        count = send_report_reminders()
        self.stdout.write(f"{count} report reminders queued")
