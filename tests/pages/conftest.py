"""The stories fixtures (index page, clean cache) serve the pages tests too."""

from tests.stories.conftest import _clean_cache, story_index  # noqa: F401
