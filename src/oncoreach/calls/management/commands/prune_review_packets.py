"""Periodic (PERIODIC_COMMANDS): reviewers' stored PDF packets older than REVIEW_PACKET_KEEP_DAYS
are deleted, file and run — see calls.services_review.prune_review_packets."""

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Calls: delete reviewers' PDF packets past REVIEW_PACKET_KEEP_DAYS (run periodically; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        from oncoreach.calls.services_review import prune_review_packets

        count = prune_review_packets()
        self.stdout.write(f"{count} review packets deleted")
