"""Each side of each active mentorship gets this month's check-in e-mail once (one-click,
signed, single-use answer links). Listed in settings.PERIODIC_COMMANDS."""

from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.mentoring.services.checkins import send_monthly_checkins


class Command(BaseCommand):
    help = "Send this month's mentoring check-in e-mails (each side of each active mentorship, once a month)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_monthly_checkins()
        self.stdout.write(f"{sent} mentoring check-ins sent.")
