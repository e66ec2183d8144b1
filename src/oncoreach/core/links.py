"""Absolute links for everything that leaves the site: e-mails, PDFs, feeds, calendars, Open Graph.

:func:`absolute_url` is the one place such a link is built. It starts from ``SITE_URL`` and never
from the request's Host header (a cached page or an e-mail must not carry whatever host a client
sent), so ``make run`` on another port (``PORT=9000``) gives links to that port everywhere.
Wagtail's own URLs (``page.full_url``, admin notifications) agree because ``manage.py
sync_site_address`` copies the same address into Wagtail's Site record.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute_url(path: str) -> str:
    """``/en/stories/`` → ``http://127.0.0.1:8000/en/stories/``; a URL that already has a scheme
    and host is returned unchanged."""
    if urlsplit(path).scheme:
        return path
    return f"{site_url()}/{path.lstrip('/')}"


def absolute_reverse(
    viewname: str, *, kwargs: dict[str, Any] | None = None, args: tuple[Any, ...] = (), language: str | None = None
) -> str:
    """``reverse()`` made absolute, in ``language`` (the recipient's, for e-mails) when given."""
    if language:
        with translation.override(language):
            return absolute_url(reverse(viewname, kwargs=kwargs or None, args=args or None))
    return absolute_url(reverse(viewname, kwargs=kwargs or None, args=args or None))


def site_url() -> str:
    """The site's address without a trailing slash (``SITE_URL``)."""
    return str(settings.SITE_URL).rstrip("/")


def site_host() -> str:
    """The host name alone (for iCalendar UIDs and feed entry ids)."""
    return urlsplit(site_url()).hostname or "localhost"
