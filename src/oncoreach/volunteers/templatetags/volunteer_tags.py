"""Template filters that word the matching engine's stored explanations (see fit_words)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from oncoreach.volunteers.fit_words import parts_in_words

register = template.Library()


@register.filter
def fit_parts(parts: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """``{% for part in invitation.explanation|fit_parts %}{{ part.text }}`` in the reader's language."""
    return parts_in_words(parts)
