"""Signed one-use links in proposal e-mails: one side answers one proposal without signing in.

The link names the match, the side and when the proposal went out; ``selectors.match_for_link``
accepts it only while that side's answer is still pending on a proposal waiting for answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "mentoring.proposal-answer"
MAX_AGE_SECONDS = 60 * 60 * 24 * 90


@dataclass(frozen=True)
class AnswerLink:
    match_pk: int
    side: str
    sent: int


def make_answer_token(*, match_pk: int, side: str, sent: int) -> str:
    return signing.dumps({"m": match_pk, "s": side, "t": sent}, salt=SALT, compress=True)


def read_answer_token(token: str) -> AnswerLink | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("m", "t")):
        return None
    if data.get("s") not in ("mentee", "mentor"):
        return None
    return AnswerLink(match_pk=data["m"], side=data["s"], sent=data["t"])


# --- Monthly check-ins ----------------------------------------------------------------------
# One link per answer in the monthly e-mail; it names the check-in and the answer. One use: the
# check-in takes the first answer (``services.checkins.answer_checkin``); expiring: CHECKIN_SALT
# links are refused after ``CHECKIN_MAX_AGE_SECONDS``.

CHECKIN_SALT = "mentoring.checkin-answer"
CHECKIN_MAX_AGE_SECONDS = 60 * 60 * 24 * 30
CHECKIN_ANSWERS = ("going_well", "some_difficulty", "not_going_well")


@dataclass(frozen=True)
class CheckInLink:
    checkin_pk: int
    answer: str


def make_checkin_token(*, checkin_pk: int, answer: str) -> str:
    return signing.dumps({"c": checkin_pk, "a": answer}, salt=CHECKIN_SALT, compress=True)


def read_checkin_token(token: str, *, max_age: int = CHECKIN_MAX_AGE_SECONDS) -> CheckInLink | str:
    """The link's check-in and answer, or why it does not work: "expired" or "invalid"."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return "expired"
    except signing.BadSignature:
        return "invalid"
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or data.get("a") not in CHECKIN_ANSWERS:
        return "invalid"
    return CheckInLink(checkin_pk=data["c"], answer=data["a"])
