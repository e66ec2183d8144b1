"""Reads for the form engine: versions and their questions, a response's answers (as typed values,
by key, and as what one audience may see), and the staff form builder's lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from oncoreach.core.files import original_file_name
from oncoreach.programs.enums import Audience, QuestionKind
from oncoreach.programs.logic import (
    Column,
    Money,
    answer_labels,
    audience_may_see,
    cell_text,
    condition_in_words,
    decimal_or_none,
    effective_audiences,
    format_money,
    group_text,
    group_total,
    is_empty,
    money_column,
    non_empty_rows,
    rows_text,
    section_keys,
    visible_keys,
)
from oncoreach.programs.models import Answer, FormDefinition, FormVersion, Question, ResponseSet
from oncoreach.programs.permissions import can_build_forms

# --- Versions and their questions -------------------------------------------------------------


def current_version(form: FormDefinition) -> FormVersion | None:
    """The form's newest version: the one new responses and drafts answer."""
    return FormVersion.objects.filter(form=form).order_by("-number").first()


def version_for(response_set: ResponseSet) -> FormVersion | None:
    """The version a response answers: its own once recorded, else the form's current one."""
    if response_set.version_id is not None:
        return response_set.version
    return current_version(response_set.form)


def version_items(version: FormVersion | None) -> list[Question]:
    """A version's top-level items in order (sections, questions, groups), each group with its
    columns in ``column_list`` (two queries)."""
    if version is None:
        return []
    columns = Question.objects.order_by("order", "id")
    return list(
        Question.objects.filter(version=version, parent__isnull=True)
        .order_by("order", "id")
        .prefetch_related(Prefetch("columns", queryset=columns, to_attr="column_list"))
    )


def questions_for(form_definition: FormDefinition) -> list[Question]:
    """The current version's items, in order."""
    return version_items(current_version(form_definition))


def version_is_locked(version: FormVersion) -> bool:
    """True once a response to this version was submitted: then edits make a new version."""
    answered = Q(version=version)
    if not FormVersion.objects.filter(form_id=version.form_id, number__gt=version.number).exists():
        answered |= Q(version__isnull=True, form_id=version.form_id)
    return ResponseSet.objects.filter(answered, submitted_at__isnull=False).exists()


def group_columns(group: Question) -> list[Column]:
    """A group's columns as shown (labels in the reader's language)."""
    columns = getattr(group, "column_list", None)
    if columns is None:
        columns = list(group.columns.order_by("order", "id"))
    return [Column(key=c.key, label=c.label, kind=c.kind, choices=dict(c.choice_pairs)) for c in columns]


# --- A response's answers ---------------------------------------------------------------------


def _value_of(answer: Answer) -> Any:
    return original_file_name(answer.file_name or answer.file.name) if answer.file else answer.value


def answer_values(items: Sequence[Question], answers: Sequence[Answer]) -> dict[str, Any]:
    """The stored answers by question key (file answers: the file's name)."""
    by_question = {answer.question_id: answer for answer in answers if answer.question_id}
    return {item.key: _value_of(by_question[item.pk]) for item in items if item.pk in by_question}


def is_answered(item: Question, answer: Answer | None) -> bool:
    if answer is None:
        return False
    if item.kind == QuestionKind.FILE:
        return bool(answer.file)
    if item.kind == QuestionKind.GROUP:
        return bool(non_empty_rows(answer.value))
    return not is_empty(answer.value)


def missing_required(*, response_set: ResponseSet, audience: str = Audience.APPLICANT) -> list[Question]:
    """Required questions without an answer, in form order. Questions hidden by their condition
    (or by their section's), and questions for another audience, are never missing."""
    items = version_items(version_for(response_set))
    answers = list(response_set.answers.all())
    by_question = {answer.question_id: answer for answer in answers if answer.question_id}
    visible = visible_keys(items, answer_values(items, answers))
    audiences = effective_audiences(items)
    return [
        item
        for item in items
        if item.required
        and item.kind != QuestionKind.SECTION
        and item.key in visible
        and audience in audiences[item.key]
        and not is_answered(item, by_question.get(item.pk))
    ]


