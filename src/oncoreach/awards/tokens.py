"""The signed link in an offer e-mail: the awardee answers without signing in, once.

The link names the offer and when it was made; ``services.respond_to_offer`` accepts it only while
that offer still waits for an answer and before its deadline, so a used or stale link is refused
with its own message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "awards.offer-response"
MAX_AGE_SECONDS = 60 * 60 * 24 * 90  # beyond any offer deadline; the deadline itself is checked too


@dataclass(frozen=True)
class OfferLink:
    offer_pk: int
    offered_at: int


def make_offer_token(*, offer_pk: int, offered_at: int) -> str:
    return signing.dumps({"o": offer_pk, "t": offered_at}, salt=SALT, compress=True)


def read_offer_token(token: str) -> OfferLink | None:
    """What the link names, or None for a forged, altered or too old token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("o"), int) or not isinstance(data.get("t"), int):
        return None
    return OfferLink(offer_pk=data["o"], offered_at=data["t"])
