"""Personal access tokens, made through the real service (so they are hashed like real ones)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from oncoreach.api.models import AccessToken
from oncoreach.api.services import create_token


def make_token(
    user, *scopes: str, name: str = "Integration", days: int = 30, expired: bool = False, revoked: bool = False
):
    """(token row, the secret string to send as ``Authorization: Bearer``)."""
    issued = create_token(user=user, name=name, scopes=list(scopes), lifetime_days=days)
    updates = {}
    if expired:
        updates["expires_at"] = timezone.now() - dt.timedelta(minutes=1)
    if revoked:
        updates["revoked_at"] = timezone.now()
    if updates:
        AccessToken.objects.filter(pk=issued.token.pk).update(**updates)
        issued.token.refresh_from_db()
    return issued.token, issued.secret
