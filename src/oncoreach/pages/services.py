"""Writes for the public pages: keeping Wagtail's Site record at the site's address."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from wagtail.models import Page, Site

from oncoreach.core.links import site_url


@transaction.atomic
def sync_site_address(*, url: str | None = None, root_page: Page | None = None) -> Site:
    """Make Wagtail's default Site answer at ``url`` (SITE_URL by default), so the links Wagtail
    builds itself (``page.full_url``, its admin e-mails and previews) agree with ours.

    Creates the default Site on ``root_page`` (else the first page below the tree's root) when
    there is none. Saving through the model clears Wagtail's cached site root paths.
    """
    parts = urlsplit(url or site_url())
    hostname = parts.hostname or "localhost"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        root = root_page or Page.objects.filter(depth=2).order_by("path").first()
        if root is None:
            raise ValueError("There is no page to serve: run the migrations first.")
        return Site.objects.create(hostname=hostname, port=port, root_page=root, is_default_site=True)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()
    return site
