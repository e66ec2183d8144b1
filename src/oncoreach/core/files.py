"""Where uploads are stored, and removing the files nothing refers to any more.

Every upload is stored under a random name: the name on the person's computer may carry a
patient's or a hospital's name, and a guessable path is one step from a leaked document. Models
that show the original name keep it in a field of their own.
"""

from __future__ import annotations

import os
import re
import uuid
from typing import Any

from django.core.files.storage import Storage
from django.db import models, transaction

_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


def random_upload_name(folder: str, filename: str) -> str:
    """``folder/<32 random hex digits><.extension>``: the extension of ``filename`` (lower case) is
    kept when it looks like one, nothing else of it."""
    extension = os.path.splitext(filename or "")[1].lower()
    if not _EXTENSION.fullmatch(extension):
        extension = ""
    return f"{folder.strip('/')}/{uuid.uuid4().hex}{extension}"


def original_file_name(filename: str | None, *, max_length: int = 255) -> str:
    """The name an upload had on the person's computer, without any folder, for display."""
    return os.path.basename((filename or "").replace("\\", "/"))[:max_length]


def delete_file_on_commit(storage: Storage, name: str) -> None:
    """Delete a stored file once the current transaction commits (never for rolled-back work)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def delete_files_with_rows(model: type[models.Model], *field_names: str) -> None:
    """When a row of ``model`` is deleted (also by a cascade), delete its files after commit."""

    def delete_files(sender: Any, instance: models.Model, **kwargs: Any) -> None:
        for field_name in field_names:
            field_file = getattr(instance, field_name)
            if field_file:
                delete_file_on_commit(field_file.storage, field_file.name)

    models.signals.post_delete.connect(
        delete_files, sender=model, weak=False, dispatch_uid=f"delete-files:{model._meta.label}"
    )
