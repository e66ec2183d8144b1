"""While an administrator views the site as someone, nothing can be changed in their name."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import Resolver404, resolve

from oncoreach.accounts.permissions import is_viewing_as

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
STOP_VIEW_NAME = "accounts:view-as-stop"


class ViewAsReadOnlyMiddleware:
    """Refuse every unsafe request (any form, any API call with the session) while viewing as
    someone, except the one that stops it; the refusal page says why and offers that button."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.method not in SAFE_METHODS
            and is_viewing_as(getattr(request, "session", None))
            and not _is_stop(request)
        ):
            return _refuse(request)
        return self.get_response(request)


def _is_stop(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).view_name == STOP_VIEW_NAME
    except Resolver404:
        return False


def _refuse(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/view_as_read_only.html", status=403)
