"""Periodic (PERIODIC_COMMANDS): interview reminders queued — see awards.services.interviews.send_interview_reminders."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Awards: interview reminders queued (run periodically; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        from oncoreach.awards.services import send_interview_reminders

        count = send_interview_reminders()
        self.stdout.write(f"{count} interview reminders queued")
