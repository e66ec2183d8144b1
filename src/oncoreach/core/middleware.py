"""Request-wide behaviour: whole-page cache for anonymous readers, the reader's time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from oncoreach.core.cache import public_generation

Handler = Callable[[HttpRequest], HttpResponse]


class PublicPageCacheMiddleware:
    """Serve anonymous GET pages that views marked public from the shared cache.

    Only requests without a session cookie are considered, so a signed-in reader never gets
    somebody else's page, and only responses that set no cookie are stored. The key carries a
    generation number that publishing bumps (ARCHITECTURE.md §7).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        eligible = (
            seconds > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        if not eligible:
            return self.get_response(request)
        key = f"page:{public_generation()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if (
            getattr(response, "oncoreach_public", False)
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, seconds)
        return response


class ReaderTimezoneMiddleware:
    """Show dates in the reader's zone: the profile's for signed-in users, UTC otherwise."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = getattr(getattr(request, "user", None), "time_zone", "") or ""
        if zone_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
