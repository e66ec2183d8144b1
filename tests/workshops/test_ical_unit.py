import datetime as dt

import pytest

from oncoreach.core.ics import escape_text, fold
from oncoreach.workshops.models import FacultyInvitation
from oncoreach.workshops.tokens import ResponseLink, make_response_token, read_response_token

pytestmark = [pytest.mark.unit]


def test_escape_text_escapes_rfc5545_specials():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_fold_keeps_short_lines():
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_fold_never_splits_utf8_and_keeps_75_octets():
    line = "SUMMARY:" + "é" * 100  # two octets each
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_response_token_round_trip_and_tamper():
    invitation = FacultyInvitation(pk=7, person_id=9, invited_at=dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC))
    token = make_response_token(invitation=invitation)
    assert read_response_token(token) == ResponseLink(invitation_pk=7, person_pk=9, invited_at=1772368200)
    assert read_response_token(token + "x") is None
    assert read_response_token("") is None
