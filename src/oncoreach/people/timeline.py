"""The timeline of one person on their staff page: everything that happened, newest first.

Each app contributes an *event source* (``register_timeline_source`` from its
``AppConfig.ready``), so people never imports the apps above it. A source is::

    source(*, person, before, limit) -> Iterable[TimelineEvent]

and returns at most ``limit`` events of that person at or before ``before`` (an aware UTC
datetime, or None on the first page: no limit, so planned events show first), newest first, in a fixed number of queries (one per kind of event,
with ``select_related``). The page asks every source for one page's worth, merges them and keeps
the newest ``TIMELINE_PAGE_SIZE``: the queries per page are the sum of the sources' constant
counts, however long the history. "Load more" is a plain link carrying a cursor (the time of the
last event shown and how many events at that time were shown), so it works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.people.models import Person, StaffNote
from oncoreach.people.selectors import require_people_staff

#: Events on one page of the timeline.
TIMELINE_PAGE_SIZE = 50


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened to or by a person. ``key`` orders events of the same time the
    same way on every request (source name and row id), so the cursor never skips one."""

    when: dt.datetime
    kind: str | Promise
    title: str | Promise
    key: tuple[str, int]
    link: str = ""
    detail: str | Promise = ""


#: ``source(*, person, before, limit) -> Iterable[TimelineEvent]``.
TimelineSource = Callable[..., Iterable[TimelineEvent]]
_sources: dict[str, TimelineSource] = {}


def register_timeline_source(name: str, source: TimelineSource) -> None:
    """Register an event source once under ``name`` (from the app's ``AppConfig.ready``)."""
    _sources[name] = source


def day_start(day: dt.date) -> dt.datetime:
    """An event known only by its date sorts at the start of that day (UTC)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


#: The first page has no upper bound: planned things (a course next month) sit at the top.
END_OF_TIME = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def upto(before: dt.datetime | None) -> dt.datetime:
    """The newest time a page may show: the cursor, or no limit on the first page."""
    return before if before is not None else END_OF_TIME


@dataclass(frozen=True)
class TimelinePage:
    events: list[TimelineEvent]
    next_cursor: str  # empty on the last page


def parse_cursor(cursor: str) -> tuple[dt.datetime | None, int]:
    """``"<iso time>~<shown at that time>"`` → (time, count); anything malformed starts over."""
    if not cursor:
        return None, 0
    when_text, _sep, skip_text = cursor.replace(" ", "+").partition("~")  # a "+" unescaped in a URL
    try:
        when = dt.datetime.fromisoformat(when_text)
        skip = int(skip_text or 0)
    except ValueError:
        return None, 0
    if when.tzinfo is None or not 0 <= skip <= 10_000:
        return None, 0
    return when.astimezone(dt.UTC), skip


def timeline_for_staff(*, user: Any, person: Person, cursor: str = "") -> TimelinePage:
    """One page of the person's timeline, newest first (staff only)."""
    require_people_staff(user=user)
    before, skip = parse_cursor(cursor)
    wanted = TIMELINE_PAGE_SIZE + skip + 1  # one more tells whether there is a next page
    events: list[TimelineEvent] = []
    for source in _sources.values():
        events.extend(source(person=person, before=before, limit=wanted))
    events.sort(key=lambda event: (event.when, event.key), reverse=True)
    if before is not None:
        events = [event for event in events if event.when <= before]
        at_cursor = [event for event in events if event.when == before]
        events = at_cursor[skip:] + [event for event in events if event.when < before]
    page = events[:TIMELINE_PAGE_SIZE]
    if len(events) <= TIMELINE_PAGE_SIZE:
        return TimelinePage(events=page, next_cursor="")
    last = page[-1].when
    shown_at_last = sum(1 for event in page if event.when == last)
    if before is not None and last == before:
        shown_at_last += skip
    return TimelinePage(events=page, next_cursor=f"{last.isoformat()}~{shown_at_last}")


# --- The sources people owns: staff notes, e-mails sent, audit entries ---------------------------


def note_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    """Staff notes (one query)."""
    from django.utils.translation import gettext_lazy as _

    notes = (
        StaffNote.objects.filter(person=person, created_at__lte=upto(before))
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        TimelineEvent(
            when=note.created_at,
            kind=_("Staff note"),
            title=note.body[:200],
            key=("people.note", note.pk),
            link=f"#note-{note.pk}",
            detail=note.author.display_name or note.author.email,
        )
        for note in notes
    ]


def email_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    """E-mails queued for the person's addresses (the outbox; one query)."""
    from django.db.models import Q
    from django.utils.translation import gettext_lazy as _

    addresses = {address.lower() for address in (person.email, getattr(person.user, "email", "")) if address}
    if not addresses:
        return []
    to_them = Q()
    for address in addresses:
        to_them |= Q(to__iexact=address)
    mails = OutboundEmail.objects.filter(to_them, created_at__lte=upto(before)).order_by("-created_at", "-id")[:limit]
    return [
        TimelineEvent(
            when=mail.created_at,
            kind=_("E-mail"),
            title=mail.subject,
            key=("core.email", mail.pk),
            detail=mail.get_status_display(),
        )
        for mail in mails
    ]


def audit_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    """Audit entries about the person's record (one query); a note's own entries are left out."""
    from django.utils.translation import gettext_lazy as _

    entries = (
        AuditEvent.objects.filter(
            target_type__app_label=Person._meta.app_label,
            target_type__model=Person._meta.model_name,
            target_id=str(person.pk),
            created_at__lte=upto(before),
        )
        .exclude(action__startswith="people.note_")  # the note itself is on the timeline
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        TimelineEvent(
            when=entry.created_at,
            kind=_("Audit"),
            title=entry.action,
            key=("core.audit", entry.pk),
            detail=(entry.actor.display_name or entry.actor.email) if entry.actor else "",
        )
        for entry in entries
    ]
