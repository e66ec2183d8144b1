"""Atom feeds of stories: all of them, and one per country, program or topic.

Entries carry title, link, teaser as summary, dates, author names and categories; tags and
authors are prefetched so a feed costs the same few queries however many entries it has.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from oncoreach.core.cache import mark_public
from oncoreach.core.links import absolute_reverse, absolute_url, site_host
from oncoreach.stories import selectors
from oncoreach.stories.models import StoryPage

FEED_LENGTH = 30


class StoryFeed(Feed):  # type: ignore[type-arg]
    """The newest stories, for feed readers."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.request = request
        response: HttpResponse = super().__call__(request, *args, **kwargs)
        mark_public(response)  # type: ignore[no-untyped-call]
        return response

    def title(self, obj: Any = None) -> str:
        from django.conf import settings

        return _("%(program)s: stories") % {"program": settings.SOCIETY["program_name"]}

    def subtitle(self, obj: Any = None) -> str:
        return _("Stories written by the volunteers and participants of the program.")

    def link(self, obj: Any = None) -> str:
        return absolute_reverse("stories:index")

    def feed_url(self, obj: Any = None) -> str:
        return absolute_reverse("stories:feed")

    def items(self, obj: Any = None) -> list[StoryPage]:
        return list(selectors.stories_for_feed()[:FEED_LENGTH])

    def item_title(self, item: StoryPage) -> str:
        return str(item.title)

    def item_description(self, item: StoryPage) -> str:
        return item.teaser

    def item_link(self, item: StoryPage) -> str:
        return absolute_url(item.get_url(request=self.request) or reverse("stories:index"))

    def item_guid(self, item: StoryPage) -> str:
        return f"tag:{site_host()},{item.date:%Y-%m-%d}:story-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: StoryPage) -> dt.datetime:
        """The story's own date (what readers see), not when the page row was first saved."""
        return _midnight(item.date)

    def item_updateddate(self, item: StoryPage) -> dt.datetime:
        published = self.item_pubdate(item)
        return max(item.last_published_at or published, published)

    def item_author_name(self, item: StoryPage) -> str | None:
        names = [str(author.person) for author in item.story_authors.all()]
        return ", ".join(names) or None

    def item_categories(self, item: StoryPage) -> list[str]:
        return [str(tag) for tag in (*item.countries.all(), *item.programs.all(), *item.topics.all())]


class TagStoryFeed(StoryFeed):
    """The newest stories about one country, program or topic; unknown kind or slug → 404."""

    def get_object(self, request: HttpRequest, kind: str, slug: str) -> tuple[str, Any]:
        return kind, selectors.get_tag_or_404(kind=kind, slug=slug)

    def title(self, obj: Any = None) -> str:
        from django.conf import settings

        return _("%(program)s: stories about %(tag)s") % {
            "program": settings.SOCIETY["program_name"],
            "tag": obj[1],
        }

    def link(self, obj: Any = None) -> str:
        kind, tag = obj
        return f"{absolute_reverse('stories:index')}?{kind}={tag.slug}"

    def feed_url(self, obj: Any = None) -> str:
        kind, tag = obj
        return absolute_reverse("stories:tag-feed", kwargs={"kind": kind, "slug": tag.slug})

    def items(self, obj: Any = None) -> list[StoryPage]:
        kind, tag = obj
        return list(selectors.stories_for_feed(selectors.stories_tagged(kind=kind, tag=tag))[:FEED_LENGTH])


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def story_feed(request: HttpRequest) -> HttpResponse:
    """A fresh feed object per request: the feed keeps the request, and threads share modules."""
    return StoryFeed()(request)


def tag_story_feed(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    return TagStoryFeed()(request, kind=kind, slug=slug)
