"""Who may do what with login accounts: plain predicates over users (STYLE.md §3)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from oncoreach.accounts.models import User


def is_viewing_as(session: Any) -> bool:
    """True while an administrator sees the site as someone else (django-hijack's history)."""
    return bool(session is not None and session.get("hijack_history"))


def can_start_view_as(user: Any) -> bool:
    """Only administrators may view the site as another person."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_administrator)


def can_view_as(*, hijacker: Any, hijacked: Any) -> bool:
    """django-hijack's permission check (``HIJACK_PERMISSION_CHECK``) and ours.

    An administrator may view the site as any active person except themselves, another
    administrator or a superuser; nobody else may view as anyone.
    """
    if hijacked is None or not can_start_view_as(hijacker):
        return False
    if hijacked.pk == hijacker.pk or not hijacked.is_active:
        return False
    return not (hijacked.is_superuser or hijacked.is_administrator)


def get_user_to_view_as(*, user: Any, pk: int) -> User:
    """Fetch-or-deny: the account an administrator asks to view as (404 if none, 403 if not allowed)."""
    if not can_start_view_as(user):
        raise PermissionDenied
    target = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    if not can_view_as(hijacker=user, hijacked=target):
        raise PermissionDenied
    return target
