"""More dimensions for the balance of a ranking's shortlist: a registry that apps add to.

Calls counts the shortlist by region, income group, country and career stage itself
(``selectors_ranking``). An app above calls adds a dimension it owns (awards: the track, IDEA or
IDEA-PC) without calls importing it: ``values(application_ids)`` returns application id → the
group's label, in one query whatever the number of applications; applications it leaves out are
not counted in that dimension, and a dimension with no value for any shortlisted application is
not shown. Registered from the app's ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.utils.functional import Promise

Values = Callable[[Collection[int]], dict[int, str]]


@dataclass(frozen=True)
class BalanceDimension:
    name: str
    label: str | Promise
    values: Values


_dimensions: dict[str, BalanceDimension] = {}


def register_balance_dimension(dimension: BalanceDimension) -> None:
    """Add (or replace, by name) a dimension."""
    _dimensions[dimension.name] = dimension


def balance_dimensions() -> list[BalanceDimension]:
    return list(_dimensions.values())
