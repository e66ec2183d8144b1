"""Rate limits: requests per minute per token, and per client address for anonymous calls.

A fixed one-minute window counted in the shared cache (``cache.add`` then ``cache.incr``, atomic
on Redis), so every server process sees the same count. Over the limit, the API answers 429
``rate_limited`` with ``Retry-After`` (seconds to the next window).

When the cache cannot be reached the API keeps answering without limits (and logs it, at most
once a minute): refusing every caller because a counter is unavailable would turn a cache fault
into an outage, and the limits protect capacity rather than secrets. Responses the public page
cache serves never reach this check; they cost next to nothing.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from oncoreach.api.clients import client_key

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60


class ApiRateLimit(BaseThrottle):
    """Per token when the request carries a valid one, otherwise per client address."""

    def __init__(self) -> None:
        self._warned_at = float("-inf")

    def limits(self, request: HttpRequest) -> tuple[str, int]:
        token = getattr(request, "auth", None)
        if token is not None and getattr(token, "pk", None) is not None:
            return f"token:{token.pk}", int(settings.API_RATE_LIMIT_TOKEN)
        return f"ip:{client_key(request)}", int(settings.API_RATE_LIMIT_ANONYMOUS)

    def allow_request(self, request: HttpRequest) -> bool:
        identity, limit = self.limits(request)
        if limit <= 0:
            return True
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"api-rate:{identity}:{window}"
        try:
            cache.add(key, 0, WINDOW_SECONDS + 5)
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr: a new window
            count = 1
        except Exception:  # any cache backend's "unreachable" (redis, OSError, …): see the docstring
            if now - self._warned_at > WINDOW_SECONDS:
                self._warned_at = now
                logger.warning("API rate limits are off: the cache cannot be reached.", exc_info=True)
            return True
        if count <= limit:
            return True
        request.rate_limit_wait = math.ceil((window + 1) * WINDOW_SECONDS - now)  # type: ignore[attr-defined]
        return False

    def wait(self) -> float | None:
        return None  # the handler reads request.rate_limit_wait (this object is shared by threads)
