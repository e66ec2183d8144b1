"""The "view as" banner's facts, for the base template."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from oncoreach.accounts.enums import VIEW_AS_SESSION_KEY
from oncoreach.accounts.permissions import is_viewing_as


def view_as(request: HttpRequest) -> dict[str, object]:
    # Requests without a session cookie (every anonymous public page) never touch the session.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "session"):
        return {}
    if not is_viewing_as(request.session):
        return {}
    state = request.session.get(VIEW_AS_SESSION_KEY) or {}
    return {
        "view_as": {
            "target": request.user,
            "administrator": state.get("administrator", ""),
            "reason": state.get("reason", ""),
        }
    }
