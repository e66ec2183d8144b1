"""Reads for the public stories section: lists, filters, related stories and feeds.

Every list comes with its authors (and, for feeds, its tags) prefetched, so a page costs the
same number of queries whether it shows one story or twenty (STYLE.md §3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.query import PageQuerySet

from oncoreach.geo.models import Country
from oncoreach.programs.models import Program
from oncoreach.stories.models import StoryAuthor, StoryIndexPage, StoryPage, StoryTopic

TAG_KINDS = ("country", "program", "topic")


@dataclass(frozen=True)
class StoryFilters:
    """The reader's choices on the index; ``None`` / empty means "not filtered"."""

    country: Country | None = None
    program: Program | None = None
    topic: Tag | None = None
    year: int | None = None
    q: str = ""

    def single_tag(self) -> tuple[str, Any] | None:
        """The one tag filtered by, when exactly one is set (that tag has its own feed)."""
        tags = [(kind, value) for kind, value in self.tags() if value is not None]
        return tags[0] if len(tags) == 1 else None

    def tags(self) -> list[tuple[str, Any]]:
        return [("country", self.country), ("program", self.program), ("topic", self.topic)]


def _authors_prefetch() -> Any:
    return Prefetch("story_authors", queryset=StoryAuthor.objects.select_related("person").order_by("sort_order"))


def live_stories() -> PageQuerySet:
    """Published stories readers may see (not in a private section), newest first."""
    return StoryPage.objects.live().public().order_by("-date", "-first_published_at", "-pk")


def stories_for_list(stories: PageQuerySet | None = None) -> PageQuerySet:
    """A list of stories with their authors, without the heavy body column."""
    stories = live_stories() if stories is None else stories
    return stories.defer_streamfields().prefetch_related(_authors_prefetch())


def stories_for_feed(stories: PageQuerySet | None = None) -> PageQuerySet:
    """Stories with authors and every tag kind, for feed entries and their categories."""
    return stories_for_list(stories).prefetch_related("countries", "programs", "topics")


def story_index_page() -> Any:
    """The stories section's Wagtail page (for its intro); ``None`` before the data migration."""
    return StoryIndexPage.objects.live().order_by("path").first()


def search_story_ids(query: str) -> list[int]:
    """Ids of live stories matching ``query`` in Wagtail's search index (title, teaser, body)."""
    results = StoryPage.objects.live().search(query, fields=None, operator="and")
    return [int(page.pk) for page in results]


def filtered_stories(*, filters: StoryFilters) -> PageQuerySet:
    """The index list: live stories narrowed by the reader's filters and search words."""
    stories = live_stories()
    if filters.country is not None:
        stories = stories.filter(countries=filters.country)
    if filters.program is not None:
        stories = stories.filter(programs=filters.program)
    if filters.topic is not None:
        stories = stories.filter(topics=filters.topic)
    if filters.year is not None:
        stories = stories.filter(date__year=filters.year)
    if filters.q:
        stories = stories.filter(pk__in=search_story_ids(filters.q))
    return stories_for_list(stories)


def stories_tagged(*, kind: str, tag: Any) -> PageQuerySet:
    """Live stories carrying one tag (a country, a program or a topic)."""
    lookup = {"country": "countries", "program": "programs", "topic": "topics"}[kind]
    return live_stories().filter(**{lookup: tag})


def _live_story_ids() -> PageQuerySet:
    return StoryPage.objects.live().values("pk")


def countries_with_stories() -> QuerySet[Country]:
    return Country.objects.filter(stories__in=_live_story_ids()).distinct().order_by("name")


def programs_with_stories() -> QuerySet[Program]:
    return Program.objects.filter(stories__in=_live_story_ids()).distinct().order_by("sort_order", "name")


def topics_with_stories() -> Any:
    tag_ids = StoryTopic.objects.filter(content_object__in=_live_story_ids()).values("tag_id")
    return Tag.objects.filter(pk__in=tag_ids).order_by("name")


