"""The one builder of absolute links: SITE_URL plus a path, never the request's host."""

import pytest

from oncoreach.core.links import absolute_reverse, absolute_url, site_host

pytestmark = [pytest.mark.unit]


def test_absolute_url_joins_site_url_and_path(settings):
    settings.SITE_URL = "http://127.0.0.1:8301/"
    assert absolute_url("/en/stories/") == "http://127.0.0.1:8301/en/stories/"
    assert absolute_url("en/stories/") == "http://127.0.0.1:8301/en/stories/"
    assert site_host() == "127.0.0.1"


def test_absolute_url_leaves_a_full_url_alone(settings):
    settings.SITE_URL = "http://127.0.0.1:8301"
    assert absolute_url("https://video.example.org/watch/1") == "https://video.example.org/watch/1"


def test_absolute_reverse_is_in_the_language_asked_for(settings):
    settings.SITE_URL = "https://oncoreach.example.org"
    assert absolute_reverse("stories:mine", language="es") == "https://oncoreach.example.org/es/stories/mine/"
    assert absolute_reverse("stories:mine") == "https://oncoreach.example.org/en/stories/mine/"
