"""Who may write and send cohort messages: program staff and administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from oncoreach.messaging import selectors
from oncoreach.messaging.models import CohortMessage, MessageTemplate


def can_send_messages(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_program_staff", False))


def require_messaging_staff(*, user: Any) -> None:
    if not can_send_messages(user):
        raise PermissionDenied


def get_message_for_staff(*, user: Any, pk: int) -> CohortMessage:
    require_messaging_staff(user=user)
    return selectors.get_message(pk=pk)


def get_template_for_staff(*, user: Any, pk: int) -> MessageTemplate:
    require_messaging_staff(user=user)
    return selectors.get_template(pk=pk)