def story_years() -> list[int]:
    """Years that have at least one live story, newest first."""
    years = (
        StoryPage.objects.live()
        .annotate(year=ExtractYear("date"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years)


def get_tag_or_404(*, kind: str, slug: str) -> Any:
    """The country, program or topic behind a feed or filter URL; unknown kind or slug → 404."""
    models: dict[str, QuerySet[Any]] = {
        "country": Country.objects.all(),
        "program": Program.objects.all(),
        "topic": Tag.objects.all(),
    }
    if kind not in models:
        raise Http404("Unknown tag kind")
    tag = models[kind].filter(slug=slug).first()
    if tag is None:
        raise Http404("Unknown tag")
    return tag


def story_tags(*, story: StoryPage) -> dict[str, list[Any]]:
    """A story's countries, programs and topics (three small queries)."""
    return {
        "countries": list(story.countries.order_by("name")),
        "programs": list(story.programs.order_by("sort_order", "name")),
        "topics": list(story.topics.order_by("name")),
    }


def related_stories(*, story: StoryPage, tags: Mapping[str, Iterable[Any]], limit: int = 4) -> list[StoryPage]:
    """The newest other stories sharing a country, program or topic with ``story`` (one query)."""
    country_ids = [tag.pk for tag in tags.get("countries", [])]
    program_ids = [tag.pk for tag in tags.get("programs", [])]
    topic_ids = [tag.pk for tag in tags.get("topics", [])]
    if not (country_ids or program_ids or topic_ids):
        return []
    through = StoryPage.countries.through
    shared = Q(pk__in=through.objects.filter(country_id__in=country_ids).values("storypage_id"))
    shared |= Q(pk__in=StoryPage.programs.through.objects.filter(program_id__in=program_ids).values("storypage_id"))
    shared |= Q(pk__in=StoryTopic.objects.filter(tag_id__in=topic_ids).values("content_object_id"))
    return list(live_stories().filter(shared).exclude(pk=story.pk).defer_streamfields()[:limit])


# --- JSON API -----------------------------------------------------------------------------------


def story_filters_from_codes(
    *, country: str | None, program: str | None, topic: str | None, year: int | None, q: str | None
) -> StoryFilters | None:
    """The API's filters (an ISO3 code and slugs) as the index's ``StoryFilters``; ``None`` when one
    names nothing we know, so the caller returns an empty list rather than an unfiltered one."""
    found: dict[str, Any] = {}
    lookups: list[tuple[str, str | None, QuerySet[Any], str]] = [
        ("country", country.upper() if country else None, Country.objects.all(), "iso3"),
        ("program", program, Program.objects.all(), "slug"),
        ("topic", topic, Tag.objects.all(), "slug"),
    ]
    for kind, code, queryset, field in lookups:
        if code:
            found[kind] = queryset.filter(**{field: code}).first()
            if found[kind] is None:
                return None
    return StoryFilters(year=year, q=(q or "").strip(), **found)


def stories_for_api(*, filters: StoryFilters | None) -> PageQuerySet:
    """Live stories narrowed by ``filters`` (none at all when ``None``), with authors and tags."""
    stories = filtered_stories(filters=filters) if filters is not None else stories_for_list().none()
    return stories.prefetch_related("countries", "programs", "topics")


def get_live_story(*, slug: str) -> StoryPage:
    """Fetch-or-deny: a published public story, with authors and tags; otherwise 404."""
    story = (
        live_stories()
        .filter(slug=slug)
        .prefetch_related(_authors_prefetch(), "countries", "programs", "topics")
        .first()
    )
    if story is None:
        raise Http404("No such story")
    return story


# --- Pictures -----------------------------------------------------------------------------------


def image_for_rendition(*, name: str) -> Any:
    """The image a rendition file (``images/…`` under MEDIA_ROOT) was made from, or None."""
    rendition_model = get_image_model().get_rendition_model()
    rendition = rendition_model.objects.select_related("image").filter(file=name).first()
    return rendition.image if rendition is not None else None


def pages_using_image(*, image: Any) -> list[int]:
    """Ids of the pages whose saved content shows this image (Wagtail's reference index).

    A page row holds its live content once published and its first draft before, so a picture
    added in a later draft is not listed until that draft is published.
    """
    references = ReferenceIndex.get_references_to(image).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    return sorted({int(object_id) for object_id in references.values_list("object_id", flat=True)})


def image_is_public(*, page_ids: Iterable[int]) -> bool:
    """True when one of these pages is live and open to everyone (no view restriction)."""
    return Page.objects.filter(pk__in=list(page_ids)).live().public().exists()


def authors_user_ids(*, page_ids: Iterable[int]) -> set[int]:
    """Login ids of the people credited on these pages, and of their owners."""
    page_ids = list(page_ids)
    credited = StoryAuthor.objects.filter(page_id__in=page_ids, person__user__isnull=False)
    owners = Page.objects.filter(pk__in=page_ids, owner__isnull=False)
    return set(credited.values_list("person__user_id", flat=True)) | set(owners.values_list("owner_id", flat=True))
