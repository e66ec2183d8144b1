"""Periodic (PERIODIC_COMMANDS): offers expired — see awards.services.decisions.expire_offers."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Awards: offers expired (run periodically; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        from oncoreach.awards.services import expire_offers

        count = expire_offers()
        self.stdout.write(f"{count} offers expired")
