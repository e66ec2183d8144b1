"""One paginator for every list: bad page numbers fall back instead of failing."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, *, per_page: int = 20, param: str = "page") -> Page:
    """``param`` names the page parameter, for a page with two lists paged apart."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


def query_without_page(request: HttpRequest, *, param: str = "page") -> str:
    """The current query string minus ``param``, for building page links that keep filters."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
