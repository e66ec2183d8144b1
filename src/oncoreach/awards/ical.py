"""An RFC 5545 invitation for one interview, through the shared writer (``core.ics``).

Times are written in UTC, which every calendar turns into its reader's own zone, so no VTIMEZONE is
needed and daylight saving on either side is the calendar's business.
"""

from __future__ import annotations

import datetime as dt

from oncoreach.awards.models import InterviewBooking
from oncoreach.core.ics import vcalendar, vevent


def interview_calendar(*, booking: InterviewBooking, host: str, summary: str, url: str, stamp: dt.datetime) -> str:
    slot = booking.slot
    cancelled = booking.status == "cancelled" or slot.is_withdrawn
    event = vevent(
        uid=f"interview-{booking.pk}@{host}",
        stamp=stamp,
        start=slot.starts_at,
        end=slot.ends_at,
        summary=summary,
        location=slot.video_link or slot.place,
        url=url,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    return vcalendar(
        host=host, product="Oncoreach awards", components=[event], method="CANCEL" if cancelled else "PUBLISH"
    )
