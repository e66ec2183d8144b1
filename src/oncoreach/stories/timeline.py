"""The stories part of a person's timeline: stories they wrote, when first published (registered
with ``people.timeline.register_timeline_source``). One query."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.people.models import Person
from oncoreach.people.timeline import TimelineEvent, upto
from oncoreach.stories.models import StoryAuthor


def timeline_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    authorships = (
        StoryAuthor.objects.filter(person=person, page__first_published_at__lte=upto(before))
        .select_related("page")
        .order_by("-page__first_published_at", "-id")[:limit]
    )
    events = []
    for authorship in authorships:
        page = authorship.page
        assert page.first_published_at is not None  # filtered above
        events.append(
            TimelineEvent(
                when=page.first_published_at,
                kind=_("Story"),
                title=page.title,
                key=("stories.story", authorship.pk),
                link=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                detail=_("published") if page.live else _("unpublished"),
            )
        )
    return events
