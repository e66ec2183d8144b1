"""Request-wide rules for ``/api/`` (outermost middleware, so it also sees page-cache hits):

- every error leaves in the one error shape, including those raised before django-ninja sees the
  request (an unknown path: 404; a method the path does not take: 405 with ``Allow``; a crash
  outside an endpoint: 500);
- every successful GET carries a strong ``ETag`` (a hash of the body), and a matching
  ``If-None-Match`` gets 304 with no body;
- successful bodies depend neither on the reader's language nor on cookies (the API knows only
  tokens), so they do not vary by them.

``LocaleMiddleware`` below replaces Django's: it would answer a 404 under ``/api/`` with a redirect
to ``/en/api/…``, as it does for the pages under ``i18n_patterns``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers

from oncoreach.api.handlers import STATUS_CODES, error_response
from oncoreach.core.cache import content_etag
from oncoreach.core.middleware import is_conditional

API_PREFIX = "/api/"
NOT_VARYING = {"accept-language", "cookie"}
Handler = Callable[[HttpRequest], HttpResponseBase]


def _is_json(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            response = self._as_error(request, response)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            if not response.has_header("ETag"):
                response["ETag"] = content_etag(response.content)  # type: ignore[attr-defined]
            if is_conditional(request):
                conditional = get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[arg-type]
                response = conditional or response
        if response.status_code < 400:
            response["Content-Language"] = settings.LANGUAGE_CODE  # bodies are built in it (api.builder)
        if response.status_code < 400 and response.has_header("Vary"):
            kept = [value.strip() for value in response["Vary"].split(",") if value.strip().lower() not in NOT_VARYING]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response

    @staticmethod
    def _as_error(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        status = response.status_code
        code, message = STATUS_CODES.get(status, ("http_error", STATUS_CODES[400][1]))
        headers = {name: response[name] for name in ("Allow", "Retry-After") if response.has_header(name)}
        return error_response(request, status, code, message, headers=headers)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a path under ``/api/`` is never redirected to a language prefix (the
    API has none): its 404 stays a 404. The language still comes from ``Accept-Language``."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", getattr(request, "LANGUAGE_CODE", ""))
            return response
        return super().process_response(request, response)  # type: ignore[arg-type]
