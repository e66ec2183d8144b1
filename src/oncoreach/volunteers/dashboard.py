"""Panels other apps add to the volunteer dashboard, so this app never imports them.

Apps above volunteers (workshops, mentoring, calls) register a panel in ``AppConfig.ready``;
the dashboard renders each panel that returns something for the signed-in volunteer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from oncoreach.people.models import Person


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelBuilder = Callable[..., Panel | None]
_panels: dict[str, PanelBuilder] = {}


def register_panel(name: str, builder: PanelBuilder) -> None:
    """Register ``builder(*, request, person) -> Panel | None`` once under ``name``."""
    _panels[name] = builder


def panels_for(*, request: HttpRequest, person: Person) -> list[Panel]:
    built = [builder(request=request, person=person) for builder in _panels.values()]
    return sorted((panel for panel in built if panel is not None), key=lambda panel: panel.order)
