"""E-mail faculty (14 and 3 days before) and accepted participants (3 days before) about their
trip to a course; run every minute, each reminder goes out once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oncoreach.workshops.services.travel import FACULTY_REMINDER_DAYS, PARTICIPANT_REMINDER_DAYS, send_trip_reminders


class Command(BaseCommand):
    help = "Send the trip reminders due today to faculty and accepted participants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--faculty-days",
            type=int,
            nargs="+",
            default=list(FACULTY_REMINDER_DAYS),
            help="Days before the course on which faculty are reminded (default: 14 3).",
        )
        parser.add_argument(
            "--participant-days",
            type=int,
            nargs="+",
            default=list(PARTICIPANT_REMINDER_DAYS),
            help="Days before the course on which accepted participants are reminded (default: 3).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_trip_reminders(faculty_days=options["faculty_days"], participant_days=options["participant_days"])
        self.stdout.write(f"{sent} trip reminders queued.")
