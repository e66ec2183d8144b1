"""The shared RFC 5545 writer (core.ics): events in UTC, all-day events, TZID with VTIMEZONE."""

import datetime as dt

import pytest

from oncoreach.core.ics import vcalendar, vevent, vtimezone

pytestmark = [pytest.mark.unit]

STAMP = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_vcalendar_writes_utc_times_uid_stamp_and_crlf():
    start = dt.datetime(2027, 3, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    text = vcalendar(
        host="example.org",
        product="Oncoreach test",
        components=[
            vevent(
                uid="x-1@example.org",
                stamp=STAMP,
                start=start,
                end=start + dt.timedelta(hours=1),
                summary="Meeting; plan, review",
            )
        ],
    )
    lines = text.split("\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//example.org//Oncoreach test//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert "UID:x-1@example.org" in lines
    assert "DTSTAMP:20270301T120000Z" in lines
    assert "DTSTART:20270308T143000Z" in lines
    assert "DTEND:20270308T153000Z" in lines
    assert "SUMMARY:Meeting\\; plan\\, review" in lines


def test_vevent_all_day_and_zoned_times():
    day = vevent(uid="d", stamp=STAMP, start=dt.date(2027, 3, 8), end=dt.date(2027, 3, 9), summary="Day")
    zoned = vevent(
        uid="z",
        stamp=STAMP,
        start=dt.datetime(2027, 3, 8, 9, 0),  # noqa: DTZ001 - local time named by TZID
        end=dt.datetime(2027, 3, 8, 10, 0),  # noqa: DTZ001 - local time named by TZID
        summary="Zoned",
        tzid="Africa/Lagos",
    )
    assert "DTSTART;VALUE=DATE:20270308" in day
    assert "DTSTART;TZID=Africa/Lagos:20270308T090000" in zoned


def test_vtimezone_lists_a_daylight_saving_change():
    lines = vtimezone("America/New_York", first_day=dt.date(2027, 3, 13), days=2)
    assert "BEGIN:DAYLIGHT" in lines
    assert "TZOFFSETTO:-0400" in lines
