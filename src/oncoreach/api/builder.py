"""The JSON API object: django-ninja with our error shape, scopes, rate limits, caching headers
and an OpenAPI schema that lists every status code each endpoint can return.

Domain apps write plain ninja routers (``<app>/api.py``); ``api.urls`` mounts them here. What
every endpoint gets without asking:

- an unknown query parameter is refused with 400 ``unknown_parameter`` (a typo in a filter would
  otherwise silently return everything);
- rate limits (``api.ratelimit``);
- successful bodies are built in English, so they do not depend on ``Accept-Language`` and a shared
  cache may keep them; error messages follow ``Accept-Language``;
- ``Cache-Control``: public GETs may be kept by a proxy and revalidated with their ``ETag``, and
  are stored whole in the public page cache until the next publish (``core.cache``); GETs behind
  a token are ``private``; everything else ``no-store``. ``ETag`` and 304 come from
  ``api.middleware``, so they also cover responses the page cache serves.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from oncoreach.api import handlers
from oncoreach.api.ratelimit import ApiRateLimit
from oncoreach.api.scopes import SCOPES
from oncoreach.core.apikit.auth import TokenAuth
from oncoreach.core.apikit.errors import ApiError, ErrorResponse
from oncoreach.core.cache import mark_public

ERROR_CONTENT_NOTE = "The body is the error shape: `{error: {code, message, details}}`."
STANDARD_ERRORS: dict[int, str] = {
    400: "Bad request: an unknown query parameter (`unknown_parameter`), a malformed cursor (`invalid_cursor`), "
    "a year range that ends before it starts (`invalid_year_range`) or a body that is not JSON (`bad_request`).",
    401: "No token, or not a valid one: `not_authenticated`, `invalid_token`, `token_expired`, `token_revoked`, "
    "`account_inactive`.",
    403: "The token lacks the scope (`insufficient_scope`), or its owner may not see this (`permission_denied`).",
    404: "Not found (`not_found`), or not visible to the caller.",
    409: "The change is refused in the current state, with the rule's own code (e.g. `not_accepted`, `too_early`).",
    422: "A value is out of range or in the wrong format (`validation_failed`, with the fields in `details`).",
    429: "Too many requests (`rate_limited`); wait `Retry-After` seconds.",
    500: "An error on our side (`server_error`); it was logged.",
}


def _query_names(operation: Operation) -> frozenset[str]:
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ == "query":
            names.update(getattr(model, "__ninja_flatten_map__", {}) or model.model_fields)
    return frozenset(names)


def required_scope(operation: Operation) -> str | None:
    for callback in operation.auth_callbacks:
        if isinstance(callback, TokenAuth):
            return callback.scope
    return None


def _prepare(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap every operation (django-ninja "view" decorator: before auth and validation)."""
    operation: Operation = run.__self__  # type: ignore[attr-defined]
    allowed = _query_names(operation)
    public = not operation.auth_callbacks

    @functools.wraps(run)
    def operation_with_house_rules(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            error = ApiError(
                400,
                "unknown_parameter",
                _("Unknown query parameter: %(names)s. This endpoint accepts: %(allowed)s."),
                params={"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed)) or "—"},
                details=[
                    {
                        "field": name,
                        "location": "query",
                        "code": "unknown_parameter",
                        "message": _("Not a parameter of this endpoint."),
                    }
                    for name in unknown
                ],
            )
            return operation.api.on_exception(request, error)
        with translation.override(settings.LANGUAGE_CODE):
            response = run(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            if public:
                response["Cache-Control"] = "public, max-age=0, must-revalidate"
                # Only the endpoint's own parameters reach here (others are refused above).
                mark_public(response, query=allowed)
            else:
                response["Cache-Control"] = "private, no-cache"
                patch_vary_headers(response, ("Authorization",))
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response

    return operation_with_house_rules


class OncoreachSchema(OpenAPISchema):
    """django-ninja's schema plus: every status code an operation can return, the scope it needs."""

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details = super().operation_details(operation)
        scope = required_scope(operation)
        if scope:
            details["x-required-scope"] = scope
            note = f"Needs a personal access token with the `{scope}` scope."
            details["description"] = f"{details.get('description', '')}\n\n{note}".strip()
        return details

    def operation_parameters(self, operation: Operation) -> list[dict[str, Any]]:
        """Optional parameters are left out rather than sent as null: drop pydantic's null branch."""
        parameters = super().operation_parameters(operation)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            branches = schema.get("anyOf")
            if branches and {"type": "null"} in branches:
                rest = [branch for branch in branches if branch != {"type": "null"}]
                if len(rest) == 1:
                    del schema["anyOf"]
                    schema.update({key: value for key, value in rest[0].items() if key not in schema})
                else:
                    schema["anyOf"] = rest
        return parameters

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        scope = required_scope(operation)
        if security and scope:
            return [{name: [scope] for name in requirement} for requirement in security]
        return security

    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        result = super().responses(operation)
        error_schema = self._create_schema_from_model(_ErrorWrapper, mode="serialization")[0]  # type: ignore[type-var]
        content = {"application/json": {"schema": error_schema}}
        codes = [400, 422, 429, 500]
        if operation.auth_callbacks:
            codes += [401, 403]
        if "{" in operation.path:
            codes.append(404)
        if set(operation.methods) - {"GET"}:
            codes.append(409)
        for code in sorted(codes):
            if code in result:
                continue
            entry: dict[str, Any] = {"description": f"{STANDARD_ERRORS[code]} {ERROR_CONTENT_NOTE}", "content": content}
            if code == 429:
                entry["headers"] = {"Retry-After": _header("Seconds to wait before trying again.", "integer")}
            if code == 401:
                entry["headers"] = {"WWW-Authenticate": _header("A Bearer challenge (RFC 6750).")}
            result[code] = entry
        if "GET" in operation.methods and 200 in result:
            result[200].setdefault("headers", {}).update(
                {
                    "ETag": _header("Send it back as If-None-Match to get 304 while nothing changed."),
                    "Cache-Control": _header("public for public data, private behind a token."),
                }
            )
            result[304] = {
                "description": "Not modified: the If-None-Match ETag is still current (no body).",
                "headers": {"ETag": _header("The current ETag.")},
            }
        return result


def _header(description: str, kind: str = "string") -> dict[str, Any]:
    return {"description": description, "required": True, "schema": {"type": kind}}


class _ErrorWrapper(Schema):
    response: ErrorResponse


class OncoreachAPI(NinjaAPI):
    """One version of the API (``/api/v1/``)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return OncoreachSchema(api=self, path_prefix=path_prefix)

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def set_default_exception_handlers(self) -> None:
        handlers.install(self)


def build_api(*, routers: list[tuple[str, str]], version: str, description: str) -> OncoreachAPI:
    """The API with the given ``(prefix, "module.router")`` mounts; checks names and scopes."""
    api = OncoreachAPI(
        title=f"{settings.SOCIETY['program_name']} API",
        version=version,
        description=description,
        urls_namespace=f"api-{version}",
        throttle=[ApiRateLimit()],
        # Swagger UI from our own static files (django-ninja ships them; "ninja" is installed),
        # with the validator badge off so the page calls no third party.
        docs=Swagger(settings={"validatorUrl": None, "deepLinking": True, "layout": "BaseLayout"}),
    )
    api.add_decorator(_prepare, mode="view")
    for prefix, router in routers:
        api.add_router(prefix, router)
    _check(api)
    return api


def _check(api: OncoreachAPI) -> None:
    """Fail at start-up, not in production traffic: unique operation ids, known scopes."""
    seen: dict[str, str] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                name = operation.view_func.__name__
                where = f"{operation.view_func.__module__}.{name}"
                if name in seen and seen[name] != where:
                    raise ValueError(f"Two API endpoints are named {name!r}: {seen[name]} and {where}.")
                seen[name] = where
                scope = required_scope(operation)
                if scope is not None and scope not in SCOPES:
                    raise ValueError(f"{where} needs scope {scope!r}, which api.scopes.SCOPES does not list.")
                if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                    raise ValueError(f"API operation names are snake_case: {where}.")
