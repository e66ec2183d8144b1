"""Fixed-window counters in the shared cache, for actions anyone can repeat at will.

Each call counts one attempt under every key it is given (an address, a client), whether or not
the attempt goes on to do anything, so the answer never depends on data the caller may not know
(no account enumeration). Keys are hashed: no address or IP is stored in the cache in clear.

When the cache cannot be reached the counters **fail open** (the attempt is allowed, and the
failure is logged): what these limits protect is mailboxes from floods, and refusing every
password reset while Redis is down would lock people out of their accounts instead. Each mail
these limits guard has a second, cache-free bound in the outbox (one mail per address and
window, by its event key), so an outage cannot turn into a flood either.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(scope: str, name: str, value: str, window: int) -> str:
    digest = hashlib.sha256(f"{scope}\x00{name}\x00{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{name}:{digest}:{window}"


def within_limits(*, scope: str, counted: Mapping[str, tuple[str, int]], window_seconds: int) -> bool:
    """Count one attempt under each ``name: (value, limit)``; True while every count is within its limit.

    Every counter is increased even when another is already over, so spreading attempts over
    addresses (or clients) does not slip past the other limit.
    """
    window = int(time.time()) // window_seconds
    allowed = True
    try:
        for name, (value, limit) in counted.items():
            key = _key(scope, name, value, window)
            cache.add(key, 0, timeout=window_seconds + 60)
            if cache.incr(key) > limit:
                allowed = False
    except Exception:
        logger.warning("Rate limit %s not checked: the cache is unavailable.", scope, exc_info=True)
        return True
    return allowed
