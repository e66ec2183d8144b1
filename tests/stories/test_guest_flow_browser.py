"""The guest-author flow in a real browser: sign in, write, submit, editor publishes, readers see it.

Headless Chromium from the system (/usr/bin/chromium, never downloaded; the shared ``browser``
fixture in tests/browser.py) against pytest-django's live server. The database is reset between
tests but keeps Wagtail's root page, site and locale (``serialized_rollback``, ARCHITECTURE.md §7
"Tests and CI").
"""

from __future__ import annotations

import os

import pytest

from oncoreach.stories.models import StoryPage
from oncoreach.stories.services import publish_story
from tests.e2e.story_helpers import ensure_story_tree, jpeg_bytes

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Wagtail's Image.generate_rendition leaves its SpooledTemporaryFile to the garbage collector.
    pytest.mark.filterwarnings("ignore:Unclosed file <tempfile.SpooledTemporaryFile:ResourceWarning"),
]

TITLE = "Our first tumor board in Kumasi"


def test_volunteer_writes_a_story_that_an_editor_publishes(initial_data, live_server, browser, volunteer, editor):
    ensure_story_tree()
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        # A volunteer signs in through the real login form and lands on the story form.
        page.goto("/en/stories/write/")
        assert "/en/accounts/login/" in page.url
        page.get_by_label("E-mail address").fill("volunteer@example.org")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/en/stories/write/")

        # Writes the story with one photo and submits it.
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Summary").fill("Twelve doctors, one table, every Tuesday.")
        page.get_by_label("Your story").fill("We started in March.\n\nNow every new patient is discussed.")
        page.get_by_label("Picture 1", exact=True).set_input_files(
            files=[{"name": "board.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
        )
        page.get_by_label("Description of picture 1 (alternative text)").fill("Doctors around a table")
        page.get_by_label("My story and pictures contain no patient-identifiable details").check()
        page.get_by_role("button", name="Send to the editors").click()
        page.wait_for_url("**/en/stories/mine/")
        assert page.get_by_role("heading", name=TITLE).is_visible()
        assert page.locator(".status").first.inner_text() == "submitted: waiting for the editors"

        # The editor approves it (the same action as "Approve" in the Wagtail admin).
        story = StoryPage.objects.get(title=TITLE)
        assert story.live is False
        publish_story(page=story, editor=editor)

        # Readers find it on the stories index and in the Atom feed.
        page.goto("/en/stories/")
        assert page.get_by_role("link", name=TITLE).first.is_visible()
        feed = page.request.get(f"{live_server.url}/en/stories/feed/")
        assert feed.status == 200
        assert TITLE in feed.text()

        # And the author sees it as published, with a link to it.
        page.goto("/en/stories/mine/")
        assert page.locator(".status").first.inner_text() == "published"
        page.get_by_role("link", name=TITLE).click()
        assert page.get_by_role("heading", name=TITLE).first.is_visible()
        assert page.get_by_alt_text("Doctors around a table").count() >= 1
    finally:
        context.close()
