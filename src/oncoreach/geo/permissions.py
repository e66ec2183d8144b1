"""Who may manage countries and income classifications: program staff and administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from oncoreach.geo.models import ClassificationImport, Country
from oncoreach.geo.selectors import classification_imports


def can_manage_income_classification(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_program_staff or user.is_administrator))


def require_classification_staff(*, user: Any) -> None:
    """Deny anyone but program staff and administrators (fetch-or-deny for pages without an object)."""
    if not can_manage_income_classification(user):
        raise PermissionDenied


def get_classification_import_for_staff(*, user: Any, pk: int) -> ClassificationImport:
    require_classification_staff(user=user)
    return get_object_or_404(classification_imports(), pk=pk)


def get_country_for_staff(*, user: Any, iso3: str) -> Country:
    require_classification_staff(user=user)
    return get_object_or_404(Country, iso3=iso3.upper())
