"""The volunteers part of a person's timeline: hours logged (registered with
``people.timeline.register_timeline_source``). One query."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from oncoreach.people.models import Person
from oncoreach.people.timeline import TimelineEvent, day_start, upto
from oncoreach.volunteers.models import ActivityLog


def timeline_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    last_day = upto(before).astimezone(dt.UTC).date()
    activities = ActivityLog.objects.filter(person=person, date__lte=last_day).order_by("-date", "-id")[:limit]
    return [
        TimelineEvent(
            when=day_start(activity.date),
            kind=_("Volunteer hours"),
            title=activity.description or activity.get_kind_display(),
            key=("volunteers.activity", activity.pk),
            detail=_("%(hours)s h") % {"hours": activity.hours},
        )
        for activity in activities
    ]
