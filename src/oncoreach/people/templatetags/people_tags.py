"""Template filters for people facts shown in words."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from oncoreach.people.enums import language_name, language_names

register = template.Library()


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    """``{{ slot.required_language|language_name }}`` → "French" (in the reader's language)."""
    return language_name(code or "")


@register.filter(name="language_names")
def language_names_filter(codes: Iterable[str] | None) -> str:
    """``{{ course.languages|language_names }}`` → "English, French" (never the codes)."""
    return ", ".join(language_names(codes or []))
