"""One paginator for every list: bad page numbers fall back instead of failing."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, *, per_page: int = 20) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus ``page``, for building page links that keep filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
