"""Figures formatted for the reader's language (6,005 in English, 6.005 in Spanish)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure_value(value: int | Decimal | None) -> str:
    """A whole number with the reader's grouping; a ratio or hours with one decimal at most."""
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return number_format(value, decimal_pos=1, force_grouping=True)
    return number_format(int(value), force_grouping=True)


@register.filter
def value_of(values: Mapping[str, Any], key: str) -> Any:
    return values.get(key)
