"""Who may look after the outbox: program staff and administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from oncoreach.core.models import OutboundEmail
from oncoreach.core.selectors import failed_emails


def can_manage_outbox(user: Any) -> bool:
    # core sits below accounts, so it reads the role the User model computes instead of importing it.
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_program_staff", False))


def require_outbox_staff(*, user: Any) -> None:
    if not can_manage_outbox(user):
        raise PermissionDenied


def get_failed_email_for_staff(*, user: Any, pk: int) -> OutboundEmail:
    """Fetch-or-deny: a mail that failed for good (a 404 for any other, e.g. one already requeued)."""
    require_outbox_staff(user=user)
    return get_object_or_404(failed_emails(), pk=pk)
