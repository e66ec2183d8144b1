import pytest
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import RequestFactory

from oncoreach.core.cache import bump_public_generation, content_etag, mark_public, public_generation
from oncoreach.core.middleware import PublicPageCacheMiddleware

pytestmark = [pytest.mark.unit]


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    calls = []

    def view(request):
        calls.append(request.path)
        response = HttpResponse(f"page {len(calls)}")
        if request.GET.get("cookie"):
            response.set_cookie("x", "1")
        declared = ("page", "cookie", "private")
        return mark_public(response, query=declared) if not request.GET.get("private") else response

    return PublicPageCacheMiddleware(view), calls


def test_anonymous_reader_gets_the_cached_page(page_cache):
    middleware, calls = page_cache
    first = middleware(RequestFactory().get("/en/stories/"))
    second = middleware(RequestFactory().get("/en/stories/"))
    assert (first.content, second.content, len(calls)) == (b"page 1", b"page 1", 1)


def test_publication_makes_cached_pages_stale(page_cache):
    middleware, _ = page_cache
    middleware(RequestFactory().get("/en/stories/"))
    bump_public_generation()
    assert middleware(RequestFactory().get("/en/stories/")).content == b"page 2"


def test_signed_in_reader_never_gets_a_cached_page(page_cache):
    middleware, _ = page_cache
    middleware(RequestFactory().get("/en/stories/"))
    request = RequestFactory().get("/en/stories/")
    request.COOKIES["sessionid"] = "abc"
    assert middleware(request).content == b"page 2"


def test_unmarked_pages_and_pages_setting_cookies_are_not_stored(page_cache):
    middleware, calls = page_cache
    for query in ("?private=1", "?cookie=1"):
        middleware(RequestFactory().get("/en/x/" + query))
        middleware(RequestFactory().get("/en/x/" + query))
    assert len(calls) == 4


def test_posts_are_never_cached(page_cache):
    middleware, calls = page_cache
    middleware(RequestFactory().post("/en/stories/"))
    middleware(RequestFactory().post("/en/stories/"))
    assert len(calls) == 2


def test_a_flushed_cache_never_serves_a_page_from_before(page_cache):
    middleware, _ = page_cache
    middleware(RequestFactory().get("/en/stories/"))
    cache.clear()
    assert middleware(RequestFactory().get("/en/stories/")).content == b"page 2"


def test_query_parameters_no_view_reads_never_create_entries(page_cache):
    middleware, calls = page_cache
    for attempt in range(3):
        middleware(RequestFactory().get(f"/en/stories/?utm_source={attempt}"))
        middleware(RequestFactory().get(f"/en/stories/?page=2&junk={attempt}"))
    assert len(calls) == 6
    assert [key for key in cache._cache if "junk" in key or "utm" in key] == []


def test_declared_parameters_share_one_entry_in_any_order(page_cache):
    middleware, calls = page_cache
    middleware(RequestFactory().get("/en/stories/?page=2&cookie="))
    second = middleware(RequestFactory().get("/en/stories/?cookie=&page=2"))
    assert (second.content, len(calls)) == (b"page 1", 1)


def test_a_host_that_is_not_allowed_is_never_answered_from_cache(page_cache, settings):
    settings.ALLOWED_HOSTS = ["oncoreach.example.org"]
    middleware, calls = page_cache
    middleware(RequestFactory().get("/en/stories/", HTTP_HOST="oncoreach.example.org"))
    middleware(RequestFactory().get("/en/stories/", HTTP_HOST="evil.example.com"))
    assert len(calls) == 2


def test_each_host_has_its_own_entries(page_cache, settings):
    settings.ALLOWED_HOSTS = ["a.example.org", "b.example.org"]
    middleware, calls = page_cache
    middleware(RequestFactory().get("/en/stories/", HTTP_HOST="a.example.org"))
    other = middleware(RequestFactory().get("/en/stories/", HTTP_HOST="b.example.org"))
    assert (other.content, len(calls)) == (b"page 2", 2)


