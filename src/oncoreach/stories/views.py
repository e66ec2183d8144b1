"""The public stories index: a society news list with filters, search and feeds.

Story pages themselves are Wagtail pages (``StoryPage.serve``); this Django view answers
``/<lang>/stories/`` before Wagtail's catch-all, and ``StoryIndexPage.serve`` redirects here.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from oncoreach.core.cache import mark_public
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.stories import selectors
from oncoreach.stories.filters import StoryFilterForm
from oncoreach.stories.selectors import StoryFilters

STORIES_PER_PAGE = 20


def _active_filters(request: HttpRequest, filters: StoryFilters) -> list[dict[str, str]]:
    """Each filter in use, with a link that removes just that one (and resets the page)."""
    shown = [
        ("q", _("Search"), filters.q or None),
        ("country", _("Country"), filters.country),
        ("program", _("Program"), filters.program),
        ("topic", _("Topic"), filters.topic),
        ("year", _("Year"), filters.year),
    ]
    active = []
    for name, label, value in shown:
        if value is None:
            continue
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        query = params.urlencode()
        active.append({"label": label, "value": str(value), "remove_url": "?" + query if query else "?"})
    return active


def _tag_feed(filters: StoryFilters) -> dict[str, str] | None:
    single = filters.single_tag()
    if single is None or filters.q or filters.year is not None:
        return None
    kind, tag = single
    return {"url": reverse("stories:tag-feed", kwargs={"kind": kind, "slug": tag.slug}), "name": str(tag)}


def story_index(request: HttpRequest) -> HttpResponse:
    """Newest stories first, 20 a page, narrowed by GET filters; public and cacheable."""
    form = StoryFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.filtered_stories(filters=filters), per_page=STORIES_PER_PAGE)
    context = {
        "nav_section": "stories",
        "index_page": selectors.story_index_page(),
        "form": form,
        "ignored_filters": form.ignored_fields(),
        "active_filters": _active_filters(request, filters),
        "page_obj": page,
        "stories": page.object_list,
        "page_query": query_without_page(request),
        "tag_feed": _tag_feed(filters),
        "clear_url": reverse("stories:index"),
    }
    response = render(request, "stories/story_index.html", context)
    # Free-text searches (q) are rendered, never stored: each one would be a new cache entry.
    mark_public(response, query=("page", "country", "program", "topic", "year"))
    return response
