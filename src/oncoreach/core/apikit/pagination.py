"""Cursor pagination for every API list: keyset ("seek") pages on a stable order.

A page is fetched with one query (``limit + 1`` rows, so no COUNT), and its ``next_cursor`` names
the last row's sort key, signed so it cannot be forged or edited. The order must end with a unique
column (``pk``) and use only non-null columns of the model, so every row has exactly one place.

    page = paginate(request, stories, order=("-date", "-pk"), cursor=query.cursor, limit=query.limit)
    return StoryList(items=[...page.items...], next_cursor=page.next_cursor, next=page.next)

A cursor that is malformed, tampered with, or made for another list is refused with 400
``invalid_cursor``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from oncoreach.core.apikit.errors import ApiError
from oncoreach.core.apikit.params import PAGE_SIZE_DEFAULT

ModelT = TypeVar("ModelT", bound=Model)

CURSOR_SALT = "oncoreach.api.cursor"


class CursorPage(Schema):
    """The paging part of every list response; subclasses add ``items``."""

    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    next: str | None = Field(description="The next page's path and query, or null on the last page.")


@dataclass(frozen=True)
class Page(Generic[ModelT]):
    items: list[ModelT]
    next_cursor: str | None
    next: str | None


def _invalid() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        _("This cursor is not valid here. Use the next_cursor of the previous page as given, or leave it out."),
        details=[
            {"field": "cursor", "location": "query", "code": "invalid_cursor", "message": _("Not a valid cursor.")}
        ],
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _order_fields(model: type[Model], order: Sequence[str]) -> list[tuple[str, bool, Any]]:
    """(attribute, descending, model field) per sort key; checks the order is one we can seek on."""
    if not order or order[-1].lstrip("-") not in ("pk", model._meta.pk.name):  # type: ignore[union-attr]
        raise ValueError("A cursor order must end with the primary key.")
    fields = []
    for key in order:
        name = key.lstrip("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if "__" in name or (field.is_relation and name != "pk") or getattr(field, "null", False):
            raise ValueError(f"{name} cannot be a cursor key: use non-null columns of the model itself.")
        fields.append((name, key.startswith("-"), field))
    return fields


def _after(fields: list[tuple[str, bool, Any]], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order (a lexicographic comparison as OR of ANDs)."""
    condition = Q()
    for index, (name, descending, _field) in enumerate(fields):
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[index]})
        for previous in range(index):
            step &= Q(**{fields[previous][0]: values[previous]})
        condition |= step
    return condition


def _read_cursor(cursor: str, *, scope: str, fields: list[tuple[str, bool, Any]]) -> list[Any]:
    try:
        payload = signing.Signer(salt=CURSOR_SALT).unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise _invalid() from exc
    if not isinstance(payload, dict) or payload.get("s") != scope:
        raise _invalid()
    raw = payload.get("k")
    if not isinstance(raw, list) or len(raw) != len(fields):
        raise _invalid()
    try:
        return [field.to_python(value) for (_name, _desc, field), value in zip(fields, raw, strict=True)]
    except (ValidationError, TypeError, ValueError) as exc:
        raise _invalid() from exc


def _next_link(request: HttpRequest, cursor: str) -> str:
    params = [(key, value) for key, value in request.GET.items() if key != "cursor"]
    params.append(("cursor", cursor))
    return f"{request.path}?{urlencode(params)}"


def paginate(
    request: HttpRequest,
    queryset: QuerySet[ModelT],
    *,
    order: Sequence[str],
    cursor: str | None,
    limit: int = PAGE_SIZE_DEFAULT,
) -> Page[ModelT]:
    """One page of ``queryset`` in ``order``, after ``cursor`` (one query)."""
    fields = _order_fields(queryset.model, order)
    scope = f"{queryset.model._meta.label_lower}:{','.join(order)}"
    rows = queryset.order_by(*order)
    if cursor:
        rows = rows.filter(_after(fields, _read_cursor(cursor, scope=scope, fields=fields)))
    items = list(rows[: limit + 1])
    if len(items) <= limit:
        return Page(items=items, next_cursor=None, next=None)
    items = items[:limit]
    last = items[-1]
    key = [_plain(last.pk if name == "pk" else getattr(last, name)) for name, _desc, _field in fields]
    next_cursor = signing.Signer(salt=CURSOR_SALT).sign_object({"s": scope, "k": key})
    return Page(items=items, next_cursor=next_cursor, next=_next_link(request, next_cursor))
