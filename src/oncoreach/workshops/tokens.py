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
