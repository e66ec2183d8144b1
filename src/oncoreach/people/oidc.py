"""Single sign-on with the society's member database: mozilla-django-oidc's authentication
backend, completed where the library leaves the checks to us (docs/decisions.md).

- Endpoints and keys come from the issuer's discovery document, fetched on first use and cached
  (the library wants each endpoint as a setting).
- The ID token is checked fully: RS256 signature against the provider's JWKS, ``iss`` equal to
  the discovered issuer, ``aud`` containing our client id (the library turns audience checking
  off), ``exp``/``iat`` with a small clock skew, ``azp`` when there are several audiences, and the
  ``nonce`` of the sign-in this browser started. Each failure is its own ``SignInProblem``.
- The userinfo answer must name the same ``sub`` as the ID token (OpenID Connect Core §5.3.2).
- Who the claims are is decided by ``services_sso.sign_in_with_society``: by ``sub``, and on a
  first sign-in by verified e-mail only.
"""

from __future__ import annotations

import hashlib
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from oncoreach.accounts.models import User
from oncoreach.core.links import absolute_url
from oncoreach.people.enums import SignInProblem
from oncoreach.people.services_sso import SocietySignInError, sign_in_with_society

DISCOVERY_PATH = "/.well-known/openid-configuration"
REQUIRED_ENDPOINTS = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
# The attribute on the request where the backend leaves what the sign-in did, for the view.
OUTCOME_ATTRIBUTE = "oncoreach_society_sign_in"


def oidc_enabled() -> bool:
    """Single sign-on is on when an issuer and a client id are configured."""
    return bool(getattr(settings, "OIDC_ENABLED", False) and settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def callback_url() -> str:
    """The redirect URI registered at the provider: built from SITE_URL, never the Host header."""
    return absolute_url(reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL))


def provider_configuration() -> dict[str, Any]:
    """The issuer's discovery document (cached). Raises ``SocietySignInError`` when the provider
    cannot be reached or its document does not describe the configured issuer."""
    issuer = str(settings.OIDC_ISSUER)
    key = "people:oidc-discovery:" + hashlib.sha256(issuer.encode()).hexdigest()[:32]
    config: dict[str, Any] | None = cache.get(key)
    if config is not None:
        return config
    try:
        response = requests.get(issuer + DISCOVERY_PATH, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SocietySignInError(SignInProblem.PROVIDER_UNAVAILABLE, str(exc)) from exc
    if not isinstance(config, dict) or any(not config.get(name) for name in REQUIRED_ENDPOINTS):
        raise SocietySignInError(SignInProblem.PROVIDER_UNAVAILABLE, "incomplete discovery document")
    if str(config["issuer"]).rstrip("/") != issuer:
        raise SocietySignInError(SignInProblem.WRONG_ISSUER, f"discovery names {config['issuer']!r}")
    cache.set(key, config, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return config


def _token_error(exc: jwt.PyJWTError) -> SocietySignInError:
    if isinstance(exc, jwt.ExpiredSignatureError):
        return SocietySignInError(SignInProblem.EXPIRED, str(exc))
    if isinstance(exc, jwt.InvalidAudienceError):
        return SocietySignInError(SignInProblem.WRONG_AUDIENCE, str(exc))
    if isinstance(exc, jwt.InvalidIssuerError):
        return SocietySignInError(SignInProblem.WRONG_ISSUER, str(exc))
    return SocietySignInError(SignInProblem.INVALID_TOKEN, str(exc))


class SocietyOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Answers only the callback of a sign-in it started (a ``nonce`` among the credentials), so
    password sign-ins never reach it; reads the provider's endpoints only then."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads every endpoint here; Django makes a backend for each request's user,
        # so ours looks the endpoints up lazily (the properties below) instead.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 — the library's attribute names
        return str(provider_configuration()["token_endpoint"])

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return str(provider_configuration()["userinfo_endpoint"])

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return str(provider_configuration()["jwks_uri"])

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not oidc_enabled():
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:  # the provider answered, with an error (a refused code)
            raise SocietySignInError(SignInProblem.PROVIDER_ERROR, str(exc)) from exc
        except requests.RequestException as exc:
            raise SocietySignInError(SignInProblem.PROVIDER_UNAVAILABLE, str(exc)) from exc
        return user

    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        payload["redirect_uri"] = callback_url()
        token: dict[str, Any] = super().get_token(payload)
        return token

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """Check an ID token (or a signed userinfo answer, without ``nonce``) completely."""
        if not token:
            raise SocietySignInError(SignInProblem.INVALID_TOKEN, "no ID token in the token response")
        is_id_token = "nonce" in kwargs
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError as exc:
            raise _token_error(exc) from exc
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SocietySignInError(SignInProblem.INVALID_TOKEN, f"algorithm {algorithm!r}")
        try:
            key = self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, KeyError) as exc:
            raise SocietySignInError(SignInProblem.INVALID_TOKEN, "no matching key in the JWKS") from exc
        required = ["iss", "sub", "aud", "exp", "iat"] if is_id_token else ["sub"]
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_configuration()["issuer"],
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": required, "verify_aud": is_id_token, "verify_iss": is_id_token},
            )
        except jwt.PyJWTError as exc:
            raise _token_error(exc) from exc
        if is_id_token:
            audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
            if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SocietySignInError(SignInProblem.WRONG_AUDIENCE, "azp is not our client id")
            if not constant_time_compare(str(payload.get("nonce") or ""), str(kwargs["nonce"] or "")):
                raise SocietySignInError(SignInProblem.WRONG_NONCE)
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or str(userinfo.get("sub", "")) != str(payload["sub"]):
            raise SocietySignInError(SignInProblem.INVALID_TOKEN, "userinfo names another subject")
        claims = {**payload, **userinfo}
        outcome = sign_in_with_society(
            issuer=provider_configuration()["issuer"],
            claims=claims,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        setattr(self.request, OUTCOME_ATTRIBUTE, outcome)
        return outcome.user
