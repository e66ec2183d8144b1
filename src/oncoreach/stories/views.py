"""The public stories index: a society news list with filters, search and feeds.

Story pages themselves are Wagtail pages (``StoryPage.serve``); this Django view answers
``/<lang>/stories/`` before Wagtail's catch-all, and ``StoryIndexPage.serve`` redirects here.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotFound
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from oncoreach.core.cache import mark_public
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.stories import selectors
from oncoreach.stories.filters import StoryFilterForm
from oncoreach.stories.permissions import can_see_unpublished_image
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


PUBLIC_IMAGE_CACHE = "public, max-age=31536000, immutable"
PRIVATE_IMAGE_CACHE = "private, no-store"


def story_image(request: HttpRequest, path: str) -> HttpResponseBase:
    """Renditions of pictures (MEDIA_ROOT/images/; originals are never served).

    A picture a live, public page shows is public and cached for a year (its file name changes
    with its content). Any other picture (a story in draft or moderation, a new picture in a
    live story's draft, an unused one) only reaches its uploader, the story's authors, editors
    and program staff, with ``private, no-store``; everybody else gets a 404 that no cache
    keeps, so the picture appears as soon as its story is published.
    """
    from django.views.static import serve

    image = selectors.image_for_rendition(name=f"images/{path}")
    page_ids = selectors.pages_using_image(image=image) if image is not None else []
    if image is not None and selectors.image_is_public(page_ids=page_ids):
        cache_control = PUBLIC_IMAGE_CACHE
    elif image is not None and can_see_unpublished_image(
        request.user,
        uploaded_by_id=image.uploaded_by_user_id,
        author_user_ids=selectors.authors_user_ids(page_ids=page_ids),
    ):
        cache_control = PRIVATE_IMAGE_CACHE
    else:
        refused = HttpResponseNotFound(_("Not found"), content_type="text/plain; charset=utf-8")
        refused["Cache-Control"] = PRIVATE_IMAGE_CACHE  # no cache may keep the refusal
        return refused
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT / "images"))
    response["Cache-Control"] = cache_control
    return response