def file_kind(answer: Answer) -> str:
    """ "pdf", "image" or "" for an answer's file, judged by its first bytes (its name may lie)."""
    if not answer.file:
        return ""
    try:
        with answer.file.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return ""
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    return ""


def _choices_shown(item: Question, answer: Answer | None, *, as_answered: bool) -> dict[str, str]:
    if as_answered and answer is not None and answer.question_snapshot.get("choices"):
        return dict(answer.question_snapshot["choices"])
    return dict(item.choice_pairs)


def snapshot_item(
    item: Question,
    answer: Answer | None,
    *,
    audiences: frozenset[str],
    section: str,
    as_answered: bool = False,
    sniff_files: bool = False,
) -> dict[str, Any]:
    """One item as shown, in JSON: the question's text, who may see it, the answer and its text.
    ``as_answered`` takes the text the answer kept (a submitted response) over today's."""
    label = answer.question_label if as_answered and answer is not None and answer.question_label else item.label
    entry: dict[str, Any] = {
        "type": "section" if item.kind == QuestionKind.SECTION else "question",
        "key": item.key,
        "kind": item.kind,
        "label": label,
        "help": item.help_text,
        "audiences": sorted(audiences),
        "section": section,
        "question_id": item.pk,
        "answer_id": answer.pk if answer is not None else None,
        "value": answer.value if answer is not None and not answer.file else None,
        "text": "",
        "file_name": "",
        "file_kind": "",
        "currency": item.currency,
        "columns": [],
        "rows": [],
        "total": "",
    }
    if item.kind == QuestionKind.SECTION or answer is None:
        return entry
    if answer.file:
        entry["file_name"] = _value_of(answer)
        entry["text"] = entry["file_name"]
        entry["file_kind"] = file_kind(answer) if sniff_files else ""
        return entry
    choices = _choices_shown(item, answer, as_answered=as_answered)
    if item.kind == QuestionKind.GROUP:
        columns = group_columns(item)
        money = money_column(columns)
        total = format_money(group_total(answer.value, money.key), item.currency) if money else ""
        entry["columns"] = [{"key": c.key, "label": c.label, "kind": c.kind} for c in columns]
        entry["rows"] = rows_text(answer.value, columns, currency=item.currency)
        entry["total"] = total
        entry["text"] = group_text(answer.value, columns, currency=item.currency, total=total)
    else:
        entry["text"] = cell_text(item.kind, answer.value, choices=choices, currency=item.currency)
    return entry


def _detached_item(answer: Answer) -> dict[str, Any]:
    """An answer whose question was deleted, from what the answer kept."""
    kept = answer.question_snapshot or {}
    kind = kept.get("kind", QuestionKind.SHORT_TEXT)
    return {
        "type": "question",
        "key": answer.question_key,
        "kind": kind,
        "label": answer.question_label,
        "help": "",
        "audiences": kept.get("audiences", [Audience.STAFF.value]),
        "section": "",
        "question_id": None,
        "answer_id": answer.pk,
        "value": None if answer.file else answer.value,
        "text": _value_of(answer)
        if answer.file
        else cell_text(kind, answer.value, choices=kept.get("choices", {}), currency=kept.get("currency", "")),
        "file_name": _value_of(answer) if answer.file else "",
        "file_kind": "",
        "currency": kept.get("currency", ""),
        "columns": [],
        "rows": [],
        "total": "",
    }


