"""Writes on personal access tokens: create (the secret is returned once), revoke, record use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.api.models import AccessToken
from oncoreach.api.permissions import can_manage_tokens
from oncoreach.api.scopes import SCOPES
from oncoreach.api.tokens import hash_secret, new_token
from oncoreach.core.services import record_audit

LIFETIME_DAYS = (7, 30, 90, 365)
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: AccessToken
    secret: str  # the full token string: shown once, never stored


@transaction.atomic
def create_token(*, user: Any, name: str, scopes: Sequence[str], lifetime_days: int) -> IssuedToken:
    """A new token for ``user`` (program staff only) with the given scopes and lifetime."""
    if not can_manage_tokens(user):
        raise PermissionDenied
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the token a name that says what it is for.")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        errors["scopes"] = _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}
    elif not scopes:
        errors["scopes"] = _("Choose at least one scope.")
    if lifetime_days not in LIFETIME_DAYS:
        errors["lifetime_days"] = _("Choose how long the token lasts.")
    if errors:
        raise ValidationError(errors)
    raw, parts = new_token()
    token = AccessToken.objects.create(
        user=user,
        name=name[:100],
        key_id=parts.key_id,
        secret_hash=hash_secret(parts.secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + dt.timedelta(days=lifetime_days),
    )
    record_audit(actor=user, action="api.token_created", target=token, scopes=token.scopes, days=lifetime_days)
    return IssuedToken(token=token, secret=raw)


@transaction.atomic
def revoke_token(*, token: AccessToken, actor: Any) -> AccessToken:
    """Revoke a token at once; revoking twice changes nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_audit(actor=actor, action="api.token_revoked", target=token)
    return token


def record_token_use(*, token: AccessToken, ip: str | None, now: dt.datetime | None = None) -> bool:
    """Remember when and from where the token was used, at most once a minute.

    Authentication runs on every API call, so this skips the write while the stored time is
    recent; the conditional UPDATE keeps two processes from both writing in the same minute.
    Returns whether a row was written.
    """
    now = now or timezone.now()
    threshold = now - LAST_USE_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    written = (
        AccessToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold))
        .update(last_used_at=now, last_used_ip=ip)
    )
    token.last_used_at, token.last_used_ip = now, ip
    return bool(written)
