"""Uploaded files kept between a staff preview and its confirmation (geo and membership imports).

The token is the file's sha256, so the same file previewed twice is stored once and a token can
never name a path outside the directory.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

_TOKEN = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PendingUploads:
    directory: str
    suffix: str

    def _name(self, token: str) -> str:
        if not _TOKEN.fullmatch(token):
            raise ValueError("token must be a sha256 hex digest")
        return f"{self.directory}/{token}{self.suffix}"

    def stash(self, *, data: bytes) -> str:
        """Keep a previewed file until staff confirm it; the token is its sha256."""
        token = hashlib.sha256(data).hexdigest()
        name = self._name(token)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))
        return token

    def read(self, *, token: str) -> bytes | None:
        name = self._name(token)
        if not default_storage.exists(name):
            return None
        with default_storage.open(name, "rb") as handle:
            data: bytes = handle.read()
        return data

    def discard(self, *, token: str) -> None:
        default_storage.delete(self._name(token))
