"""With the whole-page cache on, a newly published story shows at once (the publish signal bumps
the public-page generation in core.signals)."""

import datetime as dt

import pytest
from django.urls import reverse

from oncoreach.stories.models import StoryPage
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache-test"}}


def test_published_story_appears_in_cached_index_and_feed_at_once(client, settings, story_index):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    settings.CACHES = LOCMEM
    make_story(title="First", date=dt.date(2026, 1, 1))
    assert "First" in client.get(reverse("stories:index")).content.decode()
    assert "First" in client.get(reverse("stories:feed")).content.decode()
    # A change that bypasses publishing is not seen: the pages really come from the cache.
    StoryPage.objects.filter(title="First").update(title="Renamed quietly")
    assert "Renamed quietly" not in client.get(reverse("stories:index")).content.decode()

    make_story(title="Second", date=dt.date(2026, 2, 1))

    index = client.get(reverse("stories:index"))
    feed = client.get(reverse("stories:feed"))
    assert [story.title for story in index.context["stories"]] == ["Second", "Renamed quietly"]
    assert "<title>Second</title>" in feed.content.decode()
