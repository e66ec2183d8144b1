"""Country pages: every country by region with its story count, and one country's page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories.geo import CountryFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]


def test_country_list_groups_countries_by_region_with_story_counts(client, story_index):
    kenya = CountryFactory(name="Kenya", slug="kenya", region="SSA")
    CountryFactory(name="Ghana", slug="ghana", region="SSA")
    peru = CountryFactory(name="Peru", slug="peru", region="LAC")
    make_story(title="Nairobi 1", countries=[kenya])
    make_story(title="Nairobi 2", countries=[kenya, peru])
    make_story(title="Draft", countries=[peru], live=False)

    response = client.get(reverse("pages:country-list"))

    regions = [
        (region["name"], [(country.name, country.story_count) for country in region["countries"]])
        for region in response.context["regions"]
    ]
    assert regions == [
        ("Latin America & Caribbean", [("Peru", 1)]),
        ("Sub-Saharan Africa", [("Ghana", 0), ("Kenya", 2)]),
    ]
    html = response.content.decode()
    assert '<a href="/en/countries/kenya/">Kenya</a> <span class="meta">(2 stories)</span>' in html
    assert response.oncoreach_public is True
    assert dict(response.cookies) == {}


@pytest.mark.parametrize("count", [1, 3])
def test_country_list_query_count_is_constant(client, story_index, django_assert_num_queries, count):
    for number in range(count):
        country = CountryFactory()
        make_story(title=f"Story {number}", countries=[country])

    with django_assert_num_queries(2):
        response = client.get(reverse("pages:country-list"))

    assert sum(len(region["countries"]) for region in response.context["regions"]) == count


def test_country_detail_shows_facts_stories_and_feed(client, story_index):
    kenya = CountryFactory(name="Kenya", slug="kenya", region="SSA", income_group="LM", languages=["en", "sw"])
    make_story(title="Older", date=dt.date(2025, 1, 1), countries=[kenya])
    make_story(title="Newer", date=dt.date(2026, 1, 1), countries=[kenya])
    make_story(title="Elsewhere", countries=[CountryFactory()])

    response = client.get(reverse("pages:country-detail", kwargs={"slug": "kenya"}))

    assert [story.title for story in response.context["stories"]] == ["Newer", "Older"]
    assert response.context["languages"] == ["English", "Kiswahili"]
    html = response.content.decode()
    assert "<dt>World Bank region</dt><dd>Sub-Saharan Africa</dd>" in html
    assert "<dt>Income group</dt><dd>Lower middle income</dd>" in html
    assert '<a href="/en/stories/feed/country/kenya/">' in html
    assert response.oncoreach_public is True


def test_country_detail_paginates_stories(client, story_index):
    kenya = CountryFactory(slug="kenya")
    for day in range(1, 23):
        make_story(title=f"Story {day:02d}", date=dt.date(2025, 1, day), countries=[kenya])

    response = client.get(reverse("pages:country-detail", kwargs={"slug": "kenya"}), {"page": 2})

    assert [story.title for story in response.context["stories"]] == ["Story 02", "Story 01"]


@pytest.mark.parametrize("count", [1, 3])
def test_country_detail_query_count_is_constant(client, story_index, django_assert_num_queries, count):
    kenya = CountryFactory(slug="kenya")
    for number in range(count):
        make_story(title=f"Story {number}", countries=[kenya])
    client.get(reverse("pages:country-detail", kwargs={"slug": "kenya"}))

    with django_assert_num_queries(6):
        response = client.get(reverse("pages:country-detail", kwargs={"slug": "kenya"}))

    assert len(response.context["stories"]) == count


def test_unknown_country_is_404(client, story_index):
    response = client.get(reverse("pages:country-detail", kwargs={"slug": "atlantis"}))

    assert response.status_code == 404


def test_country_list_speaks_the_readers_language(client, story_index):
    CountryFactory(name="Kenya", slug="kenya", region="SSA")

    html = client.get("/es/countries/").content.decode()

    with translation.override("es"):
        heading = translation.gettext("Countries")  # "Países" once the catalogue is compiled
    assert '<html lang="es"' in html
    assert f"<h1>{heading}</h1>" in html
    assert '<a href="/es/countries/kenya/">Kenya</a>' in html