def live_snapshot(
    response_set: ResponseSet,
    *,
    sniff_files: bool = False,
    as_answered: bool | None = None,
    include_detached: bool | None = None,
) -> list[dict[str, Any]]:
    """The response as it shows now: every item whose condition holds, with its answer. A
    submitted response (by default) shows the text each answer kept, and answers whose question
    was deleted."""
    items = version_items(version_for(response_set))
    answers = list(response_set.answers.all())
    by_question = {answer.question_id: answer for answer in answers if answer.question_id}
    visible = visible_keys(items, answer_values(items, answers))
    audiences = effective_audiences(items)
    sections = section_keys(items)
    submitted = response_set.submitted_at is not None
    as_answered = submitted if as_answered is None else as_answered
    include_detached = submitted if include_detached is None else include_detached
    entries = [
        snapshot_item(
            item,
            by_question.get(item.pk),
            audiences=audiences[item.key],
            section=sections[item.key],
            as_answered=as_answered,
            sniff_files=sniff_files,
        )
        for item in items
        if item.key in visible
    ]
    if include_detached:
        entries += [_detached_item(answer) for answer in answers if answer.question_id is None]
    return entries


@dataclass(frozen=True)
class ShownItem:
    """A section heading or a question with its answer, as one audience may see it."""

    kind: str
    key: str
    label: str
    help_text: str = ""
    text: str = ""
    value: Any = None
    section: str = ""
    question_id: int | None = None
    answer_id: int | None = None
    file_name: str = ""
    file_kind: str = ""
    currency: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    total: str = ""
    audiences: tuple[str, ...] = field(default=())

    @property
    def is_section(self) -> bool:
        return self.kind == QuestionKind.SECTION

    @property
    def is_file(self) -> bool:
        return bool(self.file_name)


def _shown(entry: Mapping[str, Any]) -> ShownItem:
    return ShownItem(
        kind=entry["kind"],
        key=entry["key"],
        label=entry["label"],
        help_text=entry.get("help", ""),
        text=entry.get("text", ""),
        value=entry.get("value"),
        section=entry.get("section", ""),
        question_id=entry.get("question_id"),
        answer_id=entry.get("answer_id"),
        file_name=entry.get("file_name", ""),
        file_kind=entry.get("file_kind", ""),
        currency=entry.get("currency", ""),
        columns=tuple(column["label"] for column in entry.get("columns", [])),
        rows=tuple(tuple(row) for row in entry.get("rows", [])),
        total=entry.get("total", ""),
        audiences=tuple(entry.get("audiences", ())),
    )


def snapshot_entries(response_set: ResponseSet, *, sniff_files: bool = False) -> list[dict[str, Any]]:
    """The frozen snapshot when there is one, else the response as it shows now."""
    if response_set.is_frozen:
        return list(response_set.snapshot)
    return live_snapshot(response_set, sniff_files=sniff_files)


def answers_for_audience(*, response_set: ResponseSet, audience: str, sniff_files: bool = False) -> list[ShownItem]:
    """Only what ``audience`` may see (Audience values; staff see everything), in form order:
    section headings that have something to show, then each question with its answer. A frozen
    response reads its snapshot, so it shows the same forever."""
    if audience not in Audience.values:
        raise ValueError(f"Unknown audience {audience!r}")
    entries = [
        entry
        for entry in snapshot_entries(response_set, sniff_files=sniff_files)
        if audience_may_see(entry.get("audiences", ()), audience)
    ]
    shown_sections = {entry["section"] for entry in entries if entry["type"] == "question"}
    return [_shown(entry) for entry in entries if entry["type"] == "question" or entry["key"] in shown_sections]


def files_for_audience(*, response_set: ResponseSet, audience: str) -> list[Answer]:
    """The uploaded files ``audience`` may open, in form order (for packets of PDFs)."""
    ids = [
        item.answer_id for item in answers_for_audience(response_set=response_set, audience=audience) if item.is_file
    ]
    answers = Answer.objects.in_bulk([pk for pk in ids if pk is not None])
    return [answers[pk] for pk in ids if pk in answers]


