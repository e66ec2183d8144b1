"""The token string: ``oncr_`` + a 12-character public key id + ``_`` + a 43-character secret.

The prefix lets secret scanners recognise a leaked token; the key id finds the row without the
secret; only ``sha256(secret)`` is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

PREFIX = "oncr_"
KEY_ID_LENGTH = 12
SECRET_BYTES = 32


@dataclass(frozen=True)
class TokenParts:
    key_id: str
    secret: str


def new_token() -> tuple[str, TokenParts]:
    """A fresh random token: (the full string to show once, its parts)."""
    parts = TokenParts(key_id=secrets.token_hex(KEY_ID_LENGTH // 2), secret=secrets.token_urlsafe(SECRET_BYTES))
    return f"{PREFIX}{parts.key_id}_{parts.secret}", parts


def parse_token(raw: str) -> TokenParts | None:
    """The parts of a token string, or ``None`` when it is not shaped like one of ours."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    body = raw[len(PREFIX) :]
    key_id, separator, secret = body[:KEY_ID_LENGTH], body[KEY_ID_LENGTH : KEY_ID_LENGTH + 1], body[KEY_ID_LENGTH + 1 :]
    if separator != "_" or len(key_id) != KEY_ID_LENGTH or not secret:
        return None
    return TokenParts(key_id=key_id, secret=secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
