"""Whole-page caching of anonymous public pages, invalidated by a generation key."""

from __future__ import annotations

import secrets
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpResponseBase

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)

GENERATION_KEY = "public-pages:generation"


def public_generation() -> int:
    """The current generation. It starts at a random number, so pages a process still holds
    from before a cache flush can never be mistaken for current ones."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.randbelow(2**40) + 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return int(generation)


def bump_public_generation() -> None:
    """Make every cached public page stale at once (called when something public changes)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, secrets.randbelow(2**40) + 1, timeout=None)


def mark_public(response: ResponseT) -> ResponseT:
    """Let the public-page cache keep this response for anonymous readers."""
    response.oncoreach_public = True  # type: ignore[attr-defined]
    return response
