"""Rubric variants: the names other apps give the variants of a stage's rubric. A registry.

A criterion with an empty ``variant`` counts for every application; one with a key counts only for
the applications scored under that key (``Application.rubric_variant``), so one stage can score
IDEA and IDEA-PC applications on different criteria. calls knows no tracks: an app registers a
source (``register_variant_source`` from its ``AppConfig.ready``) that names the variants a call
offers, and sets an application's key through ``services_review.set_rubric_variant``.

Totals stay comparable: a review's weighted total is each score as a share of its criterion's
scale, weighted, over the criteria of the application's variant only, so every variant's total
runs from 0 to 100 and one ranking (and calibration) holds applications of every variant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

VariantSource = Callable[[Any], Iterable[tuple[str, str]]]
_sources: list[VariantSource] = []


def register_variant_source(source: VariantSource) -> None:
    """Register ``source(call) -> [(key, label), …]`` (once, from ``AppConfig.ready``)."""
    if source not in _sources:
        _sources.append(source)


def variant_choices(call: Any) -> list[tuple[str, str]]:
    """The variants the registered sources name for ``call``, by key, each once."""
    found: dict[str, str] = {}
    for source in _sources:
        for key, label in source(call):
            found.setdefault(key, str(label))
    return sorted(found.items())


@dataclass(frozen=True)
class VariantRubric:
    """What the applications of one variant are scored on: how many criteria, of what total weight."""

    key: str
    label: str
    count: int
    total_weight: Decimal


def variant_rubrics(criteria: Sequence[Any], choices: Sequence[tuple[str, str]]) -> list[VariantRubric]:
    """The rubric each variant scores on: the criteria for every application (key "") and, for each
    variant with criteria of its own, those plus its own. ``criteria`` are one stage's."""
    labels = dict(choices)
    common = [c for c in criteria if not c.variant]
    rows = [VariantRubric("", "", len(common), sum((c.weight for c in common), Decimal(0)))]
    for key in sorted({c.variant for c in criteria if c.variant}):
        own = [*common, *(c for c in criteria if c.variant == key)]
        rows.append(VariantRubric(key, labels.get(key, key), len(own), sum((c.weight for c in own), Decimal(0))))
    return rows
