"""The one error shape of the JSON API (STYLE.md §6), and the exception that produces it.

Every error the API returns, whatever its status, is::

    {"error": {"code": "invalid_cursor", "message": "…", "details": [{"field": …, "location": …,
     "code": …, "message": …}]}}

``code`` is stable and meant for programs; ``message`` is for people, in the language the client
asked for (``Accept-Language``); ``details`` lists the fields at fault (empty when none is).
Domain ``api.py`` modules raise :class:`ApiError`, or simply the exceptions selectors and services
already raise (``Http404``, ``PermissionDenied``, ``ValidationError``): the API app turns all of them
into this shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.functional import Promise
from ninja import Schema
from pydantic import Field


class ErrorDetail(Schema):
    """One field at fault."""

    field: str | None = Field(None, description="The parameter or body field, when one is at fault.")
    location: str | None = Field(None, description="Where it was sent: query, path, body or header.")
    code: str = Field(description="A stable code for programs, e.g. less_than_equal or unknown_parameter.")
    message: str = Field(description="What is wrong, for people.")


class ErrorBody(Schema):
    code: str = Field(description="A stable code for programs; see docs/api.md for the list.")
    message: str = Field(description="What went wrong, for people, in the language asked for.")
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(Schema):
    """The body of every error response (400, 401, 403, 404, 405, 422, 429, 500)."""

    error: ErrorBody


class ApiError(Exception):
    """An error with its HTTP status, stable code, message for people and optional details.

    ``message`` may be a lazy translation with ``%(name)s`` placeholders filled from ``params``:
    it is rendered in the client's language when the response is built, not where it is raised.
    ``headers`` are added to the response (``Retry-After``, ``WWW-Authenticate``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str | Promise,
        *,
        details: Sequence[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.details = [dict(detail) for detail in details]
        self.headers = dict(headers or {})
        self.params = dict(params or {})


def error_body(
    code: str,
    message: str | Promise,
    details: Sequence[Mapping[str, Any]] = (),
    params: Mapping[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """The error shape as a dict, with lazy messages rendered in the active language."""
    text = str(message)
    if params:
        text = text % dict(params)
    return {
        "error": {
            "code": code,
            "message": text,
            "details": [
                {
                    "field": detail.get("field"),
                    "location": detail.get("location"),
                    "code": str(detail.get("code", "invalid")),
                    "message": str(detail.get("message", "")),
                }
                for detail in details
            ],
        }
    }
