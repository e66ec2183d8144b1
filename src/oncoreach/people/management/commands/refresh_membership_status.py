"""Keep every person's membership status in step with their records as days pass (run_periodic
calls it; the work is done once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.people.services_membership import refresh_membership_status


class Command(BaseCommand):
    help = "Set membership status (active/lapsed) from the membership records, once a day."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="run even if it already ran today")

    def handle(self, *args: Any, **options: Any) -> None:
        changed = refresh_membership_status(force=options["force"])
        if changed is not None and options["verbosity"] > 1:
            self.stdout.write(f"{changed} membership statuses changed.")
