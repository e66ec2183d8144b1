"""Answers: save a draft's answers, freeze a submitted response, make a form in code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from oncoreach.core.files import delete_file_on_commit, original_file_name
from oncoreach.programs.enums import QuestionKind
from oncoreach.programs.logic import effective_audiences
from oncoreach.programs.models import Answer, FormDefinition, FormVersion, Question, ResponseSet
from oncoreach.programs.selectors import current_version, group_columns, live_snapshot, version_items
from oncoreach.programs.services.builder import check_version, new_question


class ResponseSetFrozen(ValidationError):  # noqa: N818 — reads as the domain says it
    """The answers were frozen at submission: nothing may change them any more."""

    def __init__(self, response_set: ResponseSet, frozen_at: dt.datetime | None = None) -> None:
        when = frozen_at or response_set.frozen_at or timezone.now()
        super().__init__(
            _("These answers were submitted on %(date)s and can no longer be changed.")
            % {"date": formats.date_format(timezone.localtime(when), "DATE_FORMAT")},
            code="frozen",
        )
        self.response_set = response_set


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def answer_snapshot(question: Question, audiences: frozenset[str]) -> tuple[str, dict[str, Any]]:
    """What an answer keeps of its question, in the active language: its text and the rest."""
    kept: dict[str, Any] = {
        "kind": question.kind,
        "language": _language(),
        "choices": dict(question.choice_pairs),
        "currency": question.currency,
        "audiences": sorted(audiences),
    }
    if question.kind == QuestionKind.GROUP:
        kept["columns"] = [
            {"key": c.key, "label": c.label, "kind": c.kind, "choices": dict(c.choices)}
            for c in group_columns(question)
        ]
    return question.label, kept


def _lock(response_set: ResponseSet) -> ResponseSet:
    """The row, locked for this transaction; refuses a frozen one."""
    locked = ResponseSet.objects.select_for_update().get(pk=response_set.pk)
    if locked.frozen_at is not None:
        raise ResponseSetFrozen(response_set, locked.frozen_at)
    return locked


@transaction.atomic
def save_answers(
    *, response_set: ResponseSet, values: Mapping[str, Any], files: Mapping[str, UploadedFile] | None = None
) -> ResponseSet:
    """Store answers by field name (idempotent: saving the same values twice changes nothing).

    Each answer also keeps its question's key, text and choice labels in the language shown
    now. The first save records the version answered. Raises ResponseSetFrozen once frozen.
    """
    locked = _lock(response_set)
    version = locked.version or current_version(locked.form)
    items = version_items(version)
    audiences = effective_audiences(items)
    by_name = {item.field_name: item for item in items if item.kind != QuestionKind.SECTION}
    existing = {answer.question_id: answer for answer in locked.answers.all()}
    for name, value in values.items():
        question = by_name.get(name)
        if question is None or question.kind == QuestionKind.FILE:
            continue
        label, kept = answer_snapshot(question, audiences[question.key])
        answer = existing.get(question.pk)
        if answer is None:
            Answer.objects.create(
                response_set=locked,
                question=question,
                question_key=question.key,
                question_label=label,
                question_snapshot=kept,
                value=value,
            )
        elif (answer.value, answer.question_label, answer.question_snapshot) != (value, label, kept):
            answer.value, answer.question_label, answer.question_snapshot = value, label, kept
            answer.question_key = question.key
            answer.save(update_fields=["value", "question_key", "question_label", "question_snapshot", "updated_at"])
    for name, upload in (files or {}).items():
        question = by_name.get(name)
        if question is None or question.kind != QuestionKind.FILE or not isinstance(upload, UploadedFile):
            continue
        answer = existing.get(question.pk) or Answer(response_set=locked, question=question)
        replaced = answer.file.name if answer.file else ""
        answer.file.save(upload.name or "upload", upload, save=False)  # under a random name
        answer.file_name = original_file_name(upload.name)
        answer.value = None
        answer.question_key = question.key
        answer.question_label, answer.question_snapshot = answer_snapshot(question, audiences[question.key])
        answer.save()
        if replaced:
            delete_file_on_commit(answer.file.storage, replaced)
    ResponseSet.objects.filter(pk=locked.pk).update(updated_at=timezone.now(), version=version, language=_language())
    response_set.version, response_set.language = version, _language()
    return response_set


@transaction.atomic
def freeze_response_set(*, response_set: ResponseSet, now: dt.datetime | None = None) -> ResponseSet:
    """Freeze the answers at submission: record the version and language, and store a snapshot of
    every question shown with its answer (in the language the person used), so the response
    renders the same forever whatever happens to the form later. Sets ``submitted_at`` when it
    is still empty. Afterwards ``save_answers`` raises ResponseSetFrozen; so does freezing twice.
    The caller checks completeness first (``missing_required``)."""
    now = now or timezone.now()
    locked = _lock(response_set)
    locked.version = locked.version or current_version(locked.form)
    locked.language = locked.language or _language()
    with translation.override(locked.language):
        snapshot = live_snapshot(locked, sniff_files=True, as_answered=True, include_detached=False)
    locked.snapshot = snapshot
    locked.frozen_at = now
    locked.submitted_at = locked.submitted_at or now
    locked.save(update_fields=["version", "language", "snapshot", "frozen_at", "submitted_at", "updated_at"])
    for attribute in ("version", "language", "snapshot", "frozen_at", "submitted_at", "updated_at"):
        setattr(response_set, attribute, getattr(locked, attribute))
    return response_set


@transaction.atomic
def create_form_definition(*, name: str, questions: list[Mapping[str, Any]], description: str = "") -> FormDefinition:
    """Create a form (version 1) with its questions in code (tests, demo data, default forms);
    staff use the form builder.

    Each question is a mapping of Question fields, e.g. ``{"kind": "long_text", "label": "Why?",
    "max_words": 300}``: ``label``/``help_text`` set the English text, ``labels``/``help_texts``
    every language; ``key`` defaults to one made from the English label; ``order`` to the position
    in the list; a group lists its ``columns`` the same way. The whole form is checked as the
    builder checks it (keys, conditions, choices, currencies) and nothing is saved if it fails.
    """
    form_definition = FormDefinition(name=name, description=description)
    form_definition.full_clean()
    form_definition.save()
    version = FormVersion.objects.create(form=form_definition, number=1)
    for position, given in enumerate(questions):
        spec = dict(given)
        columns = spec.pop("columns", [])
        group = new_question(version=version, spec={"order": position, **spec}, taken=_keys(version, None))
        for column_position, column_spec in enumerate(columns):
            new_question(
                version=version,
                spec={"order": column_position, **column_spec},
                parent=group,
                taken=_keys(version, group),
            )
    check_version(version)
    return form_definition


def _keys(version: FormVersion, parent: Question | None) -> set[str]:
    return set(Question.objects.filter(version=version, parent=parent).values_list("key", flat=True))
