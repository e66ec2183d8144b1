"""E-mail the one-year follow-up survey to attendees whose course ended a year ago (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.workshops.services import send_followup_surveys


class Command(BaseCommand):
    help = "Send the one-year follow-up survey to every attendee not asked yet."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_followup_surveys()
        self.stdout.write(f"{sent} follow-up surveys queued.")
