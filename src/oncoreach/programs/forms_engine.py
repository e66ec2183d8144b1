"""The one question/answer engine: build a Django form from a form's current version, store
answers, freeze and show them. Calls, registrations and surveys all use it, through the names
below (this module is the engine's public face; the work is done in ``fields``, ``logic``,
``selectors``, ``services`` and ``pdf``).

Two ways to check a form: a *draft* check that keeps whatever the person typed (missing answers
allowed, so autosave never loses text) and a *complete* check that also insists on required
answers. Either way, a question hidden by its condition (or its section's) neither blocks nor
complains, and a group's total is checked against any cap the caller passes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oncoreach.core.files import original_file_name
from oncoreach.programs.enums import Audience, QuestionKind
from oncoreach.programs.fields import (
    ADD_ROW,
    IMAGE_REFUSALS,
    PDF_MAGIC,
    REMOVE_ROW,
    GroupColumn,
    GroupField,
    GroupWidget,
    MoneyField,
    QuestionFileField,
    SectionField,
    count_words,
    is_pdf,
    raw_rows,
    to_json,
    validate_pdf_upload,
    validate_question_upload,
    validate_word_limit,
)
from oncoreach.programs.logic import (
    Money,
    answer_labels,
    cell_text,
    condition_in_words,
    effective_audiences,
    format_money,
    group_text,
    group_total,
    is_empty,
    money_column,
    section_keys,
    visible_keys,
)
from oncoreach.programs.models import Answer, FormDefinition, Question, ResponseSet
from oncoreach.programs.selectors import (
    ShownItem,
    answer_by_key,
    answers_for_audience,
    current_version,
    files_for_audience,
    group_columns,
    missing_required,
    questions_for,
    snapshot_entries,
    version_for,
    version_items,
)
from oncoreach.programs.services import (
    ResponseSetFrozen,
    create_form_definition,
    freeze_response_set,
    save_answers,
)

__all__ = [
    "IMAGE_REFUSALS",
    "PDF_MAGIC",
    "DynamicForm",
    "Money",
    "QuestionFileField",
    "ResponseSetFrozen",
    "ShownItem",
    "answer_by_key",
    "answer_text",
    "answers_for_audience",
    "answers_for_display",
    "answers_initial",
    "build_form",
    "count_words",
    "create_form_definition",
    "files_for_audience",
    "freeze_response_set",
    "is_pdf",
    "missing_required",
    "questions_for",
    "raw_answers",
    "render_response_pdf",
    "save_answers",
    "shown_file_name",
    "validate_pdf_upload",
    "validate_question_upload",
    "validate_word_limit",
]

FIELD_TEMPLATE = "programs/includes/question_field.html"


def _column_field(column: Question, currency: str) -> forms.Field:
    field = _field_for(column, currency=currency)
    field.widget.attrs.pop("aria-describedby", None)
    return field


def _group_field(question: Question, common: dict[str, Any]) -> GroupField:
    columns = [
        GroupColumn(
            key=column.key,
            label=f"{column.label} ({question.currency})" if column.kind == QuestionKind.MONEY else column.label,
            kind=column.kind,
            required=column.required,
            field=_column_field(column, question.currency),
        )
        for column in getattr(question, "column_list", None) or question.columns.order_by("order", "id")
    ]
    total_key = next((column.key for column in columns if column.kind == QuestionKind.MONEY), "")
    widget = GroupWidget(columns=columns, max_rows=question.max_rows, currency=question.currency, total_key=total_key)
    return GroupField(columns=columns, max_rows=question.max_rows, widget=widget, **common)


def _field_for(question: Question, *, currency: str = "") -> forms.Field:  # noqa: PLR0911, PLR0912 — one branch per kind
    # Django renders help text unescaped; staff-written text is escaped here.
    common: dict[str, Any] = {"label": question.label, "help_text": escape(question.help_text), "required": False}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=question.max_chars or 500, **common)
    if kind == QuestionKind.LONG_TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=question.max_chars, **common)
        if question.max_words:
            limit = question.max_words
            field.validators.append(lambda text: validate_word_limit(text, limit))
            if not question.help_text:
                field.help_text = ngettext("Up to %(limit)d word.", "Up to %(limit)d words.", limit) % {"limit": limit}
        return field
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *question.choice_pairs], **common)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(choices=question.choice_pairs, widget=forms.CheckboxSelectMultiple, **common)
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(**common)
    if kind == QuestionKind.MONEY:
        code = question.currency or currency
        return MoneyField(
            **{**common, "label": f"{question.label} ({code})" if question.parent_id is None else question.label}
        )
    if kind == QuestionKind.TIME:
        return forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **common)
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **common)
    if kind == QuestionKind.FILE:
        return QuestionFileField(question=question, **common)
    if kind == QuestionKind.EMAIL:
        return forms.EmailField(**common)
    if kind == QuestionKind.URL:
        return forms.URLField(assume_scheme="https", **common)
    if kind == QuestionKind.SECTION:
        return SectionField(**common)
    if kind == QuestionKind.GROUP:
        return _group_field(question, common)
    raise ValueError(f"Unknown question kind {kind!r}")


def _cap_amount(cap: Money | Decimal | int, currency: str, key: str) -> Decimal:
    if isinstance(cap, Money):
        if cap.currency != currency:
            raise ValueError(f"The cap for {key!r} is in {cap.currency}, the question in {currency}")
        return cap.amount
    return Decimal(cap)


class DynamicForm(forms.Form):
    """A form built from a version's items. ``complete=True`` also requires the required answers
    that show; ``caps`` (question key → Money or Decimal) limits a money question or a group's
    total."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        complete: bool = False,
        caps: Mapping[str, Money | Decimal | int] | None = None,
        **kwargs: Any,
    ) -> None:
        self.questions = questions
        self.complete = complete
        self.caps = dict(caps or {})
        self.existing_files: dict[str, str] = kwargs.pop("existing_files", {})
        super().__init__(*args, **kwargs)
        by_key = {question.key: question for question in questions}
        sections = section_keys(questions)
        needs_script = False
        for question in questions:
            field = _field_for(question)
            field.template_name = FIELD_TEMPLATE  # type: ignore[attr-defined]
            field.question = question  # type: ignore[attr-defined]
            field.is_section = question.kind == QuestionKind.SECTION  # type: ignore[attr-defined]
            field.widget.attrs["data-question-key"] = question.key
            # Mark required questions for people and screen readers, even where drafts may skip them.
            if question.required and question.kind != QuestionKind.SECTION:
                field.widget.attrs["aria-required"] = "true"
            if question.kind == QuestionKind.FILE and self.existing_files.get(question.field_name):
                field.widget.attrs["data-answered"] = "true"
            field.show_if = ""  # type: ignore[attr-defined]
            section = by_key.get(sections.get(question.key, ""))
            field.in_section = ""  # type: ignore[attr-defined]
            if section is not None and section.condition:
                field.in_section = section.key  # type: ignore[attr-defined]
                field.widget.attrs["data-in-section"] = section.key
            source = by_key.get((question.condition or {}).get("key", ""))
            if source is not None:
                words = condition_in_words(
                    question.condition, source.label, answer_labels(source.kind, source.choice_pairs)
                )
                field.help_text = format_html(
                    '{}<span class="condition">{}</span>', field.help_text + " " if field.help_text else "", words
                )
                field.show_if = json.dumps(question.condition, sort_keys=True)  # type: ignore[attr-defined]
                field.widget.attrs["data-show-if"] = field.show_if  # type: ignore[attr-defined]
                needs_script = True
            needs_script = needs_script or question.kind == QuestionKind.GROUP
            self.fields[question.field_name] = field
        self.needs_script = needs_script
        if needs_script and self.fields:
            next(iter(self.fields.values())).load_script = True  # type: ignore[attr-defined]

    @property
    def row_action(self) -> bool:
        """True when the person pressed "Add a row" or "Remove" (never a submission)."""
        return self.is_bound and (ADD_ROW in self.data or REMOVE_ROW in self.data)

    def values_by_key(self) -> dict[str, Any]:
        """The answers as typed or cleaned, by question key (for conditions)."""
        cleaned = getattr(self, "cleaned_data", {})
        values: dict[str, Any] = {}
        for question in self.questions:
            name = question.field_name
            if name in cleaned:
                values[question.key] = to_json(cleaned[name])
            elif question.kind == QuestionKind.FILE:
                values[question.key] = self.existing_files.get(name) or self.files.get(self.add_prefix(name))
            elif question.kind == QuestionKind.GROUP:
                values[question.key] = raw_rows(self.fields[name], self, name)
            elif question.kind == QuestionKind.MULTIPLE_CHOICE and hasattr(self.data, "getlist"):
                values[question.key] = self.data.getlist(self.add_prefix(name))
            else:
                values[question.key] = self.data.get(self.add_prefix(name))
        if cleaned:
            for question in self.questions:
                if question.kind == QuestionKind.FILE and not values.get(question.key):
                    values[question.key] = self.existing_files.get(question.field_name)
        return values

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        visible = visible_keys(self.questions, self.values_by_key())
        for question in self.questions:
            name = question.field_name
            if question.key not in visible:
                self._errors.pop(name, None)  # type: ignore[attr-defined]  # a hidden question never blocks
                continue
            if name in self._errors:  # type: ignore[attr-defined]
                continue
            self._check_cap(question, cleaned.get(name))
            answered = not is_empty(cleaned.get(name)) or (
                question.kind == QuestionKind.FILE and bool(self.existing_files.get(name))
            )
            if self.complete and question.required and question.kind != QuestionKind.SECTION and not answered:
                self.add_error(name, ValidationError(_("Please answer this question."), code="required"))
        if self.row_action:
            raise ValidationError(_("The rows are updated. Nothing is sent until you save or submit."), code="rows")
        return cleaned

    def _check_cap(self, question: Question, value: Any) -> None:
        cap = self.caps.get(question.key)
        if cap is None or value in (None, "", []):
            return
        currency = question.currency
        if question.kind == QuestionKind.GROUP:
            money = next((c for c in getattr(question, "column_list", []) if c.kind == QuestionKind.MONEY), None)
            if money is None:
                return
            total = group_total(value, money.key)
        else:
            total = Decimal(str(value))
        limit = _cap_amount(cap, currency, question.key)
        if total > limit:
            self.add_error(
                question.field_name,
                ValidationError(
                    _("The total, %(total)s, is over the limit of %(limit)s.")
                    % {"total": format_money(total, currency), "limit": format_money(limit, currency)},
                    code="over_cap",
                ),
            )


