"""Stories in the JSON API: the public list with the index's filters, and one story.

Reads go through the same selectors as the public index (``stories.selectors``), so the API never
shows a story the site would not.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from oncoreach.core.apikit import Cursor, CursorPage, Iso3, Limit, SearchText, Slug, Year, paginate, site_url
from oncoreach.stories import selectors
from oncoreach.stories.models import StoryPage

router = Router(tags=["stories"])


class StoryQuery(Schema):
    country: Iso3 | None = Field(None, description="Only stories tagged with this country (ISO3).")
    program: Slug | None = Field(None, description="Only stories tagged with this program.")
    topic: Slug | None = Field(None, description="Only stories with this topic.")
    year: Year | None = Field(None, description="Only stories dated in this year.")
    q: SearchText | None = Field(None, description="Words to find in the title, teaser or text.")
    cursor: Cursor | None = None
    limit: Limit = 20


class StoryOut(Schema):
    slug: str
    title: str
    teaser: str
    date: dt.date = Field(description="The publication date (a date only, as on the site).")
    url: str = Field(description="The story on the public site.")
    authors: list[str]
    countries: list[str] = Field(description="ISO3 codes.")
    programs: list[str] = Field(description="Program slugs.")
    topics: list[str] = Field(description="Topic slugs.")


class StoryDetailOut(StoryOut):
    body_html: str = Field(description="The story's text as sanitized HTML.")
    last_published_at: dt.datetime | None


class StoryList(CursorPage):
    items: list[StoryOut]


def _story(story: StoryPage, request: HttpRequest) -> dict[str, object]:
    return {
        "slug": story.slug,
        "title": story.title,
        "teaser": story.teaser,
        "date": story.date,
        "url": site_url(story.get_url(request) or ""),
        "authors": [author.person.full_name for author in story.story_authors.all()],
        "countries": sorted(country.iso3 for country in story.countries.all()),
        "programs": sorted(program.slug for program in story.programs.all()),
        "topics": sorted(tag.slug for tag in story.topics.all()),
    }


@router.get("/stories", response=StoryList)
def list_stories(request: HttpRequest, query: Query[StoryQuery]) -> StoryList:
    """Published stories, newest first, filtered like the stories index."""
    filters = selectors.story_filters_from_codes(
        country=query.country, program=query.program, topic=query.topic, year=query.year, q=query.q
    )
    page = paginate(
        request,
        selectors.stories_for_api(filters=filters),
        order=("-date", "-pk"),
        cursor=query.cursor,
        limit=query.limit,
    )
    return StoryList(
        items=[StoryOut(**_story(story, request)) for story in page.items],  # type: ignore[arg-type]
        next_cursor=page.next_cursor,
        next=page.next,
    )


@router.get("/stories/{slug}", response=StoryDetailOut)
def get_story(request: HttpRequest, slug: Slug) -> StoryDetailOut:
    """One published story with its text."""
    story = selectors.get_live_story(slug=slug)
    return StoryDetailOut(
        **_story(story, request),  # type: ignore[arg-type]
        body_html=str(story.body),
        last_published_at=story.last_published_at,
    )
