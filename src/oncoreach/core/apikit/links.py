"""Absolute links in API bodies: the site's public address (``SITE_URL``) plus a path, never the
Host header of the request (a cached body must not carry one caller's host to another)."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"
