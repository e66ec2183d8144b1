"""Import the society's membership export (CSV) and print what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oncoreach.people.services_membership import import_memberships


class Command(BaseCommand):
    help = "Import the society's membership export (CSV; the format is in the README)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="path to the CSV export")
        parser.add_argument("--dry-run", action="store_true", help="show the changes without saving them")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open("rb") as handle:
                record = import_memberships(file=handle, file_name=path.name, actor=None, dry_run=options["dry_run"])
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        for change in record.changes:
            before = f" (was {change['before']})" if change["before"] else ""
            self.stdout.write(
                f"  row {change['row']}: {change['change']} {change['member_number']} {change['person']} "
                f"[{change['matched_by']}]: {change['category']}, {change['period']}{before}"
            )
        for row in record.unknown_rows:
            self.stdout.write(f"  row {row['row']}: unknown person {row['member_number']} {row['email']} {row['name']}")
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        summary = (
            f"{prefix}{path.name}: {record.rows} rows, {record.added} new, {record.updated} updated, "
            f"{record.unchanged} unchanged, {record.unknown} unknown people."
        )
        self.stdout.write(self.style.SUCCESS(summary) if record.added or record.updated else summary)
