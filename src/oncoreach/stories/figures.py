"""The impact figure stories contribute (programs.impact; reporting shows it); ``apps.py`` registers it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from oncoreach.programs.impact import FigureFamily, FigureRow
from oncoreach.stories.selectors import live_stories


def story_figures() -> list[FigureRow]:
    """``stories_published``: stories readers can see (live and not in a private section), by
    publication date, under each country and each program they are tagged with (``None`` when
    untagged). The values are sets of story ids, so a story tagged with two countries counts once
    under each of them and once in a region, a year or the total. One query (the tags joined)."""
    tags = live_stories().order_by().values_list("pk", "date", "countries", "programs").distinct()
    grouped: dict[tuple[int | None, int | None, dt.date], set[int]] = defaultdict(set)
    for story_id, day, country_id, program_id in tags:
        grouped[(country_id, program_id, day)].add(story_id)
    return [
        FigureRow(country_id=country, program_id=program, day=day, values={"stories_published": frozenset(ids)})
        for (country, program, day), ids in grouped.items()
    ]


STORIES = FigureFamily(name="stories.published", provides=("stories_published",), rows=story_figures)
