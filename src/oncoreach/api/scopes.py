"""Every scope a personal access token can hold: ``area:read`` or ``area:write``.

A domain ``api.py`` names the scope an endpoint needs (``TokenAuth("people:read")``); the API
refuses to start with a scope that is not listed here (``api.router``), so add a line when you add
an area. A ``write`` scope also grants the area's ``read`` endpoints.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCOPES: dict[str, Promise] = {
    "people:read": _("People: search the people list"),
    "calls:read": _("Calls: read the applications of a call"),
    "courses:read": _("Courses: read a course's registrations"),
    "courses:write": _("Courses: record attendance (and everything courses:read allows)"),
    # awards, mentoring and impact add their scopes here when their api.py modules arrive.
}


def grants(held: list[str], needed: str) -> bool:
    """Whether scopes ``held`` allow an endpoint that needs ``needed`` (write includes read)."""
    area, _sep, level = needed.partition(":")
    return needed in held or (level == "read" and f"{area}:write" in held)


def scope_choices() -> list[tuple[str, Promise]]:
    return list(SCOPES.items())
