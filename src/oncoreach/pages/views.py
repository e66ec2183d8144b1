"""Country pages: every country by region, and one country's facts and stories.

Public and cacheable; both read through selectors so their query count does not grow with data.
"""

from __future__ import annotations

from typing import Any

from django.conf.locale import LANG_INFO
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oncoreach.core.cache import mark_public
from oncoreach.core.pagination import paginate
from oncoreach.geo.enums import Region
from oncoreach.pages import selectors
from oncoreach.reporting import selectors as reporting_selectors
from oncoreach.stories import selectors as story_selectors

STORIES_PER_PAGE = 20


def _language_names(codes: list[str]) -> list[str]:
    """ISO 639-1 codes as names in the language's own words where Django knows them."""
    return [LANG_INFO.get(code, {}).get("name_local", code) for code in codes]


def country_list(request: HttpRequest) -> HttpResponse:
    countries = list(selectors.countries_with_story_counts())
    regions: dict[str, list[Any]] = {}
    for country in countries:
        regions.setdefault(country.region, []).append(country)
    groups = [
        {"code": code or "none", "name": Region(code).label if code in Region.values else code, "countries": members}
        for code, members in regions.items()
    ]
    context = {"nav_section": "countries", "regions": groups, "country_total": len(countries)}
    response = render(request, "pages/country_list.html", context)
    mark_public(response)  # type: ignore[no-untyped-call]
    return response


def country_detail(request: HttpRequest, slug: str) -> HttpResponse:
    country = selectors.get_country_or_404(slug=slug)
    stories = story_selectors.stories_for_list(story_selectors.stories_tagged(kind="country", tag=country))
    page = paginate(request, stories, per_page=STORIES_PER_PAGE)
    context = {
        "nav_section": "countries",
        "country": country,
        "impact": reporting_selectors.country_figures(country=country),
        "languages": _language_names(country.languages or []),
        "page_obj": page,
        "stories": page.object_list,
        "page_query": "",
    }
    response = render(request, "pages/country_detail.html", context)
    mark_public(response, query=("page",))
    return response
