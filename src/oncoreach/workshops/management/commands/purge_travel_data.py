"""Delete personal travel data (itineraries, visa flags, participants' follow-up answers) of
courses that ended more than TRAVEL_DATA_RETENTION_DAYS ago (ARCHITECTURE.md §7)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oncoreach.workshops.services.travel import purge_travel_data, retention_days, travel_purge_plans


class Command(BaseCommand):
    help = "Clear personal travel data of courses past the retention period; keeps booking and money facts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would be cleared; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        plans = travel_purge_plans() if dry_run else purge_travel_data()
        verb = "would clear" if dry_run else "cleared"
        for plan in plans:
            self.stdout.write(
                f"{plan.course.slug} (ended {plan.course.end_date:%Y-%m-%d}): {verb} "
                f"{len(plan.travels)} travel records, {plan.follow_up_answers} follow-up answers"
            )
        self.stdout.write(f"{len(plans)} courses past {retention_days()} days {verb}.")
