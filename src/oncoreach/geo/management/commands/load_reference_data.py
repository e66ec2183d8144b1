"""Load the shipped countries and World Bank income history (idempotent; `make run` calls it)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.geo.services import load_reference_data


class Command(BaseCommand):
    help = "Load countries, languages, time zones and World Bank income groups from geo/data (idempotent)."
    # `make run` calls this on every start right after `migrate`, which has just run the checks.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = load_reference_data()
        elapsed = time.monotonic() - started
        if not report.changed:
            self.stdout.write(
                f"Reference data unchanged: {report.countries_total} countries, "
                f"{report.classifications_total} income classifications ({elapsed:.1f} s)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data loaded: {report.countries_created} countries created, "
                f"{report.countries_updated} updated; {report.classifications_created} income classifications "
                f"created, {report.classifications_updated} updated ({elapsed:.1f} s)."
            )
        )
