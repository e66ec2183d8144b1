"""Periodic jobs, for cron or a systemd timer (e.g. every minute): send due e-mails, and
whatever reminder commands the apps register in PERIODIC_COMMANDS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the periodic jobs once (send due e-mails, reminders). Schedule it every minute."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ["send_due_emails", *getattr(settings, "PERIODIC_COMMANDS", [])]:
            call_command(name, verbosity=options["verbosity"])
