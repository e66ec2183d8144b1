"""Reads for the pages that show several areas at once: home figures, country pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from oncoreach.geo.models import Country
from oncoreach.people.models import Organization, Person
from oncoreach.stories.selectors import live_stories

HOME_FIGURES_KEY = "pages:home-figures"
HOME_FIGURES_SECONDS = 5 * 60


@dataclass(frozen=True)
class HomeFigures:
    members_reached: int
    countries_reached: int
    stories_published: int
    organizations: int


def home_figures() -> HomeFigures:
    """The program in four numbers, from the database; cached a few minutes in the shared cache
    because every anonymous visit to the home page would otherwise count the people table."""
    figures: HomeFigures | None = cache.get(HOME_FIGURES_KEY)
    if figures is None:
        people = Person.objects.aggregate(people=Count("pk"), countries=Count("country_of_practice", distinct=True))
        figures = HomeFigures(
            members_reached=people["people"],
            countries_reached=people["countries"],
            stories_published=live_stories().count(),
            organizations=Organization.objects.count(),
        )
        cache.set(HOME_FIGURES_KEY, figures, HOME_FIGURES_SECONDS)
    return figures


def countries_with_story_counts() -> QuerySet[Country]:
    """Every country, ordered by World Bank region then name, with its count of live stories."""
    story_ids = live_stories().values("pk")
    return Country.objects.annotate(
        story_count=Count("stories", filter=Q(stories__in=story_ids), distinct=True)
    ).order_by("region", "name")


def get_country_or_404(*, slug: str) -> Country:
    country = Country.objects.filter(slug=slug).first()
    if country is None:
        raise Http404("No such country")
    return country
