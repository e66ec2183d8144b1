"""Exception handlers: whatever goes wrong inside an endpoint leaves as the one error shape.

Domain code raises what it already raises (``Http404``, ``PermissionDenied``, Django's
``ValidationError`` from services) or ``core.apikit.ApiError``; django-ninja raises its own for
bad input, failed authentication and rate limits. Messages are rendered in the client's language
(``Accept-Language``), while successful bodies are language-neutral (``api.builder``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from oncoreach.core.apikit.auth import bearer_challenge
from oncoreach.core.apikit.errors import ApiError, error_body

logger = logging.getLogger("django.request")

STATUS_CODES: dict[int, tuple[str, Promise]] = {
    400: ("bad_request", _("The request could not be read.")),
    401: ("not_authenticated", _("This endpoint needs a personal access token.")),
    403: ("permission_denied", _("You may not do this.")),
    404: ("not_found", _("There is nothing at this address.")),
    405: ("method_not_allowed", _("This address does not accept this method.")),
    406: ("not_acceptable", _("This API answers in JSON only.")),
    409: ("conflict", _("This cannot be done in the current state; see details.")),
    413: ("payload_too_large", _("The request body is too large.")),
    415: ("unsupported_media_type", _("Send the request body as JSON.")),
    422: ("validation_failed", _("Some values are not valid; see details.")),
    429: ("rate_limited", _("Too many requests. Wait as long as Retry-After says, then try again.")),
    500: ("server_error", _("Something went wrong on our side. It was logged; try again later.")),
}

# Messages for pydantic's error types, so a refused field gets a sentence people understand.
FIELD_MESSAGES: dict[str, Promise] = {
    "missing": _("This field is required."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "bool_parsing": _("Enter true or false."),
    "bool_type": _("Enter true or false."),
    "greater_than_equal": _("Enter a value of at least %(ge)s."),
    "less_than_equal": _("Enter a value of at most %(le)s."),
    "greater_than": _("Enter a value greater than %(gt)s."),
    "less_than": _("Enter a value less than %(lt)s."),
    "string_too_short": _("Enter at least %(min_length)s characters."),
    "string_too_long": _("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": _("This value is not in the expected format."),
    "string_type": _("Enter text."),
    "literal_error": _("Choose one of: %(expected)s."),
    "enum": _("Choose one of: %(expected)s."),
    "extra_forbidden": _("This field is not expected."),
    "model_type": _("Send a JSON object."),
    "dict_type": _("Send a JSON object."),
    "json_invalid": _("This is not valid JSON."),
}


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str | Promise,
    *,
    details: Sequence[Mapping[str, Any]] = (),
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The one error shape, rendered in the client's language, never stored by a cache."""
    with translation.override(_language(request)):
        body = error_body(code, message, details, params)
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401 and not response.has_header("WWW-Authenticate"):
        response["WWW-Authenticate"] = bearer_challenge()
    return response


def _field_message(error: Mapping[str, Any]) -> str:
    template = FIELD_MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    context = error.get("ctx") or {}
    try:
        return str(template) % dict(context.items()) if "%(" in str(template) else str(template)
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def _validation_details(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    details = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        source = location[0] if location else None
        field = ".".join(location[1:]) or None
        details.append(
            {
                "field": field,
                "location": source,
                "code": str(error.get("type", "invalid")),
                "message": _field_message(error),
            }
        )
    return details


def _django_validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {
                "field": None if field == "__all__" else field,
                "location": "body",
                "code": error.code or "invalid",
                "message": " ".join(str(message) for message in error.messages),
            }
            for field, errors in exc.error_dict.items()
            for error in errors
        ]
    return [
        {"field": None, "location": None, "code": error.code or "invalid", "message": " ".join(error.messages)}
        for error in exc.error_list
    ]


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` (replacing django-ninja's defaults)."""

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(
            request, exc.status, exc.code, exc.message, details=exc.details, params=exc.params, headers=exc.headers
        )

    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        with translation.override(_language(request)):
            details = _validation_details(exc.errors)
        code, message = STATUS_CODES[422]
        return error_response(request, 422, code, message, details=details)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        headers: dict[str, str] = {}
        if isinstance(exc, Throttled):
            headers["Retry-After"] = str(getattr(request, "rate_limit_wait", None) or exc.wait or 60)
        status = 401 if isinstance(exc, AuthenticationError) else exc.status_code
        code, message = STATUS_CODES.get(status, ("http_error", _("The request failed.")))
        return error_response(request, status, code, message, headers=headers)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(
            request, 404, "not_found", _("Not found: nothing here has this identifier, or you may not see it.")
        )

    def denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(request, 403, "permission_denied", _("This token's owner may not see or do this."))

    def rule_violated(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        """A service refused: a value of a field (422), or the object's state (409 Conflict, e.g.
        attendance before the course started), with the service's own code."""
        with translation.override(_language(request)):
            details = _django_validation_details(exc)
        status = 422 if hasattr(exc, "error_dict") else 409
        codes = {detail["code"] for detail in details}
        code = codes.pop() if len(codes) == 1 and "invalid" not in codes else STATUS_CODES[status][0]
        message = details[0]["message"] if len(details) == 1 else STATUS_CODES[status][1]
        return error_response(request, status, code, message, details=details)

    def crashed(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("API error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request})
        code, message = STATUS_CODES[500]
        return error_response(request, 500, code, message)

    api.add_exception_handler(ApiError, api_error)  # type: ignore[arg-type]
    api.add_exception_handler(NinjaValidationError, invalid_input)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, not_found)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, denied)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, rule_violated)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, crashed)  # type: ignore[arg-type]
