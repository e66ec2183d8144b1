"""Signed links in invitation e-mails, so a volunteer can answer without signing in."""

from __future__ import annotations

from django.core import signing

SALT = "workshops.invitation-response"
MAX_AGE_SECONDS = 60 * 60 * 24 * 60  # an invitation is answered within two months


def make_response_token(*, invitation_pk: int, person_pk: int) -> str:
    return signing.dumps({"i": invitation_pk, "p": person_pk}, salt=SALT, compress=True)


def read_response_token(token: str) -> tuple[int, int] | None:
    """(invitation pk, person pk), or None for a forged, altered or expired token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("p"), int):
        return None
    return data["i"], data["p"]


SURVEY_SALT = "workshops.impact-survey"
SURVEY_MAX_AGE_SECONDS = 60 * 60 * 24 * 180  # the one-year survey link stays valid six months


def make_survey_token(*, registration_pk: int) -> str:
    """The one-year survey link: the participant answers without signing in."""
    return signing.dumps({"r": registration_pk}, salt=SURVEY_SALT, compress=True)


def read_survey_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    return int(data["r"])
