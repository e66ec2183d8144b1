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
