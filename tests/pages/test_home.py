"""The home page: what the program is, live figures (cached), the newest stories."""

import datetime as dt

import pytest
from django.core.cache import cache
from wagtail.models import Site

from oncoreach.pages import selectors
from oncoreach.pages.models import ContentPage
from tests.factories.geo import CountryFactory
from tests.factories.people import OrganizationFactory, PersonFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]


def test_home_figures_count_people_countries_stories_and_organizations(story_index):
    kenya, peru = CountryFactory(), CountryFactory()
    PersonFactory.create_batch(2, country_of_practice=kenya)
    PersonFactory(country_of_practice=peru)
    OrganizationFactory(country=kenya)
    make_story(title="Live")
    make_story(title="Draft", live=False)

    figures = selectors.home_figures()

    assert figures == selectors.HomeFigures(
        members_reached=3, countries_reached=2, stories_published=1, organizations=1
    )


def test_home_figures_are_cached_for_a_few_minutes(story_index, django_assert_num_queries):
    selectors.home_figures()
    PersonFactory()

    with django_assert_num_queries(0):
        cached = selectors.home_figures()

    assert cached.members_reached == 0
    cache.delete(selectors.HOME_FIGURES_KEY)
    assert selectors.home_figures().members_reached == 1


def test_home_page_shows_default_text_figures_and_five_newest_stories(client, story_index):
    for day in range(1, 8):
        make_story(title=f"Story {day}", date=dt.date(2026, 1, day))
    PersonFactory()

    response = client.get("/en/")

    assert response.status_code == 200
    assert [story.title for story in response.context["latest_stories"]] == [
        "Story 7",
        "Story 6",
        "Story 5",
        "Story 4",
        "Story 3",
    ]
    html = response.content.decode()
    assert "brings volunteer experts and cancer care teams" in html
    assert "<li><strong>1</strong> members reached</li>" in html
    assert "<li><strong>7</strong> stories published</li>" in html
    assert response.oncoreach_public is True
    assert dict(response.cookies) == {}


def test_home_page_shows_its_own_intro_instead_of_the_default(client, story_index):
    home = Site.objects.get(is_default_site=True).root_page.specific
    home.intro = "<p>Our own words.</p>"
    home.save_revision().publish()

    html = client.get("/en/").content.decode()

    assert "Our own words." in html
    assert "brings volunteer experts and cancer care teams" not in html


def test_home_page_is_the_same_for_a_signed_in_outsider(client, outsider, story_index):
    make_story(title="Public")
    make_story(title="Draft", live=False)
    client.force_login(outsider)

    response = client.get("/en/")

    assert [story.title for story in response.context["latest_stories"]] == ["Public"]


def test_content_page_renders_title_intro_and_body(client, story_index):
    home = Site.objects.get(is_default_site=True).root_page
    about = home.add_child(
        instance=ContentPage(title="About", slug="about", intro="<p>Who we are.</p>", body="<h2>History</h2>")
    )

    response = client.get(about.url)

    html = response.content.decode()
    assert (response.status_code, about.url) == (200, "/en/about/")
    assert "<h1>About</h1>" in html
    assert "<h2>History</h2>" in html
    assert response.oncoreach_public is True
