"""Atom feeds: all stories, per tag, unknown kind or slug 404, constant query count."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.geo import CountryFactory
from tests.factories.people import PersonFactory
from tests.factories.programs import ProgramFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response) -> list[ET.Element]:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed.findall(f"{ATOM}entry")


def test_feed_lists_live_stories_newest_first_with_their_details(client, story_index):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    author = PersonFactory(given_name="Amina", family_name="Odhiambo")
    story = make_story(
        title="Nairobi",
        teaser="A tumour board.",
        date=dt.date(2026, 3, 4),
        countries=[kenya],
        topics=["tumor boards"],
        authors=[author],
    )
    make_story(title="Older", date=dt.date(2025, 1, 1))
    make_story(title="Draft", live=False)

    response = client.get(reverse("stories:feed"))

    entries = _entries(response)
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Nairobi", "Older"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"{settings.SITE_URL}{story.url}"
    assert first.findtext(f"{ATOM}summary") == "A tumour board."
    assert first.findtext(f"{ATOM}published") == "2026-03-04T00:00:00+00:00"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Amina Odhiambo"
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == ["Kenya", "tumor boards"]
    assert response.oncoreach_public is True
    assert dict(response.cookies) == {}


def test_feed_keeps_the_latest_thirty(client, story_index):
    for number in range(32):
        make_story(title=f"Story {number:02d}", date=dt.date(2025, 1, 1) + dt.timedelta(days=number))

    entries = _entries(client.get(reverse("stories:feed")))

    assert len(entries) == 30
    assert entries[0].findtext(f"{ATOM}title") == "Story 31"


@pytest.mark.parametrize(
    ("kind", "slug", "expected"),
    [
        ("country", "kenya", ["Kenya story"]),
        ("program", "course", ["Course story"]),
        ("topic", "nursing", ["Nursing story"]),
    ],
)
def test_tag_feed_lists_only_that_tags_stories(client, story_index, kind, slug, expected):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    course = ProgramFactory(slug="course")
    make_story(title="Kenya story", countries=[kenya])
    make_story(title="Course story", programs=[course])
    make_story(title="Nursing story", topics=["nursing"])

    response = client.get(reverse("stories:tag-feed", kwargs={"kind": kind, "slug": slug}))

    assert [entry.findtext(f"{ATOM}title") for entry in _entries(response)] == expected


@pytest.mark.parametrize(("kind", "slug"), [("planet", "mars"), ("country", "atlantis"), ("topic", "unknown")])
def test_tag_feed_for_unknown_kind_or_slug_is_404(client, story_index, kind, slug):
    response = client.get(reverse("stories:tag-feed", kwargs={"kind": kind, "slug": slug}))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_is_constant(client, story_index, django_assert_num_queries, count):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    course = ProgramFactory(slug="course")
    for number in range(count):
        make_story(
            title=f"Story {number}",
            countries=[kenya],
            programs=[course],
            topics=[f"topic {number}"],
            authors=[PersonFactory(), PersonFactory()],
        )
    client.get(reverse("stories:feed"))

    with django_assert_num_queries(8):
        response = client.get(reverse("stories:tag-feed", kwargs={"kind": "country", "slug": "kenya"}))

    assert len(_entries(response)) == count
