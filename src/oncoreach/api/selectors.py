"""Reads of personal access tokens, always scoped to their owner."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from oncoreach.api.models import AccessToken
from oncoreach.api.permissions import can_manage_tokens


def require_token_manager(*, user: Any) -> None:
    if not can_manage_tokens(user):
        raise PermissionDenied


def tokens_for_user(*, user: Any) -> QuerySet[AccessToken]:
    """The signed-in user's own tokens, newest first (never anyone else's)."""
    require_token_manager(user=user)
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-id")


def get_own_token(*, user: Any, pk: int) -> AccessToken:
    """Fetch-or-deny: one of the user's own tokens; someone else's is a 404."""
    require_token_manager(user=user)
    return get_object_or_404(AccessToken, pk=pk, user=user)


def token_by_key_id(*, key_id: str) -> AccessToken | None:
    """For authentication: the token with this public key id, with its owner (one query)."""
    return AccessToken.objects.select_related("user").filter(key_id=key_id).first()
