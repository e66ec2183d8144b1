"""Who may do what with forms: plain predicates (STYLE.md §3)."""

from __future__ import annotations

from typing import Any


def can_build_forms(user: Any) -> bool:
    """Program staff (and administrators) build and edit forms."""
    return bool(user.is_authenticated and user.is_program_staff)
