import datetime as dt

import pytest
import time_machine

from oncoreach.core.ratelimit import within_limits

pytestmark = [pytest.mark.unit]


def _attempt(address="a@example.org", client="203.0.113.1"):
    return within_limits(scope="test", counted={"address": (address, 2), "client": (client, 3)}, window_seconds=60)


def test_within_limits_counts_each_key_and_opens_again_in_the_next_window():
    start = dt.datetime(2026, 5, 4, 12, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        first = [_attempt() for _ in range(3)]
        other_address = [_attempt(address="b@example.org") for _ in range(2)]
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        next_window = _attempt()

    # The third attempt of a@ is over the address limit; b@'s second is the client's fifth.
    assert (first, other_address, next_window) == ([True, True, False], [False, False], True)


def test_within_limits_fails_open_when_the_cache_is_down(settings):
    settings.CACHES = {"default": {"BACKEND": "tests.down_cache.DownCache"}}

    assert [_attempt() for _ in range(4)] == [True] * 4
