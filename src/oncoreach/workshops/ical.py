"""An RFC 5545 iCalendar file for one course, through the shared writer (``core.ics``).

The course is one all-day event (DTSTART;VALUE=DATE, exclusive DTEND); each agenda session is an
event in the course's own zone (TZID), with the VTIMEZONE that RFC 5545 §3.6.5 requires for every
TZID used, built from zoneinfo for the course's days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from oncoreach.core.ics import vcalendar, vevent, vtimezone
from oncoreach.workshops.models import Course, Session


def course_calendar(
    *, course: Course, sessions: Iterable[Session], host: str, course_url: str, stamp: dt.datetime
) -> str:
    """The whole VCALENDAR as text with CRLF line endings."""
    sessions = list(sessions)
    status = "CANCELLED" if course.status == "cancelled" else "CONFIRMED"
    location = f"{course.city}, {course.country.name}"
    components: list[list[str]] = []
    if sessions:
        components.append(vtimezone(course.time_zone, first_day=course.start_date, days=course.days))
    components.append(
        vevent(
            uid=f"course-{course.pk}@{host}",
            stamp=stamp,
            start=course.start_date,
            end=course.end_date + dt.timedelta(days=1),
            summary=course.title,
            location=location,
            description=course.summary,
            url=course_url,
            status=status,
            transparent=True,
        )
    )
    for session in sessions:
        components.append(
            vevent(
                uid=f"course-{course.pk}-session-{session.pk}@{host}",
                stamp=stamp,
                start=dt.datetime.combine(session.day, session.start_time),
                end=dt.datetime.combine(session.day, session.end_time),
                summary=session.title,
                location=location,
                url=course_url,
                status=status,
                tzid=course.time_zone,
            )
        )
    return vcalendar(host=host, product="Oncoreach workshops", components=components)
