"""One RFC 5545 (iCalendar) writer for every invitation the platform offers, written by hand (no
dependency): awards' interviews, workshops' courses and sessions, mentoring's meetings.

* Content lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character; a
  continuation line starts with one space, which counts toward its 75 (§3.1).
* TEXT values are escaped: backslash, semicolon, comma and line breaks (§3.3.11).
* Times are written in UTC (``…Z``, which every calendar shows in its reader's zone) unless the
  caller names a TZID, in which case the matching VTIMEZONE (§3.6.5) comes from :func:`vtimezone`.
* Every event has a UID and a DTSTAMP (§3.6.1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

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
    if len(line.encode("utf-8")) <= MAX_LINE_OCTETS:
        return line
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


def utc_stamp(moment: dt.datetime) -> str:
    """An aware datetime as a UTC DATE-TIME (``20270301T140000Z``)."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: dt.datetime | dt.date, tzid: str | None) -> str:
    if isinstance(value, dt.datetime):
        if tzid:
            return f"{name};TZID={tzid}:{value.replace(tzinfo=None):%Y%m%dT%H%M%S}"
        return f"{name}:{utc_stamp(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def vevent(
    *,
    uid: str,
    stamp: dt.datetime,
    start: dt.datetime | dt.date,
    end: dt.datetime | dt.date,
    summary: str,
    location: str | None = None,
    description: str = "",
    url: str = "",
    status: str = "CONFIRMED",
    tzid: str | None = None,
    transparent: bool = False,
) -> list[str]:
    """One VEVENT's content lines. ``start``/``end``: an aware datetime (written in UTC), a naive
    local datetime with ``tzid`` (the zone's VTIMEZONE must be in the calendar), or a date (an
    all-day event; ``end`` is exclusive)."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        _when("DTSTART", start, tzid),
        _when("DTEND", end, tzid),
        f"SUMMARY:{escape_text(summary)}",
    ]
    if location is not None:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append(f"STATUS:{status}")
    if transparent:
        lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines


def _offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def vtimezone(tzid: str, *, first_day: dt.date, days: int) -> list[str]:
    """The zone's offsets from the day before ``first_day`` over ``days`` + 2 days, with every
    transition in that stretch (zoneinfo), as a VTIMEZONE."""
    zone = ZoneInfo(tzid)
    start = dt.datetime.combine(first_day - dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    first = start.astimezone(zone)
    initial = first.utcoffset()
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    lines += [
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{_offset(initial)}",
        f"TZOFFSETTO:{_offset(initial)}",
        f"TZNAME:{first.tzname() or tzid}",
        "END:STANDARD",
    ]
    previous = initial
    for hour in range(1, (days + 2) * 24 + 1):
        local = (start + dt.timedelta(hours=hour)).astimezone(zone)
        if local.utcoffset() != previous:
            kind = "DAYLIGHT" if local.dst() else "STANDARD"
            lines += [
                f"BEGIN:{kind}",
                f"DTSTART:{local.replace(tzinfo=None):%Y%m%dT%H%M%S}",
                f"TZOFFSETFROM:{_offset(previous)}",
                f"TZOFFSETTO:{_offset(local.utcoffset())}",
                f"TZNAME:{local.tzname() or tzid}",
                f"END:{kind}",
            ]
            previous = local.utcoffset()
    lines.append("END:VTIMEZONE")
    return lines


def vcalendar(*, host: str, product: str, components: Iterable[Sequence[str]], method: str = "PUBLISH") -> str:
    """The whole VCALENDAR as text with CRLF line endings; ``product`` names the PRODID's product
    (``Oncoreach awards``); ``components`` are VTIMEZONE/VEVENT line lists in order."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(host)}//{product}//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    for component in components:
        lines += component
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
