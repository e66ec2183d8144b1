"""The public stories index: order, pagination, filters, search, notices and query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.geo import CountryFactory
from tests.factories.people import PersonFactory
from tests.factories.programs import ProgramFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]


def _titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


def test_index_lists_live_stories_newest_first(client, story_index):
    make_story(title="Older", date=dt.date(2025, 3, 1))
    make_story(title="Newest", date=dt.date(2026, 2, 1))
    make_story(title="Middle", date=dt.date(2025, 9, 1))
    make_story(title="Draft", date=dt.date(2026, 5, 1), live=False)

    response = client.get(reverse("stories:index"))

    assert response.status_code == 200
    assert _titles(response) == ["Newest", "Middle", "Older"]
    html = response.content.decode()
    assert '<time datetime="2026-02-01">' in html
    assert response.context["page_obj"].paginator.count == 3
    assert response.oncoreach_public is True


def test_index_shows_the_story_index_intro(client, story_index):
    story_index.intro = "<p>Voices from the field.</p>"
    story_index.save_revision().publish()

    response = client.get(reverse("stories:index"))

    assert "Voices from the field." in response.content.decode()


def test_index_paginates_twenty_a_page_and_keeps_filters(client, story_index):
    country = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    for day in range(1, 23):
        make_story(title=f"Story {day:02d}", date=dt.date(2025, 1, day), countries=[country])

    first = client.get(reverse("stories:index"), {"country": "kenya"})
    second = client.get(reverse("stories:index"), {"country": "kenya", "page": 2})

    assert len(first.context["stories"]) == 20
    assert _titles(second) == ["Story 02", "Story 01"]
    assert 'href="?country=kenya&amp;page=2"' in first.content.decode()
    assert 'href="?country=kenya&amp;page=1"' in second.content.decode()


def test_index_filters_by_country_program_topic_and_year(client, story_index):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    peru = CountryFactory(slug="peru", iso3="PER", iso2="PE", name="Peru")
    course = ProgramFactory(slug="multidisciplinary-course", name="Multidisciplinary Cancer Management Course")
    make_story(title="Nairobi course", date=dt.date(2025, 5, 1), countries=[kenya], programs=[course])
    make_story(title="Lima tumour board", date=dt.date(2026, 5, 1), countries=[peru], topics=["tumor boards"])
    make_story(title="Palliative care", date=dt.date(2026, 6, 1), countries=[kenya], topics=["palliative care"])
    url = reverse("stories:index")

    assert _titles(client.get(url, {"country": "kenya"})) == ["Palliative care", "Nairobi course"]
    assert _titles(client.get(url, {"program": "multidisciplinary-course"})) == ["Nairobi course"]
    assert _titles(client.get(url, {"topic": "tumor-boards"})) == ["Lima tumour board"]
    assert _titles(client.get(url, {"year": "2026"})) == ["Palliative care", "Lima tumour board"]
    assert _titles(client.get(url, {"country": "kenya", "year": "2026"})) == ["Palliative care"]


def test_index_shows_selected_filters_with_links_that_remove_them(client, story_index):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    make_story(title="Nairobi", date=dt.date(2026, 5, 1), countries=[kenya])

    response = client.get(reverse("stories:index"), {"country": "kenya", "year": "2026", "page": "1"})

    assert response.context["active_filters"] == [
        {"label": "Country", "value": "Kenya", "remove_url": "?year=2026"},
        {"label": "Year", "value": "2026", "remove_url": "?country=kenya"},
    ]
    assert '<a href="?year=2026">Country: Kenya' in response.content.decode()


def test_index_offers_the_tag_feed_when_filtered_by_one_tag(client, story_index):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    make_story(title="Nairobi", countries=[kenya])

    filtered = client.get(reverse("stories:index"), {"country": "kenya"}).content.decode()
    unfiltered = client.get(reverse("stories:index")).content.decode()

    feed = reverse("stories:tag-feed", kwargs={"kind": "country", "slug": "kenya"})
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in filtered
    assert f'href="{feed}"' not in unfiltered
    assert f'<link rel="alternate" type="application/atom+xml" href="{reverse("stories:feed")}"' in unfiltered


def test_search_finds_stories_by_title_and_by_teaser(client, story_index):
    make_story(title="Radiotherapy planning in Hanoi", teaser="Contouring workshop.", date=dt.date(2026, 1, 2))
    make_story(title="A week in Kumasi", teaser="Nurses learned chemotherapy safety.", date=dt.date(2026, 1, 3))
    make_story(title="Unrelated", teaser="Nothing to see.", date=dt.date(2026, 1, 4))
    make_story(title="Chemotherapy draft", teaser="Chemotherapy.", live=False)
    url = reverse("stories:index")

    assert _titles(client.get(url, {"q": "radiotherapy"})) == ["Radiotherapy planning in Hanoi"]
    assert _titles(client.get(url, {"q": "chemotherapy"})) == ["A week in Kumasi"]


def test_search_without_matches_shows_the_empty_state(client, story_index):
    make_story(title="Radiotherapy planning")

    response = client.get(reverse("stories:index"), {"q": "zebrafish"})

    assert _titles(response) == []
    html = response.content.decode()
    assert "0 stories" in html
    assert "No stories match these filters yet." in html


def test_unknown_filter_values_are_ignored_with_a_notice(client, story_index):
    make_story(title="Still listed")

    response = client.get(reverse("stories:index"), {"country": "atlantis", "year": "banana", "topic": "nope"})

    assert response.status_code == 200
    assert _titles(response) == ["Still listed"]
    assert response.context["ignored_filters"] == ["Country", "Topic", "Year"]
    html = response.content.decode()
    assert "We ignored a filter that matches no stories: Country, Topic, Year." in html
    assert '<select name="country" aria-describedby="ignored-filters" aria-invalid="true" id="id_country">' in html


def test_bad_page_number_falls_back_instead_of_failing(client, story_index):
    make_story(title="Only")

    response = client.get(reverse("stories:index"), {"page": "999"})

    assert _titles(response) == ["Only"]


def test_index_for_signed_in_outsider_is_the_same_public_list(client, outsider, story_index):
    make_story(title="Public story")
    make_story(title="Hidden draft", live=False)
    client.force_login(outsider)

    response = client.get(reverse("stories:index"))

    assert _titles(response) == ["Public story"]


def test_anonymous_index_sets_no_cookie(client, story_index):
    make_story(title="Cookie-free")

    response = client.get(reverse("stories:index"), {"country": "atlantis"})

    assert dict(response.cookies) == {}


@pytest.mark.parametrize("count", [1, 3])
def test_index_query_count_does_not_grow_with_stories(client, story_index, django_assert_num_queries, count):
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
    client.get(reverse("stories:index"))  # warm Wagtail's site-root cache, as in production

    with django_assert_num_queries(11):
        response = client.get(reverse("stories:index"), {"country": "kenya"})

    assert len(response.context["stories"]) == count
