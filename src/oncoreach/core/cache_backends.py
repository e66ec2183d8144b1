"""A Redis cache that degrades to "no cache" while Redis is unreachable, instead of failing requests.

Everything that uses Django's cache (the public-page cache and its generation counter, Wagtail's
site root paths, rate limits) then works as if the cache were empty: reads miss, writes are
dropped, ``incr`` reports a missing key. After a failure a process leaves Redis alone for
``CACHE_RETRY_SECONDS``, so an outage costs one short socket timeout per process and period rather
than one per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("oncoreach.cache")

T = TypeVar("T")


class FailSoftRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _safely(self, operation: Callable[[], T], fallback: T) -> T:
        if self.is_down:
            return fallback
        try:
            return operation()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            with self._lock:
                first = not self.is_down
                self._down_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
            if first:
                logger.warning("Cache unreachable, pages are rendered without it: %s", exc)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._safely(lambda: super(FailSoftRedisCacheClient, self).add(key, value, timeout), False)

    def get(self, key: Any, default: Any) -> Any:
        return self._safely(lambda: super(FailSoftRedisCacheClient, self).get(key, default), default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._safely(lambda: super(FailSoftRedisCacheClient, self).set(key, value, timeout), None)

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._safely(lambda: super(FailSoftRedisCacheClient, self).touch(key, timeout), False)

    def delete(self, key: Any) -> bool:
        return self._safely(lambda: super(FailSoftRedisCacheClient, self).delete(key), False)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._safely(lambda: super(FailSoftRedisCacheClient, self).get_many(keys), {})

    def has_key(self, key: Any) -> bool:
        return self._safely(lambda: super(FailSoftRedisCacheClient, self).has_key(key), False)

    def incr(self, key: Any, delta: int) -> Any:
        # A missing key is what callers already handle (ValueError), e.g. by setting a new value.
        result = self._safely(lambda: super(FailSoftRedisCacheClient, self).incr(key, delta), None)
        if result is None:
            raise ValueError("Key not found (cache unreachable).")
        return result

    def set_many(self, data: Any, timeout: Any) -> None:
        self._safely(lambda: super(FailSoftRedisCacheClient, self).set_many(data, timeout), None)

    def delete_many(self, keys: Any) -> None:
        self._safely(lambda: super(FailSoftRedisCacheClient, self).delete_many(keys), None)

    def clear(self) -> bool:
        return self._safely(lambda: super(FailSoftRedisCacheClient, self).clear(), False)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient
