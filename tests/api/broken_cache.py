from django.core.cache.backends.locmem import LocMemCache


class UnreachableCache(LocMemCache):
    """A shared cache that is down (as Redis is when its server stops)."""

    def add(self, *args, **kwargs):
        raise ConnectionError("cache down")

    def incr(self, *args, **kwargs):
        raise ConnectionError("cache down")
