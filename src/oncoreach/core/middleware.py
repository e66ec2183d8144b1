"""Request-wide behaviour: whole-page cache for anonymous readers, the reader's time zone."""

from __future__ import annotations

import logging
import threading
import time
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import urlencode

from oncoreach.core.cache import PUBLIC_CACHE_CONTROL, SIGNED_IN_CACHE_CONTROL, content_etag, public_generation

logger = logging.getLogger("oncoreach.cache")

Handler = Callable[[HttpRequest], HttpResponseBase]


@dataclass(frozen=True, slots=True)
class CachedPage:
    """What is needed to rebuild a response: never the response object itself, which Django's
    handler mutates per request (closers, cookies)."""

    generation: int
    expires_at: float
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def response(self, *, vary_cookie: bool = False) -> HttpResponse:
        """A new response with the stored headers (and ``Vary: Cookie`` when asked).

        The headers were checked when the page was first rendered (``ResponseHeaders`` refuses a
        value with a newline or one it cannot encode), so a hit copies them as they are instead
        of checking each again: that check was a fifth of the cost of a hit.
        """
        response = HttpResponse(self.content, status=self.status)
        store = {name.lower(): (name, value) for name, value in self.headers}
        if vary_cookie:
            store["vary"] = ("Vary", "Cookie")
        response.headers._store = store  # type: ignore[attr-defined]
        return response


#: The request headers that can make a conditional response (304 or 412).
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")


def is_conditional(request: HttpRequest) -> bool:
    """Whether the request asks a conditional question at all (most requests do not: then
    ``get_conditional_response``, which parses each of these headers, need not run)."""
    meta = request.META
    return any(name in meta for name in CONDITIONAL_HEADERS)


class PublicPageCacheMiddleware:
    """Serve anonymous GET pages that views marked public (``core.cache.mark_public``) from cache.

    Two tiers: a small per-process LRU (a hit costs a dictionary look-up) in front of the cache
    shared by every process (file or Redis). Both are keyed by a generation number that publishing
    bumps (ARCHITECTURE.md §7); each process re-reads the shared generation at most every
    ``PUBLIC_PAGE_GENERATION_TTL`` seconds, so a publication shows everywhere within that time.
    Only requests without a session cookie are considered, so a signed-in reader never gets
    somebody else's page, and only responses that set no cookie are stored.

    The key is the scheme, the validated host, the path and the query parameters in a canonical
    order. A request whose Host is not allowed never reaches the cache (Django answers it with 400
    further in). A response is stored only when every query parameter of the request is one the
    view declared it reads (``mark_public(response, query=...)``): anybody may add ``?x=<random>``
    to a URL, and each such variant would otherwise be a new entry. While the shared cache is
    unreachable, pages are rendered and neither tier is used (a publication could not be seen).

    Every page it stores gets a strong ``ETag`` (a hash of the body, ``core.cache.content_etag``)
    and ``Cache-Control: public, max-age=0, must-revalidate`` with ``Vary: Cookie``: a proxy or CDN
    may keep it and revalidate, and a matching ``If-None-Match`` gets 304 from either tier without
    rendering. The ETag changes exactly when the body does, so after a publication (a new
    generation, a new rendering) a proxy gets the new page. A page marked public but requested
    with a session cookie is ``private, no-cache``: it may carry the reader's name.
    """

    LOCAL_ENTRIES = 512
    MAX_QUERY_LENGTH = 256

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._local: OrderedDict[str, CachedPage] = OrderedDict()
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._generation_read_at = float("-inf")
        self._skip_prefixes = tuple(
            prefix for prefix in (settings.STATIC_URL, settings.MEDIA_URL, "/cms/", "/django-admin/") if prefix
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self._signed_in(self.get_response(request))
        return self._anonymous(request)

    def _anonymous(self, request: HttpRequest) -> HttpResponseBase:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if (
            seconds <= 0
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(self._skip_prefixes)
            or len(request.META.get("QUERY_STRING", "")) > self.MAX_QUERY_LENGTH
        ):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        now = time.monotonic()
        generation = self._current_generation(now)
        if generation is None:
            return self.get_response(request)
        query = sorted(request.GET.lists())
        scheme = "https" if request.is_secure() else "http"
        key = f"page:{generation}:{scheme}://{host}{request.path}?{urlencode(query, doseq=True)}"
        page = self._local.get(key)
        if page is None:
            page = self._shared_get(key)
            if page is not None:
                self._remember(key, page)
        if page is not None and page.expires_at > time.time():
            # The stored headers leave Vary out; a page (not the API) varies by Cookie only.
            hit = page.response(vary_cookie=not request.path.startswith("/api/"))
            return self._conditional(request, hit)

        response = self.get_response(request)
        if (
            getattr(response, "oncoreach_public", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and all(name in getattr(response, "oncoreach_public_query", ()) for name, _ in query)
        ):
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            if not response.has_header("ETag"):
                response["ETag"] = content_etag(response.content)  # type: ignore[attr-defined]
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = PUBLIC_CACHE_CONTROL
            page = CachedPage(
                generation=generation,
                expires_at=time.time() + seconds,
                status=response.status_code,
                headers=tuple((name, value) for name, value in response.items() if name.lower() != "vary"),
                content=response.content,  # type: ignore[attr-defined]
            )
            self._shared_set(key, page, seconds)
            self._remember(key, page)
            return self._conditional(request, response)
        return response

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """304 for a matching ``If-None-Match``; and ``Vary: Cookie``, so a proxy keeps the page
        for readers without a session only (the stored headers leave ``Vary`` out)."""
        if not (request.path.startswith("/api/") or response.has_header("Vary")):
            patch_vary_headers(response, ("Cookie",))
        if response.has_header("ETag") and is_conditional(request):
            conditional = get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[arg-type]
            if conditional is not None:
                return conditional
        return response

    @staticmethod
    def _signed_in(response: HttpResponseBase) -> HttpResponseBase:
        if getattr(response, "oncoreach_public", False) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = SIGNED_IN_CACHE_CONTROL
        return response

    def _current_generation(self, now: float) -> int | None:
        if now - self._generation_read_at >= settings.PUBLIC_PAGE_GENERATION_TTL:
            try:
                self._generation = public_generation()
            except Exception:  # a cache backend that is not fail-soft: render rather than fail
                logger.warning("Shared cache unreachable; rendering public pages", exc_info=True)
                self._generation = None
            self._generation_read_at = now
        return self._generation

    @staticmethod
    def _shared_get(key: str) -> CachedPage | None:
        try:
            page = cache.get(key)
        except Exception:  # see _current_generation
            logger.warning("Shared cache unreachable; rendering public pages", exc_info=True)
            return None
        return page if isinstance(page, CachedPage) else None

    @staticmethod
    def _shared_set(key: str, page: CachedPage, seconds: int) -> None:
        try:
            cache.set(key, page, seconds)
        except Exception:  # see _current_generation
            logger.warning("Shared cache unreachable; page not stored", exc_info=True)

    def _remember(self, key: str, page: CachedPage) -> None:
        with self._lock:
            self._local[key] = page
            self._local.move_to_end(key)
            while len(self._local) > self.LOCAL_ENTRIES:
                self._local.popitem(last=False)


class ReaderTimezoneMiddleware:
    """Show dates in the reader's zone: the profile's for signed-in users, UTC otherwise."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        zone_name = getattr(getattr(request, "user", None), "time_zone", "") or ""
        if zone_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
