"""Whole-page caching of anonymous public pages, invalidated by a generation key."""

from __future__ import annotations

from django.core.cache import cache

GENERATION_KEY = "public-pages:generation"


def public_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def bump_public_generation() -> None:
    """Make every cached public page stale at once (called when something public changes)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def mark_public(response):  # type: ignore[no-untyped-def]
    """Let the public-page cache keep this response for anonymous readers."""
    response.oncoreach_public = True
    return response