@pytest.fixture
def redis_down(settings):
    """A Redis cache whose server is not there (port 1 on loopback refuses at once)."""

    def configure(backend):
        settings.CACHES = {
            "default": {
                "BACKEND": backend,
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }
        settings.PUBLIC_PAGE_CACHE_SECONDS = 60

    yield configure
    caches["default"].close()


@pytest.mark.parametrize(
    "backend", ["oncoreach.core.cache_backends.FailSoftRedisCache", "django.core.cache.backends.redis.RedisCache"]
)
def test_pages_are_rendered_while_redis_is_down(redis_down, backend):
    redis_down(backend)
    calls = []

    def view(request):
        calls.append(1)
        return mark_public(HttpResponse("fresh"))

    middleware = PublicPageCacheMiddleware(view)
    responses = [middleware(RequestFactory().get("/en/stories/")) for _ in range(2)]
    assert [(r.status_code, r.content) for r in responses] == [(200, b"fresh")] * 2
    assert len(calls) == 2  # nothing served from a cache whose generation is unknown


def test_cache_users_see_an_empty_cache_while_redis_is_down(redis_down, settings):
    redis_down("oncoreach.core.cache_backends.FailSoftRedisCache")
    settings.CACHE_RETRY_SECONDS = 5
    cache.set("k", 1)
    bump_public_generation()
    assert (cache.get("k"), cache.add("k", 2), public_generation()) == (None, False, None)


def test_stored_pages_carry_an_etag_and_public_cache_control(page_cache):
    middleware, _ = page_cache
    first = middleware(RequestFactory().get("/en/stories/"))
    hit = middleware(RequestFactory().get("/en/stories/"))

    assert first["ETag"] == hit["ETag"] == content_etag(b"page 1")
    assert first["Cache-Control"] == hit["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in hit["Vary"]


def test_if_none_match_gets_304_from_the_cache_until_the_next_publication(page_cache):
    middleware, calls = page_cache
    etag = middleware(RequestFactory().get("/en/stories/"))["ETag"]

    revalidated = middleware(RequestFactory().get("/en/stories/", HTTP_IF_NONE_MATCH=etag))
    assert (revalidated.status_code, revalidated.content, len(calls)) == (304, b"", 1)
    assert revalidated["ETag"] == etag

    bump_public_generation()
    changed = middleware(RequestFactory().get("/en/stories/", HTTP_IF_NONE_MATCH=etag))
    assert (changed.status_code, changed.content) == (200, b"page 2")
    assert changed["ETag"] != etag


def test_a_hit_rebuilds_the_stored_headers_exactly_and_varies_by_cookie_only(page_cache):
    middleware, calls = page_cache
    first = middleware(RequestFactory().get("/en/stories/"))

    hit = middleware(RequestFactory().get("/en/stories/"))
    again = middleware(RequestFactory().get("/en/stories/"))

    assert len(calls) == 1
    expected = {name: value for name, value in first.items() if name != "Vary"} | {"Vary": "Cookie"}
    assert dict(hit.items()) == dict(again.items()) == expected
    assert (hit.status_code, hit["content-type"], hit.get("x-missing")) == (200, first["Content-Type"], None)
    hit["X-Later"] = "set by a middleware further out"  # the copy is the hit's own
    assert "X-Later" not in middleware(RequestFactory().get("/en/stories/"))


def test_a_hit_still_answers_conditional_requests(page_cache):
    middleware, _ = page_cache
    etag = middleware(RequestFactory().get("/en/stories/"))["ETag"]

    unchanged = middleware(RequestFactory().get("/en/stories/", HTTP_IF_NONE_MATCH=f'"other", {etag}'))
    mismatch = middleware(RequestFactory().get("/en/stories/", HTTP_IF_MATCH='"other"'))
    plain = middleware(RequestFactory().get("/en/stories/", HTTP_IF_NONE_MATCH='"other"'))

    assert (unchanged.status_code, mismatch.status_code, plain.status_code) == (304, 412, 200)
    assert plain.content == b"page 1"


def test_a_public_page_for_a_signed_in_reader_is_private(page_cache):
    middleware, _ = page_cache
    request = RequestFactory().get("/en/stories/")
    request.COOKIES["sessionid"] = "abc"

    response = middleware(request)

    assert response["Cache-Control"] == "private, no-cache"
    assert not response.has_header("ETag")