def build_form(
    form_definition: FormDefinition,
    data: Mapping[str, Any] | None = None,
    files: Mapping[str, Any] | None = None,
    initial: Mapping[str, Any] | None = None,
    *,
    complete: bool = False,
    questions: list[Question] | None = None,
    existing_files: Mapping[str, str] | None = None,
    audience: str = Audience.APPLICANT,
    caps: Mapping[str, Money | Decimal | int] | None = None,
    response_set: ResponseSet | None = None,
) -> DynamicForm:
    """A Django form for a form's current version (or ``response_set``'s version): the questions
    ``audience`` answers (the applicant by default; referee-only questions for a referee), with
    types, word limits, files by content, conditions, groups, caps and (when ``complete``)
    required answers. Drafts pass ``complete=False`` so partial answers save."""
    if questions is None:
        version = version_for(response_set) if response_set is not None else current_version(form_definition)
        questions = version_items(version)
    audiences = effective_audiences(questions)
    shown = [question for question in questions if audience in audiences.get(question.key, {audience})]
    return DynamicForm(
        data=data,
        files=files,
        initial=dict(initial or {}),
        questions=shown,
        complete=complete,
        caps=caps,
        existing_files=dict(existing_files or {}),
    )


def shown_file_name(answer: Answer) -> str:
    """The uploaded file's name as the person named it (files from before names were kept: the
    stored name)."""
    return answer.file_name or original_file_name(answer.file.name)


