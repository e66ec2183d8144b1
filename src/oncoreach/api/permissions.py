"""Who may hold personal access tokens: program staff and administrators (every staff endpoint
is theirs today). The endpoints still check each request through their own selectors."""

from __future__ import annotations

from typing import Any


def can_manage_tokens(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_program_staff)
