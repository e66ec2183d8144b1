"""What every domain ``api.py`` needs: the error shape, typed parameters, cursor pagination and
token scopes. The ``api`` app (top layer) mounts the routers and turns these into responses;
docs/api.md shows how to add endpoints."""

from oncoreach.core.apikit.auth import TokenAuth, TokenRequest, token_user
from oncoreach.core.apikit.errors import ApiError, ErrorResponse
from oncoreach.core.apikit.links import site_url
from oncoreach.core.apikit.pagination import CursorPage, Page, paginate
from oncoreach.core.apikit.params import Cursor, FiscalYear, Id, Iso3, Limit, SearchText, Slug, Year

__all__ = [
    "ApiError",
    "Cursor",
    "CursorPage",
    "ErrorResponse",
    "FiscalYear",
    "Id",
    "Iso3",
    "Limit",
    "Page",
    "SearchText",
    "Slug",
    "TokenAuth",
    "TokenRequest",
    "Year",
    "paginate",
    "site_url",
    "token_user",
]
