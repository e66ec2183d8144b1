"""Stories are Wagtail pages, so they are built under the stories index, not by a model factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.text import slugify

from oncoreach.stories.models import StoryAuthor, StoryIndexPage, StoryPage


def _free_slug(index: StoryIndexPage, title: str) -> str:
    base = slugify(title)[:60] or "story"
    slug, number = base, 1
    taken = set(index.get_children().values_list("slug", flat=True))
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def make_story(
    *,
    title: str,
    date: dt.date | None = None,
    teaser: str = "",
    countries: Iterable[Any] = (),
    programs: Iterable[Any] = (),
    topics: Iterable[str] = (),
    authors: Iterable[Any] = (),
    live: bool = True,
    body: list[tuple[str, Any]] | None = None,
) -> StoryPage:
    """Add a story under the stories index; published through a revision when ``live``."""
    index = StoryIndexPage.objects.get()
    story = StoryPage(
        title=title,
        slug=_free_slug(index, title),
        date=date or dt.date(2026, 1, 15),
        teaser=teaser or f"A story about {title}.",
        body=body or [],
        live=False,
        no_patient_identifiers=True,
    )
    index.add_child(instance=story)
    story.countries.set(list(countries))
    story.programs.set(list(programs))
    if topics:
        story.topics.set(list(topics))
    for order, person in enumerate(authors):
        story.story_authors.add(StoryAuthor(person=person, sort_order=order))
    story.save()
    revision = story.save_revision()
    if live:
        revision.publish()
        story.refresh_from_db()
    return story
