"""Personal access tokens as seen by domain ``api.py`` modules: declare the scope an endpoint needs.

    @router.get("/people", auth=TokenAuth("people:read"), response=PersonList)
    def list_people(request: TokenRequest, ...):
        people = selectors.people_for_staff(user=token_user(request), ...)

The tokens themselves (model, hashing, expiry, revocation, last use) belong to the ``api`` app,
the top layer, which registers its checker here when Django starts (``api.apps``). Domain apps sit
below it and must not import it; this module is the interface between the two, the way Django's
``AUTHENTICATION_BACKENDS`` sit between ``login()`` and the user store.

The checker returns the token (with ``.user``) or raises :class:`ApiError`: 401 with
``not_authenticated``, ``invalid_token``, ``token_expired``, ``token_revoked`` or
``account_inactive``; 403 with ``insufficient_scope``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from oncoreach.core.apikit.errors import ApiError


class Token(Protocol):
    """What an endpoint may rely on in ``request.auth``."""

    pk: Any
    user: Any
    scopes: list[str]


class TokenRequest(HttpRequest):
    """The request of an endpoint behind :class:`TokenAuth` (STYLE.md §5, typed requests)."""

    auth: Token


TokenChecker = Callable[..., Token]
_checker: list[TokenChecker] = []


def register_token_checker(checker: TokenChecker) -> None:
    """Called once by the api app: ``checker(request=..., raw=..., scope=...) -> Token``."""
    _checker[:] = [checker]


def bearer_challenge(error: str = "", **params: str) -> str:
    """A ``WWW-Authenticate`` value (RFC 6750)."""
    parts = ['Bearer realm="api"']
    if error:
        parts.append(f'error="{error}"')
    parts.extend(f'{name}="{value}"' for name, value in params.items())
    return ", ".join(parts)


class TokenAuth(HttpBearer):
    """Require a personal access token holding ``scope`` (``area:read`` or ``area:write``)."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        area, _sep, level = scope.partition(":")
        if not area or level not in ("read", "write"):
            raise ValueError(f"A scope is area:read or area:write, not {scope!r}.")
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Token:
        header = request.headers.get(self.header, "")
        scheme, _sep, raw = header.strip().partition(" ")
        if not header:
            raise ApiError(
                401,
                "not_authenticated",
                _("This endpoint needs a personal access token: send the header “Authorization: Bearer <token>”."),
                headers={"WWW-Authenticate": bearer_challenge(scope=self.scope)},
            )
        if scheme.lower() != "bearer" or not raw.strip():
            raise ApiError(
                401,
                "invalid_token",
                _("Send the token as “Authorization: Bearer <token>”."),
                headers={"WWW-Authenticate": bearer_challenge("invalid_request")},
            )
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Token:
        if not _checker:
            raise RuntimeError("No token checker registered: is oncoreach.api in INSTALLED_APPS?")
        return _checker[0](request=request, raw=token, scope=self.scope)


def token_user(request: HttpRequest) -> Any:
    """The user whose token authenticated this request (for permission-scoped selectors)."""
    return request.auth.user  # type: ignore[attr-defined]
