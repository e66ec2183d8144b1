"""Signed one-click unsubscribe links: one per recipient and message, valid for
``UNSUBSCRIBE_LINK_DAYS``. Reusing a link is harmless (unsubscribing twice changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_SALT = "oncoreach.messaging.unsubscribe"


class BadTokenError(Exception):
    """The link was altered or made up."""


class ExpiredTokenError(Exception):
    """The link is genuine but older than UNSUBSCRIBE_LINK_DAYS."""


@dataclass(frozen=True, slots=True)
class UnsubscribeClaim:
    person_id: int
    message_id: int | None


def make_token(*, person_id: int, message_id: int | None) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(f"{person_id}.{message_id or 0}")


def read_token(token: str) -> UnsubscribeClaim:
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=settings.UNSUBSCRIBE_LINK_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise ExpiredTokenError from exc
    except signing.BadSignature as exc:
        raise BadTokenError from exc
    person, _, message = value.partition(".")
    try:
        return UnsubscribeClaim(person_id=int(person), message_id=int(message) or None)
    except ValueError as exc:
        raise BadTokenError from exc
