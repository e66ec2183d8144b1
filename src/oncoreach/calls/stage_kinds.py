"""What an app adds to a kind of stage: a registry of behaviours, keyed by StageKind.

Calls knows what every kind means for an application's status (``enums.transitions_for``) and
who acts there (``roles``). An app above calls (awards: committee ranking, interview booking)
adds behaviour to a kind without calls importing it:

- ``on_enter(application=, stage=, actor=)`` runs inside ``transition_application``'s
  transaction when an application enters a stage of that kind (queue work with on_commit);
- ``staff_links(stage=)`` returns (label, url) pairs shown with the stage on the staff pages
  (the app's own pages for that stage: a ranking, an interview calendar).

``register_stage_behaviour`` is called from the app's ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oncoreach.calls.enums import StageKind

OnEnter = Callable[..., None]
StaffLinks = Callable[..., list[tuple[str, str]]]


@dataclass(frozen=True)
class StageBehaviour:
    name: str
    kind: str
    on_enter: OnEnter | None = None
    staff_links: StaffLinks | None = None


_behaviours: dict[str, dict[str, StageBehaviour]] = {}


def register_stage_behaviour(behaviour: StageBehaviour) -> None:
    """Add (or replace, by kind and name) a behaviour."""
    if behaviour.kind not in StageKind.values:
        raise ValueError(f"Unknown stage kind {behaviour.kind!r}")
    _behaviours.setdefault(behaviour.kind, {})[behaviour.name] = behaviour


def unregister_stage_behaviour(*, kind: str, name: str) -> None:
    _behaviours.get(kind, {}).pop(name, None)


def behaviours_for(kind: str) -> list[StageBehaviour]:
    return list(_behaviours.get(kind, {}).values())


def run_on_enter(*, application: Any, stage: Any, actor: Any) -> None:
    for behaviour in behaviours_for(stage.kind):
        if behaviour.on_enter is not None:
            behaviour.on_enter(application=application, stage=stage, actor=actor)


def staff_links_for(stage: Any) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for behaviour in behaviours_for(stage.kind):
        if behaviour.staff_links is not None:
            links.extend(behaviour.staff_links(stage=stage))
    return links
