"""Staff edit a call's stages one at a time: add, change, move up or down, remove.

Each edit rebuilds the call's whole list of stages and hands it to ``services_setup.set_stages``,
so the lifecycle rules (``enums.validate_stages``) and the locks of stages already in use have one
home; a refusal is a ValidationError and nothing is written. Every edit is audited and bumps the
public pages' generation (they show the deadline).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.calls.enums import StageKind
from oncoreach.calls.models import Call, CallStage
from oncoreach.calls.services_setup import StageSetup, set_stages, stage_setup_for
from oncoreach.core.cache import bump_public_generation
from oncoreach.core.services import record_audit


def _current(call: Call) -> list[StageSetup]:
    stages = CallStage.objects.select_related("form").filter(call=call).order_by("order", "id")
    return [stage_setup_for(stage) for stage in stages]


def _position(items: list[StageSetup], key: str) -> int:
    for position, item in enumerate(items):
        if item.key == key:
            return position
    raise ValidationError({"stages": _("This call has no such stage.")}, code="no_such_stage")


def _save(call: Call, items: list[StageSetup], actor: Any, action: str, key: str) -> list[CallStage]:
    stages = set_stages(call=call, stages=items)
    record_audit(actor=actor, action=f"calls.stage.{action}", target=call, stage=key, stages=[i.key for i in items])
    transaction.on_commit(bump_public_generation)
    return stages


@transaction.atomic
def add_stage(*, call: Call, setup: StageSetup, actor: Any) -> CallStage:
    """A new stage at the end (before the decision stage, which stays last)."""
    items = _current(call)
    if any(item.key == setup.key for item in items):
        raise ValidationError({"key": _("Another stage of this call has this key.")}, code="duplicate_key")
    at = len(items)
    if items and items[-1].kind == StageKind.DECISION and setup.kind != StageKind.DECISION:
        at -= 1
    items.insert(at, setup)
    stages = _save(call, items, actor, "add", setup.key)
    return stages[at]


@transaction.atomic
def update_stage(*, call: Call, key: str, setup: StageSetup, actor: Any) -> CallStage:
    """Change one stage's settings (its key stays: other parts of the platform use it)."""
    items = _current(call)
    at = _position(items, key)
    items[at] = replace(setup, key=key)
    return _save(call, items, actor, "update", key)[at]


@transaction.atomic
def move_stage(*, call: Call, key: str, up: bool, actor: Any) -> list[CallStage]:
    """Swap a stage with the one before (``up``) or after it; at either end, nothing moves."""
    items = _current(call)
    at = _position(items, key)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(items):
        return list(CallStage.objects.filter(call=call).order_by("order", "id"))
    items[at], items[other] = items[other], items[at]
    return _save(call, items, actor, "move_up" if up else "move_down", key)


@transaction.atomic
def remove_stage(*, call: Call, key: str, actor: Any) -> None:
    items = _current(call)
    items.pop(_position(items, key))
    _save(call, items, actor, "remove", key)
