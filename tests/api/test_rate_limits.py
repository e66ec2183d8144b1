"""Rate limits: 429 with Retry-After, per client address and per token; open when the cache is down."""

import pytest

from tests.api.conftest import bearer, error_code
from tests.factories.api import make_token

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_anonymous_client_over_the_limit_gets_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 2
    statuses = [client.get("/api/v1/calls", REMOTE_ADDR="203.0.113.5").status_code for _ in range(3)]
    limited = client.get("/api/v1/calls", REMOTE_ADDR="203.0.113.5")
    assert statuses == [200, 200, 429]
    assert error_code(limited) == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert client.get("/api/v1/calls", REMOTE_ADDR="203.0.113.6").status_code == 200  # another client


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    client.get("/api/v1/calls", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
    again = client.get("/api/v1/calls", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert again.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    settings.API_TRUSTED_PROXIES = 1
    first = client.get("/api/v1/calls", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = client.get("/api/v1/calls", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.6")
    again = client.get("/api/v1/calls", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert [first.status_code, other.status_code, again.status_code] == [200, 200, 429]


def test_ipv6_clients_are_counted_per_64_network(client, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    client.get("/api/v1/calls", REMOTE_ADDR="2001:db8:1:2::1")
    assert client.get("/api/v1/calls", REMOTE_ADDR="2001:db8:1:2::ffff").status_code == 429


def test_tokens_have_their_own_limit(client, settings, coordinator):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    settings.API_RATE_LIMIT_TOKEN = 2
    _first, one = make_token(coordinator, "people:read", name="one")
    _second, two = make_token(coordinator, "people:read", name="two")
    statuses = [client.get("/api/v1/people", **bearer(one)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/people", **bearer(two)).status_code == 200


def test_when_the_cache_is_down_the_api_still_answers(client, settings, caplog):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    settings.CACHES = {"default": {"BACKEND": "tests.api.broken_cache.UnreachableCache"}}
    statuses = [client.get("/api/v1/calls").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert "rate limits are off" in caplog.text
