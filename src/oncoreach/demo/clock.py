"""Replaying history: run the real services as if it were an earlier moment.

A demo needs a past (courses held last spring, a call decided last month), but the services
rightly refuse to register for a course that already started or to submit after a deadline.
Rather than writing the rows those services would have written, the seeder calls the services
*at the moment it happened*: inside ``replay_at(moment)``, Django's clock (``timezone.now`` and
therefore ``timezone.localdate``, ``auto_now`` fields, audit rows and outbox times) reads
``moment`` plus the time spent inside. Every rule, transition table, audit row and e-mail is the
real one; only the date is the one the story needs.

This is for the demo seeder only (a one-off command in its own process); the web server and the
worker never replay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


@contextmanager
def replay_at(moment: dt.datetime | dt.date) -> Iterator[dt.datetime]:
    """Within the block, Django's clock starts at ``moment`` (a date means 9:00 UTC that day)."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(9), tzinfo=dt.UTC)
    real_now = timezone.now
    offset = moment - real_now()

    def replayed_now() -> dt.datetime:
        return real_now() + offset

    timezone.now = replayed_now
    try:
        yield moment
    finally:
        timezone.now = real_now
