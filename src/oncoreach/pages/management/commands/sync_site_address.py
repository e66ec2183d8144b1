"""Point Wagtail's Site record at SITE_URL (``make run`` and ``make serve`` run it; so should a deployment)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.core.links import site_url
from oncoreach.pages.services import sync_site_address


class Command(BaseCommand):
    help = "Set Wagtail's default Site hostname and port from SITE_URL, so Wagtail's own links agree with ours."

    def handle(self, *args: Any, **options: Any) -> None:
        site = sync_site_address()
        if options["verbosity"] > 0:
            self.stdout.write(f"Wagtail site: {site.root_url} (SITE_URL is {site_url()}).")
