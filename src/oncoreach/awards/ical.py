"""An RFC 5545 invitation for one interview, written by hand (no dependency).

Times are written in UTC (``DTSTART:…Z``), which every calendar turns into its reader's own zone,
so no VTIMEZONE is needed and daylight saving on either side is the calendar's business. Lines end
in CRLF and are folded at 75 octets without splitting a UTF-8 character; text is escaped (§3.3.11).
"""

from __future__ import annotations

import datetime as dt

from oncoreach.awards.models import InterviewBooking

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
    chunks: list[str] = []
    current = b""
    limit = MAX_LINE_OCTETS
    for char in line:
        octets = char.encode("utf-8")
        if len(current) + len(octets) > limit:
            chunks.append(current.decode("utf-8"))
            current = b""
            limit = MAX_LINE_OCTETS - 1  # the leading space of a continuation counts
        current += octets
    chunks.append(current.decode("utf-8"))
    return "\r\n ".join(chunks)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def interview_calendar(*, booking: InterviewBooking, host: str, summary: str, url: str, stamp: dt.datetime) -> str:
    slot = booking.slot
    cancelled = booking.status == "cancelled" or slot.is_withdrawn
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(host)}//Oncoreach awards//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:CANCEL" if cancelled else "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:interview-{booking.pk}@{host}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(slot.starts_at)}",
        f"DTEND:{_utc(slot.ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(slot.video_link or slot.place)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
