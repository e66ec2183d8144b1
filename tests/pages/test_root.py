"""Language-neutral URLs: sitemap, robots.txt and the redirect from the bare root."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories.geo import CountryFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_live_pages_stories_index_country_and_impact_pages(client, story_index, settings):
    settings.SITE_URL = "https://oncoreach.example.org"  # the host a crawler sent does not matter
    story = make_story(title="Live story")
    make_story(title="Draft story", live=False)
    CountryFactory(slug="kenya")
    story_url = story.url

    response = client.get("/sitemap.xml", headers={"accept-language": "es"})

    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert locations == [
        "https://oncoreach.example.org/en/",
        "https://oncoreach.example.org/en/stories/",
        f"https://oncoreach.example.org{story_url}",
        "https://oncoreach.example.org/en/countries/",
        "https://oncoreach.example.org/en/impact/",
        "https://oncoreach.example.org/en/impact/map/",
        "https://oncoreach.example.org/en/countries/kenya/",
    ]
    assert dict(response.cookies) == {}


def test_robots_txt_points_to_the_sitemap(client, db, settings):
    settings.SITE_URL = "https://oncoreach.example.org"
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /cms/",
        "Disallow: /django-admin/",
        "",
        "Sitemap: https://oncoreach.example.org/sitemap.xml",
    ]


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [("es-MX,es;q=0.9,en;q=0.5", "/es/"), ("pt-BR", "/pt/"), ("de-DE,de", "/en/"), ("", "/en/")],
)
def test_bare_root_redirects_to_the_best_language_without_a_cookie(client, db, accept_language, target):
    response = client.get("/", headers={"accept-language": accept_language})

    assert (response.status_code, response["Location"]) == (302, target)
    assert "Accept-Language" in response["Vary"]
    assert dict(response.cookies) == {}
