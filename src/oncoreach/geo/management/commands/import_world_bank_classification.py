"""Import a World Bank CLASS.xlsx or OGHIST.xlsx file and print what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from oncoreach.geo.enums import IncomeGroup
from oncoreach.geo.services import import_world_bank_classification


def _group(code: str | None) -> str:
    if code is None:
        return "—"
    return str(IncomeGroup(code).label)


class Command(BaseCommand):
    help = "Import a World Bank income classification file (CLASS.xlsx or OGHIST.xlsx)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="path to CLASS.xlsx or OGHIST.xlsx")
        parser.add_argument("--fiscal-year", help="e.g. FY2027, for a CLASS.xlsx whose notes do not say")
        parser.add_argument("--dry-run", action="store_true", help="show the changes without saving them")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open("rb") as handle:
                record = import_world_bank_classification(
                    file=handle,
                    file_name=path.name,
                    actor=None,
                    fiscal_year=options["fiscal_year"],
                    dry_run=options["dry_run"],
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        years = ", ".join(f"FY{year}" for year in record.fiscal_years)
        for change in record.changes:
            self.stdout.write(
                f"  {change['iso3']} {change['country']} FY{change['fiscal_year']}: "
                f"{_group(change['old'])} → {_group(change['new'])}"
            )
        for warning in record.warnings:
            self.stdout.write(f"  note: {warning}")
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        summary = (
            f"{prefix}{path.name} ({years}): {record.added} added, {record.changed} changed, "
            f"{record.unchanged} unchanged."
        )
        if record.added or record.changed:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(f"{summary} No changes.")
