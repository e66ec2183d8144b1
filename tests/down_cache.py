"""A cache backend that is always down (Redis stopped), for fail-open/closed tests."""

from django.core.cache.backends.base import BaseCache


class DownCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("the cache is down")

    add = get = set = touch = delete = incr = clear = has_key = _down
