"""The default forms of a course: registration questions, follow-up, evaluation and the
one-year impact survey. The society edits them in the admin; the code only makes the first ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oncoreach.programs.forms_engine import create_form_definition
from oncoreach.programs.models import FormDefinition

REGISTRATION_FORM = "Course registration"
FOLLOW_UP_FORM = "Course follow-up: travel and dietary needs"
EVALUATION_FORM = "Course evaluation"
IMPACT_FORM = "Course one-year follow-up"
RATING_CHOICES = [[str(n), str(n)] for n in range(1, 6)]


def _form(name: str, questions: list[Mapping[str, Any]]) -> FormDefinition:
    existing = FormDefinition.objects.filter(name=name).first()
    return existing or create_form_definition(name=name, questions=questions)


def default_registration_form() -> FormDefinition:
    return _form(
        REGISTRATION_FORM,
        [
            {"kind": "long_text", "label": "Why do you want to attend this course?", "max_words": 200},
            {"kind": "short_text", "label": "Your current position", "required": False},
        ],
    )


def default_follow_up_form() -> FormDefinition:
    return _form(
        FOLLOW_UP_FORM,
        [
            {"kind": "long_text", "label": "Travel plans (arrival and departure)", "required": False},
            {"kind": "short_text", "label": "Dietary needs", "required": False},
        ],
    )


def default_evaluation_form() -> FormDefinition:
    return _form(
        EVALUATION_FORM,
        [
            {"kind": "single_choice", "label": "Overall, how useful was the course? (1–5)", "choices": RATING_CHOICES},
            {"kind": "single_choice", "label": "How good was the teaching? (1–5)", "choices": RATING_CHOICES},
            {"kind": "long_text", "label": "What would you improve?", "required": False},
        ],
    )


#: Order of the impact questions: the answers are copied into the registration's figures.
IMPACT_ORDER = ("practice_changed", "tumor_boards_started", "colleagues_trained", "story")


def impact_survey_form() -> FormDefinition:
    return _form(
        IMPACT_FORM,
        [
            {"kind": "yes_no", "label": "Did the course change how you practise?"},
            {"kind": "number", "label": "How many tumor boards have you started since?"},
            {"kind": "number", "label": "How many colleagues have you trained since?"},
            {"kind": "long_text", "label": "Tell us what changed", "required": False, "max_words": 300},
        ],
    )
