"""`make run` points Wagtail's Site record at SITE_URL, so Wagtail's own links agree with ours."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Site

from oncoreach.pages.services import sync_site_address
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]


def test_sync_site_address_sets_wagtails_site_from_site_url(story_index, settings):
    settings.SITE_URL = "http://127.0.0.1:8301"
    out = StringIO()
    call_command("sync_site_address", stdout=out)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8301)
    assert out.getvalue() == "Wagtail site: http://127.0.0.1:8301 (SITE_URL is http://127.0.0.1:8301).\n"
    story = make_story(title="Port story")
    assert story.full_url == f"http://127.0.0.1:8301{story.url}"


def test_sync_site_address_knows_https_default_port_and_is_idempotent(story_index):
    first = sync_site_address(url="https://oncoreach.example.org")
    again = sync_site_address(url="https://oncoreach.example.org")
    assert (again.pk, again.hostname, again.port, again.root_url) == (
        first.pk,
        "oncoreach.example.org",
        443,
        "https://oncoreach.example.org",
    )
    assert Site.objects.count() == 1
