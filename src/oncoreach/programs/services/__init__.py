"""Writes for the form engine: answers (save, freeze) in ``answers``, the staff form builder
(versions, questions) in ``builder``."""

from oncoreach.programs.services.answers import (
    ResponseSetFrozen,
    create_form_definition,
    freeze_response_set,
    save_answers,
)
from oncoreach.programs.services.builder import (
    create_form,
    delete_question,
    editable_version,
    move_question,
    save_question,
    update_form,
)

__all__ = [
    "ResponseSetFrozen",
    "create_form",
    "create_form_definition",
    "delete_question",
    "editable_version",
    "freeze_response_set",
    "move_question",
    "save_answers",
    "save_question",
    "update_form",
]
