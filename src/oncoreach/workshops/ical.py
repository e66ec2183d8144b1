"""An RFC 5545 iCalendar file for one course, written by hand (no dependency).

The course is one all-day event (DTSTART;VALUE=DATE, exclusive DTEND); each agenda session is an
event in the course's own zone (TZID), with the VTIMEZONE that RFC 5545 §3.6.5 requires for every
TZID used, built from zoneinfo for the course's days. Lines end in CRLF and are folded at 75
octets without splitting a UTF-8 character; text values are escaped (§3.3.11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from oncoreach.workshops.models import Course, Session

MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line into chunks of at most 75 octets; continuations start with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_LINE_OCTETS:
        return line
    chunks: list[str] = []
    current = b""
    limit = MAX_LINE_OCTETS
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > limit:
            chunks.append(current.decode("utf-8"))
            current = b""
            limit = MAX_LINE_OCTETS - 1  # the leading space counts
        current += octets
    chunks.append(current.decode("utf-8"))
    return "\r\n ".join(chunks)


def _offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _vtimezone(course: Course) -> list[str]:
    """The zone's offsets over the course's days (plus a day each side), with any transition."""
    zone = course.zone
    start = dt.datetime.combine(course.start_date - dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    hours = (course.days + 2) * 24
    first = start.astimezone(zone)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{course.time_zone}"]
    initial = first.utcoffset()
    lines += [
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{_offset(initial)}",
        f"TZOFFSETTO:{_offset(initial)}",
        f"TZNAME:{first.tzname() or course.time_zone}",
        "END:STANDARD",
    ]
    previous = initial
    for hour in range(1, hours + 1):
        local = (start + dt.timedelta(hours=hour)).astimezone(zone)
        if local.utcoffset() != previous:
            kind = "DAYLIGHT" if local.dst() else "STANDARD"
            lines += [
                f"BEGIN:{kind}",
                f"DTSTART:{local.replace(tzinfo=None):%Y%m%dT%H%M%S}",
                f"TZOFFSETFROM:{_offset(previous)}",
                f"TZOFFSETTO:{_offset(local.utcoffset())}",
                f"TZNAME:{local.tzname() or course.time_zone}",
                f"END:{kind}",
            ]
            previous = local.utcoffset()
    lines.append("END:VTIMEZONE")
    return lines


def course_calendar(
    *, course: Course, sessions: Iterable[Session], host: str, course_url: str, stamp: dt.datetime
) -> str:
    """The whole VCALENDAR as text with CRLF line endings."""
    sessions = list(sessions)
    status = "CANCELLED" if course.status == "cancelled" else "CONFIRMED"
    location = escape_text(f"{course.city}, {course.country.name}")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(host)}//Oncoreach workshops//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if sessions:
        lines += _vtimezone(course)
    lines += [
        "BEGIN:VEVENT",
        f"UID:course-{course.pk}@{host}",
        f"DTSTAMP:{_utc_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{course.start_date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{course.end_date + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(course.title)}",
        f"LOCATION:{location}",
        f"DESCRIPTION:{escape_text(course.summary)}" if course.summary else "",
        f"URL:{course_url}",
        f"STATUS:{status}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    for session in sessions:
        lines += [
            "BEGIN:VEVENT",
            f"UID:course-{course.pk}-session-{session.pk}@{host}",
            f"DTSTAMP:{_utc_stamp(stamp)}",
            f"DTSTART;TZID={course.time_zone}:{session.day:%Y%m%d}T{session.start_time:%H%M%S}",
            f"DTEND;TZID={course.time_zone}:{session.day:%Y%m%d}T{session.end_time:%H%M%S}",
            f"SUMMARY:{escape_text(session.title)}",
            f"LOCATION:{location}",
            f"URL:{course_url}",
            f"STATUS:{status}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines if line)
