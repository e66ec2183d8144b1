"""Mentorships whose term is over are completed (evaluations asked, the mentor's hours credited),
and evaluations past their deadline are frozen. Idempotent; listed in settings.PERIODIC_COMMANDS."""

from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.mentoring.services.evaluations import end_terms, freeze_due_evaluations


class Command(BaseCommand):
    help = "Complete mentorships whose term ended (evaluations, hours, story prompt) and freeze overdue evaluations."

    def handle(self, *args: Any, **options: Any) -> None:
        completed = end_terms()
        frozen = freeze_due_evaluations()
        self.stdout.write(f"{completed} mentorships completed, {frozen} evaluations frozen.")
