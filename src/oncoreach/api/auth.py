"""The token checker behind ``core.apikit.TokenAuth`` (registered in ``api.apps``).

Each refusal has its own code, so an integration can tell "fix the header" from "make a new
token" from "ask for another scope" (docs/api.md lists them).
"""

from __future__ import annotations

import hmac

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oncoreach.api.clients import client_ip
from oncoreach.api.models import AccessToken
from oncoreach.api.scopes import grants
from oncoreach.api.selectors import token_by_key_id
from oncoreach.api.services import record_token_use
from oncoreach.api.tokens import hash_secret, parse_token
from oncoreach.core.apikit.auth import bearer_challenge
from oncoreach.core.apikit.errors import ApiError


def _refuse(code: str, message: object) -> ApiError:
    return ApiError(
        401,
        code,
        message,  # type: ignore[arg-type]
        headers={"WWW-Authenticate": bearer_challenge("invalid_token", error_description=code)},
    )


def check_token(*, request: HttpRequest, raw: str, scope: str) -> AccessToken:
    """The token for ``raw`` if it is genuine, live, its owner active and it holds ``scope``."""
    parts = parse_token(raw)
    token = token_by_key_id(key_id=parts.key_id) if parts else None
    if parts is None or token is None or not hmac.compare_digest(token.secret_hash, hash_secret(parts.secret)):
        raise _refuse("invalid_token", _("This token is not valid. Check it was copied whole, or make a new one."))
    if token.is_revoked:
        raise _refuse("token_revoked", _("This token was revoked. Make a new one on the API tokens page."))
    if token.is_expired:
        raise _refuse("token_expired", _("This token has expired. Make a new one on the API tokens page."))
    if not token.user.is_active:
        raise _refuse("account_inactive", _("The account this token belongs to is disabled."))
    if not grants(token.scopes, scope):
        raise ApiError(
            403,
            "insufficient_scope",
            _("This token does not have the “%(scope)s” scope this endpoint needs."),
            params={"scope": scope},
            headers={"WWW-Authenticate": bearer_challenge("insufficient_scope", scope=scope)},
        )
    record_token_use(token=token, ip=client_ip(request))
    return token
