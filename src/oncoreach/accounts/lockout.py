"""The login throttle (django-axes) counts failures per account and client address.

Axes reads the account name as typed, so ``Member@Example.org`` and ``member@example.org`` were
two counters for one account. ``AXES_USERNAME_CALLABLE`` points here: every attempt is counted
under the address as the User model stores it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from oncoreach.accounts.models import normalize_email_address


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The normalised address of a login attempt (from the credentials, else the posted form)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "POST", None) or {}
        value = data.get(field)
    return normalize_email_address(value if isinstance(value, str) else "")