def _from_json(question: Question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == QuestionKind.TIME and isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            return value
    if question.kind == QuestionKind.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # a half-typed date stays as typed, never lost
    return value


def answers_initial(*, response_set: ResponseSet | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Initial form values from stored answers, and the names of files already uploaded."""
    if response_set is None or response_set.pk is None:
        return {}, {}
    initial: dict[str, Any] = {}
    files: dict[str, str] = {}
    for answer in response_set.answers.filter(question__isnull=False).select_related("question"):
        assert answer.question is not None
        name = answer.question.field_name
        if answer.file:
            files[name] = shown_file_name(answer)
        else:
            initial[name] = _from_json(answer.question, answer.value)
    return initial, files


def raw_answers(*, form: DynamicForm) -> dict[str, Any]:
    """What the person typed, field by field, even where a field did not validate.

    Used by drafts: text that is over a word limit is still kept, never thrown away.
    """
    values: dict[str, Any] = {}
    if not form.is_bound:
        return values
    cleaned = getattr(form, "cleaned_data", {})
    for question in form.questions:
        name = question.field_name
        if question.kind in (QuestionKind.FILE, QuestionKind.SECTION):
            continue
        if name in cleaned:
            values[name] = to_json(form.cleaned_data[name])
        elif question.kind == QuestionKind.GROUP:
            values[name] = raw_rows(form.fields[name], form, name)
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            values[name] = list(form.data.getlist(name)) if hasattr(form.data, "getlist") else form.data.get(name)
        elif name in form.data:
            values[name] = form.data.get(name)
    return values


def answer_text(question: Question, answer: Answer | None) -> str:
    """An answer as plain text for display and export ("" when unanswered)."""
    if answer is None:
        return ""
    if answer.file:
        return shown_file_name(answer)
    if question.kind == QuestionKind.GROUP:
        columns = group_columns(question)
        money = money_column(columns)
        total = format_money(group_total(answer.value, money.key), question.currency) if money else ""
        return group_text(answer.value, columns, currency=question.currency, total=total)
    return cell_text(question.kind, answer.value, choices=dict(question.choice_pairs), currency=question.currency)


def answers_for_display(
    *, response_set: ResponseSet | None, audience: str | None = None
) -> list[tuple[Question, Answer | None, str]]:
    """Each question with its answer (or None) and the answer as text, in order, for pages that
    list answers. Sections are left out; hidden questions too. A frozen response shows its
    snapshot. ``audience`` keeps only what that audience may see (None: everything, as before;
    prefer ``answers_for_audience`` in new code)."""
    if response_set is None:
        return []
    entries = snapshot_entries(response_set)
    answers = {answer.pk: answer for answer in response_set.answers.all()}
    result: list[tuple[Question, Answer | None, str]] = []
    for entry in entries:
        if entry["type"] != "question":
            continue
        if audience is not None and audience != Audience.STAFF and audience not in entry.get("audiences", ()):
            continue
        question = Question(
            pk=entry["question_id"], key=entry["key"], kind=entry["kind"], labels={"en": entry["label"]}
        )
        result.append((question, answers.get(entry["answer_id"]), entry["text"]))
    return result


def render_response_pdf(
    *, response_set: ResponseSet, audience: str, heading_context: Mapping[str, Any], hide_file_names: bool = False
) -> bytes:
    """The response as one PDF (see ``programs.pdf``)."""
    from oncoreach.programs.pdf import render_response_pdf as render

    return render(
        response_set=response_set, audience=audience, heading_context=heading_context, hide_file_names=hide_file_names
    )
