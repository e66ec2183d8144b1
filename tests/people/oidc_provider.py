"""A real OpenID Connect provider for the single sign-on tests, served over HTTP on loopback.

Built on Authlib's authorization server (the code flow with the OpenID Connect and PKCE
extensions, client authentication, bearer tokens): discovery document, JWKS with an RSA key,
authorization endpoint, token endpoint issuing RS256-signed ID tokens, userinfo endpoint. Our site
talks to it over real HTTP (discovery, JWKS, token, userinfo) exactly as it would to the society's.

Like a person at the society's login page, a test chooses who is signed in there
(``provider.sign_in_as("ana")``), and it can tell the provider to misbehave on purpose for the next
ID tokens (``provider.tamper(aud="someone-else")``, ``provider.tamper(expires_in=-3600)``) to
check that our site refuses what a broken or hostile provider sends.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2 import AuthorizationServer, OAuth2Error, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload, JsonPayload, JsonRequest
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo, UserInfoEndpoint
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey
from requests.structures import CaseInsensitiveDict

PORTS = range(8910, 8920)  # the loopback ports this test provider may use
KEY_ID = "test-signing-key-1"


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    scope: str = "openid email profile"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.scope.split())
        return " ".join(item for item in (scope or "").split() if item in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


@dataclass
class Token:
    client: Client
    user: str
    scope: str
    access_token: str
    issued_at: float
    expires_in: int

    def get_scope(self) -> str:
        return self.scope

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return False

    def get_user(self) -> str:
        return self.user

    def get_client(self) -> Client:
        return self.client


class Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers: CaseInsensitiveDict[str], data: dict[str, str]) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = BasicOAuth2Payload(data)
        self._data = data

    @property
    def args(self) -> dict[str, str]:
        return self._data

    @property
    def form(self) -> dict[str, str]:
        return self._data


class _JsonRequest(JsonRequest):
    def __init__(self, method: str, uri: str, headers: CaseInsensitiveDict[str]) -> None:
        super().__init__(method, uri, headers)
        self.payload = JsonPayload()


class _Server(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, provider: TestProvider) -> None:
        super().__init__(scopes_supported=["openid", "email", "profile"])
        self.provider = provider
        self.register_token_generator(
            "default", BearerTokenGenerator(lambda *args, **kwargs: secrets.token_urlsafe(32))
        )

    def query_client(self, client_id: str) -> Client | None:
        return self.provider.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: Request) -> None:
        self.provider.tokens[token["access_token"]] = Token(
            client=request.client,
            user=request.user,
            scope=token["scope"],
            access_token=token["access_token"],
            issued_at=time.time(),
            expires_in=int(token["expires_in"]),
        )

    def create_oauth2_request(self, request: Any) -> Any:
        return request

    def create_json_request(self, request: Any) -> Any:
        return _JsonRequest(request.method, request.uri, request.headers)

    def handle_response(self, status: int, body: Any, headers: Iterable[tuple[str, str]]) -> tuple[int, Any, list]:
        return status, body, list(headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class _CodeGrant(AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, request: Request) -> None:
        data = request.payload.data
        self.server.provider.codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=data.get("redirect_uri", ""),
            scope=request.scope,
            user=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.provider.codes.get(code)
        return found if found is not None and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> str:
        return authorization_code.user


class _OpenIDCode(OpenIDCode):  # type: ignore[misc]
    def __init__(self, provider: TestProvider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: Request) -> bool:
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": KEY_ID, "typ": "JWT"}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        """The ``iss``/``aud``/``exp`` of the ID token, unless a test told us to misbehave."""
        now = int(time.time())
        tampering = self.provider.tampering
        return {
            "iss": tampering.get("iss", self.provider.issuer),
            "aud": tampering.get("aud", [client.get_client_id()]),
            "iat": now + min(0, tampering.get("expires_in", 0)),
            "exp": now + tampering.get("expires_in", 300),
        }

    def get_authorization_code_claims(self, authorization_code: AuthorizationCode) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_authorization_code_claims(authorization_code)
        if "nonce" in self.provider.tampering:
            claims["nonce"] = self.provider.tampering["nonce"]
        return claims

    def generate_user_info(self, user: str, scope: str) -> UserInfo:
        return self.provider.user_info(user, scope)


class _UserInfo(UserInfoEndpoint):  # type: ignore[misc]
    def __init__(self, provider: TestProvider, resource_protector: ResourceProtector) -> None:
        super().__init__(resource_protector=resource_protector)
        self.provider = provider

    def __call__(self, request: Request) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        # Authlib's endpoint asks a framework's protector for the current request; ask ours directly.
        token = self.resource_protector.validate_request(["openid"], request)
        return 200, dict(self.generate_user_info(token.get_user(), token.get_scope())), []

    def get_issuer(self) -> str:
        return self.provider.issuer

    def generate_user_info(self, user: str, scope: str) -> UserInfo:
        return self.provider.user_info(user, scope)

    def resolve_private_key(self) -> RSAKey:
        return self.provider.key


class _Bearer(BearerTokenValidator):  # type: ignore[misc]
    def __init__(self, provider: TestProvider) -> None:
        super().__init__()
        self.provider = provider

    def authenticate_token(self, token_string: str) -> Token | None:
        return self.provider.tokens.get(token_string)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = False


class TestProvider:
    """The society's identity provider, as far as our site can tell. Start with ``start()``."""

    __test__ = False  # not a pytest test class

    def __init__(self, *, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        self.clients = {client_id: Client(client_id, client_secret, [redirect_uri])}
        self.users: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}
        self.signed_in: str | None = None
        self.tampering: dict[str, Any] = {}
        self.requests: list[str] = []  # "METHOD /path" of every request, for the tests
        self.port = 0
        self._httpd: _ThreadingServer | None = None
        self.server = _Server(self)
        self.server.register_grant(_CodeGrant, [_OpenIDCode(self), CodeChallenge(required=True)])
        protector = ResourceProtector()
        protector.register_token_validator(_Bearer(self))
        self.server.register_endpoint(_UserInfo(self, protector))

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what a test does --------------------------------------------------------------------

    def add_user(self, login: str, **claims: Any) -> str:
        """A person with an account at the society; returns their stable subject identifier."""
        subject = claims.pop("sub", None) or f"society-{secrets.token_hex(6)}"
        self.users[login] = {"sub": subject, **claims}
        return subject

    def update_user(self, login: str, **claims: Any) -> None:
        self.users[login].update(claims)

    def sign_in_as(self, login: str | None) -> None:
        self.signed_in = login

    def tamper(self, **what: Any) -> None:
        """Misbehave in every ID token from now on: ``aud``, ``iss``, ``nonce``, ``expires_in``."""
        self.tampering = dict(what)

    def reset(self) -> None:
        self.users.clear()
        self.codes.clear()
        self.tokens.clear()
        self.signed_in = None
        self.tampering = {}
        self.requests.clear()

    def user_info(self, login: str, scope: str) -> UserInfo:
        claims = self.users[login]
        return UserInfo(claims).filter(scope)

    # --- HTTP ------------------------------------------------------------------------------------

    def start(self) -> TestProvider:
        for port in PORTS:
            try:
                self._httpd = make_server(
                    "127.0.0.1", port, self.wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler
                )
            except OSError:
                continue
            self.port = port
            break
        else:
            raise RuntimeError(f"no free port for the test OpenID Connect provider in {PORTS}")
        threading.Thread(target=self._httpd.serve_forever, name="test-oidc-provider", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        self.requests.append(f"{method} {path}")
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        form: dict[str, str] = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = dict(parse_qsl(environ["wsgi.input"].read(length).decode(), keep_blank_values=True))
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(
            {key[5:].replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")}
        )
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        uri = f"{self.issuer}{path}" + (f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else "")
        request = Request(method, uri, headers, {**query, **form})
        status, body, response_headers = self._route(method, path, request)
        if isinstance(body, dict):
            body = json.dumps(body)
            response_headers = [*response_headers, ("Content-Type", "application/json")]
        payload = (body or "").encode()
        start_response(f"{status} {'OK' if status < 400 else 'Error'}", [*response_headers])
        return [payload]

    def _route(self, method: str, path: str, request: Request) -> tuple[int, Any, list[tuple[str, str]]]:
        if path == "/.well-known/openid-configuration":
            return 200, self.discovery_document(), []
        if path == "/jwks":
            return 200, {"keys": [self.key.as_dict(private=False)]}, []
        if path == "/authorize" and method == "GET":
            return self._authorize(request)
        if path == "/token" and method == "POST":
            return self.server.create_token_response(request)  # type: ignore[no-any-return]
        if path == "/userinfo":
            return self.server.create_endpoint_response("userinfo", request)  # type: ignore[no-any-return]
        return 404, {"error": "not_found"}, []

    def _authorize(self, request: Request) -> tuple[int, Any, list[tuple[str, str]]]:
        try:
            grant = self.server.get_consent_grant(request, end_user=self.signed_in)
        except OAuth2Error as error:
            return self.server.handle_error_response(request, error)  # type: ignore[no-any-return]
        # The person is signed in at the society and agrees (or, with nobody signed in, refuses).
        return self.server.create_authorization_response(  # type: ignore[no-any-return]
            request=request, grant_user=self.signed_in, grant=grant
        )

    def discovery_document(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["sub", "email", "email_verified", "given_name", "family_name", "name", "locale"],
            "code_challenge_methods_supported": ["S256"],
        }


def free_port_available() -> bool:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return True
    return False
