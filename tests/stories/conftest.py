"""Fixtures for the stories tests: the stories index the data migration made, a clean cache."""

import pytest
from django.core.cache import cache

from oncoreach.stories.models import StoryIndexPage


@pytest.fixture(autouse=True)
def _clean_cache():
    """Wagtail caches site root paths and we cache figures; start each test from nothing."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def story_index(db):
    """The stories section's index page (created by the stories data migration)."""
    return StoryIndexPage.objects.get()
