"""Whole-page caching of anonymous public pages, invalidated by a generation key."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpResponseBase

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)

GENERATION_KEY = "public-pages:generation"
# What a proxy or CDN may do with a public page or API response: keep it, and revalidate it with
# its ETag on every request (a 304 costs us a page-cache look-up). Publishing bumps the generation,
# the page is rendered anew, its body and so its ETag change: the proxy then gets the new page.
PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate"
# A public page requested with a session cookie is rendered for that reader (menus, names).
SIGNED_IN_CACHE_CONTROL = "private, no-cache"

logger = logging.getLogger("oncoreach.cache")


def public_generation() -> int | None:
    """The current generation, or ``None`` while the shared cache cannot be reached (then nothing
    may be served from or stored in the page cache). It starts at a random number, so pages a
    process still holds from before a cache flush can never be mistaken for current ones."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.randbelow(2**40) + 1, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return None if generation is None else int(generation)


def bump_public_generation() -> None:
    """Make every cached public page stale at once (called when something public changes).

    With the shared cache unreachable the bump is lost: pages cached before the outage then stay
    until they expire (PUBLIC_PAGE_CACHE_SECONDS), which is the price of not failing the write."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, secrets.randbelow(2**40) + 1, timeout=None)
    except Exception:  # a cache without fail-soft handling (e.g. a custom backend) must not fail the write
        logger.exception("Could not mark cached public pages stale")


def mark_public(response: ResponseT, *, query: Iterable[str] = ()) -> ResponseT:
    """Let the public-page cache keep this response for anonymous readers.

    ``query`` names the query parameters the view reads. A request carrying any other parameter is
    answered but never stored, so made-up query strings cannot fill the cache (core.middleware).
    """
    response.oncoreach_public = True  # type: ignore[attr-defined]
    response.oncoreach_public_query = frozenset(query)  # type: ignore[attr-defined]
    return response


def content_etag(content: bytes) -> str:
    """The strong ETag of a body: the same for a page rendered now and one the page cache keeps,
    for the pages and the API alike (core.middleware, api.middleware)."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
