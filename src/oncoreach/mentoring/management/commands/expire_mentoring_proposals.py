"""Proposals nobody answered in time expire (the engine then proposes again), and pairings whose
term has started become active. Listed in settings.PERIODIC_COMMANDS."""

from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.mentoring.services.consent import expire_overdue, start_due_mentorships


class Command(BaseCommand):
    help = "Expire unanswered mentoring proposals (cascading to the next best partner) and start due mentorships."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_overdue()
        started = start_due_mentorships()
        self.stdout.write(f"{expired} proposals expired, {started} mentorships started.")