def typed_value(  # noqa: PLR0911 — one branch per kind
    kind: str, value: Any, *, currency: str = "", column_kinds: Mapping[str, str] | None = None
) -> Any:
    """A stored answer as a Python value: Decimal for numbers, Money for amounts, a date, True or
    False for yes/no, a list of row dicts (typed cells) for a group; text stays text."""
    if is_empty(value):
        return None
    if kind == QuestionKind.NUMBER:
        return decimal_or_none(value)
    if kind == QuestionKind.MONEY:
        amount = decimal_or_none(value)
        return Money(amount, currency) if amount is not None else None
    if kind == QuestionKind.TIME:
        try:
            return dt.time.fromisoformat(str(value))
        except ValueError:
            return None
    if kind == QuestionKind.DATE:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    if kind == QuestionKind.YES_NO:
        return {"yes": True, "no": False}.get(str(value))
    if kind == QuestionKind.GROUP:
        kinds = column_kinds or {}
        return [
            {
                key: typed_value(kinds.get(key, QuestionKind.SHORT_TEXT), cell, currency=currency)
                for key, cell in row.items()
            }
            for row in non_empty_rows(value)
        ]
    return value


def answer_by_key(response_set: ResponseSet, key: str) -> Any:
    """The answer to the question with this key, typed (see ``typed_value``); a file question
    gives its Answer row. None when unanswered, hidden by its condition, or not in the version."""
    for entry in snapshot_entries(response_set):
        if entry["key"] != key or entry["type"] != "question":
            continue
        if entry.get("file_name"):
            return Answer.objects.filter(pk=entry["answer_id"]).first()
        column_kinds = {column["key"]: column["kind"] for column in entry.get("columns", [])}
        if entry["kind"] == QuestionKind.GROUP and not column_kinds:
            column_kinds = _group_column_kinds(response_set, key)
        return typed_value(
            entry["kind"], entry.get("value"), currency=entry.get("currency", ""), column_kinds=column_kinds
        )
    return None


def _group_column_kinds(response_set: ResponseSet, key: str) -> dict[str, str]:
    version = version_for(response_set)
    return dict(Question.objects.filter(version=version, parent__key=key).values_list("key", "kind"))


# --- The staff form builder -------------------------------------------------------------------


def require_form_builder(*, user: Any) -> None:
    if not can_build_forms(user):
        raise PermissionDenied


def forms_for_staff(*, user: Any) -> QuerySet[FormDefinition]:
    """Every form with its current version number and how many responses were submitted."""
    require_form_builder(user=user)
    return FormDefinition.objects.annotate(
        current_number=Max("versions__number"),
        submitted_count=Count("response_sets", filter=Q(response_sets__submitted_at__isnull=False), distinct=True),
    ).order_by("name")


def get_form_for_staff(*, user: Any, pk: int) -> FormDefinition:
    require_form_builder(user=user)
    return get_object_or_404(FormDefinition, pk=pk)


def get_question_for_staff(*, user: Any, form: FormDefinition, pk: int) -> Question:
    require_form_builder(user=user)
    return get_object_or_404(Question.objects.select_related("version", "parent"), pk=pk, version__form=form)


def versions_for_form(*, form: FormDefinition) -> list[FormVersion]:
    """Newest first, each with ``submitted_count``."""
    return list(
        FormVersion.objects.filter(form=form)
        .annotate(submitted_count=Count("response_sets", filter=Q(response_sets__submitted_at__isnull=False)))
        .select_related("created_by")
        .order_by("-number")
    )


def get_version_for_staff(*, user: Any, form: FormDefinition, number: int) -> FormVersion:
    require_form_builder(user=user)
    return get_object_or_404(FormVersion, form=form, number=number)


def builder_rows(*, version: FormVersion | None) -> list[dict[str, Any]]:
    """The version's items as the builder lists them: text, key, kind, audiences, condition."""
    items = version_items(version)
    by_key = {item.key: item for item in items}
    audiences = effective_audiences(items)
    labels = dict(Audience.choices)
    rows = []
    for item in items:
        source = by_key.get((item.condition or {}).get("key", ""))
        rows.append(
            {
                "item": item,
                "audiences": [labels[a] for a in Audience.values if a in audiences[item.key] and a != Audience.STAFF],
                "condition": condition_in_words(
                    item.condition, source.label, answer_labels(source.kind, source.choice_pairs)
                )
                if source
                else "",
                "columns": list(getattr(item, "column_list", [])),
                "translated": sorted(code for code, text in (item.labels or {}).items() if text and code != "en"),
            }
        )
    return rows
