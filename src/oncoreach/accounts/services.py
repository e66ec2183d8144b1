"""Writes on the login account itself."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from oncoreach.accounts.models import User
from oncoreach.core.services import record_audit


@transaction.atomic
def confirm_user_email(*, user: User, via: str, actor: Any = None) -> User:
    """Mark the address as proven (a confirmation or password-reset link reached its owner).

    Idempotent: confirming twice changes nothing and writes no second audit row.
    """
    if user.email_confirmed:
        return user
    user.email_confirmed = True
    user.save(update_fields=["email_confirmed"])
    record_audit(actor=actor or user, action="accounts.email_confirmed", target=user, via=via)
    return user
