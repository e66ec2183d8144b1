"""Who may see the staff impact dashboard: program staff and administrators. The public impact
page, the map and the figures' API are open to everyone (they show totals, never a person)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def can_see_impact_dashboard(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_program_staff or user.is_administrator))


def require_impact_staff(*, user: Any) -> None:
    """Deny anyone but program staff and administrators (fetch-or-deny for a page without an object)."""
    if not can_see_impact_dashboard(user):
        raise PermissionDenied
