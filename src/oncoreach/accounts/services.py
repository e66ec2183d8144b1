"""Writes on the login account itself, and the audit trail of administrators viewing as someone."""

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


def record_view_as_started(*, administrator: User, target: User, reason: str) -> int:
    """Write the audit row for an administrator starting to view the site as ``target``.

    Returns the row's id, which the end row names, so the two can be read together.
    """
    event = record_audit(
        actor=administrator,
        action="accounts.view_as_started",
        target=target,
        reason=reason,
        target_email=target.email,
    )
    return event.pk


def record_view_as_ended(*, administrator: User, target: User, reason: str, started_event_id: int | None) -> int:
    """Write the audit row for the end of a "view as" session (with the reason given at its start)."""
    event = record_audit(
        actor=administrator,
        action="accounts.view_as_ended",
        target=target,
        reason=reason,
        target_email=target.email,
        started_event_id=started_event_id,
    )
    return event.pk
