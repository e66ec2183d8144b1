import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from oncoreach.core.cache import bump_public_generation, mark_public
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
        return mark_public(response) if not request.GET.get("private") else response

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
