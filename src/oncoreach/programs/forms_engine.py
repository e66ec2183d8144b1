"""The one question/answer engine: build a Django form from a FormDefinition, store answers.

Calls, registrations and surveys all use it. Two ways to check a form: a *draft* check that
keeps whatever the person typed (missing answers allowed, so autosave never loses text) and a
*complete* check that also insists on required answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oncoreach.core.files import delete_file_on_commit, original_file_name
from oncoreach.core.validators import validate_image_upload
from oncoreach.programs.enums import QuestionKind, UploadType
from oncoreach.programs.models import Answer, FormDefinition, Question, ResponseSet

PDF_MAGIC = b"%PDF-"
#: Refusals of a file that *is* a picture, which the person should read as they are.
IMAGE_REFUSALS = frozenset({"too_large", "too_many_pixels"})
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def validate_word_limit(text: str, limit: int | None) -> None:
    if limit and count_words(text) > limit:
        raise ValidationError(
            ngettext(
                "Please keep this to %(limit)d word; it has %(count)d.",
                "Please keep this to %(limit)d words; it has %(count)d.",
                limit,
            )
            % {"limit": limit, "count": count_words(text)},
            code="too_many_words",
        )


def is_pdf(upload: UploadedFile) -> bool:
    """True when the file's first bytes are a PDF header (its name and browser type don't count)."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return bool(head.lstrip()[:5] == PDF_MAGIC)


def validate_pdf_upload(upload: UploadedFile, *, max_bytes: int) -> None:
    """Check a PDF by content and size (used by file questions and reference letters)."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if not is_pdf(upload):
        raise ValidationError(_("This file is not a PDF document. Please upload a PDF."), code="not_pdf")


def validate_question_upload(upload: UploadedFile, question: Question) -> None:
    """A file answer: within the question's size limit and of an accepted type, judged by content."""
    max_bytes = question.max_file_mb * 1024 * 1024
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    allowed = set(question.allowed_upload_types or [UploadType.PDF])
    if UploadType.PDF in allowed and is_pdf(upload):
        return
    if UploadType.IMAGE in allowed:
        try:
            validate_image_upload(upload)
        except ValidationError as exc:
            if exc.code in IMAGE_REFUSALS:
                raise  # a picture, but too big: say so rather than "not an accepted type"
        else:
            return
    names = ", ".join(str(UploadType(kind).label) for kind in sorted(allowed) if kind in UploadType.values)
    raise ValidationError(
        _("This file's content is not an accepted type. Accepted: %(types)s.") % {"types": names},
        code="bad_file_type",
    )


class QuestionFileField(forms.FileField):
    """A file field that checks its upload against its question's rules."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        self.question = question
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            validate_question_upload(value, self.question)
        return value


def _field_for(question: Question) -> forms.Field:  # noqa: PLR0911 — one branch per question kind
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
    raise ValueError(f"Unknown question kind {kind!r}")


class DynamicForm(forms.Form):
    """A form built from questions. ``complete=True`` also requires the required answers."""

    def __init__(self, *args: Any, questions: list[Question], complete: bool = False, **kwargs: Any) -> None:
        self.questions = questions
        self.complete = complete
        self.existing_files: dict[str, str] = kwargs.pop("existing_files", {})
        super().__init__(*args, **kwargs)
        for question in questions:
            field = _field_for(question)
            # Mark required questions for people and screen readers, even where drafts may skip them.
            if question.required:
                field.widget.attrs["aria-required"] = "true"
            self.fields[question.field_name] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.complete:
            for question in self.questions:
                name = question.field_name
                if not question.required or name in self.errors:
                    continue
                if _is_empty(cleaned.get(name)) and not (
                    question.kind == QuestionKind.FILE and self.existing_files.get(name)
                ):
                    self.add_error(name, ValidationError(_("Please answer this question."), code="required"))
        return cleaned


def _is_empty(value: Any) -> bool:
    return value is None or value in ("", []) or value is False


def questions_for(form_definition: FormDefinition) -> list[Question]:
    return list(form_definition.questions.order_by("order", "id"))


def build_form(
    form_definition: FormDefinition,
    data: Mapping[str, Any] | None = None,
    files: Mapping[str, Any] | None = None,
    initial: Mapping[str, Any] | None = None,
    *,
    complete: bool = False,
    questions: list[Question] | None = None,
    existing_files: Mapping[str, str] | None = None,
) -> DynamicForm:
    """A Django form for a form definition: types, word limits, files by content, and (when
    ``complete``) required answers. Drafts pass ``complete=False`` so partial answers save."""
    return DynamicForm(
        data=data,
        files=files,
        initial=dict(initial or {}),
        questions=questions if questions is not None else questions_for(form_definition),
        complete=complete,
        existing_files=dict(existing_files or {}),
    )


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def _from_json(question: Question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == QuestionKind.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # a half-typed date stays as typed, never lost
    return value


def shown_file_name(answer: Answer) -> str:
    """The uploaded file's name as the person named it (files from before names were kept: the
    stored name)."""
    return answer.file_name or original_file_name(answer.file.name)


def answers_initial(*, response_set: ResponseSet | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Initial form values from stored answers, and the names of files already uploaded."""
    if response_set is None or response_set.pk is None:
        return {}, {}
    initial: dict[str, Any] = {}
    files: dict[str, str] = {}
    for answer in response_set.answers.select_related("question"):
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
        if question.kind == QuestionKind.FILE:
            continue
        if name in cleaned:
            values[name] = _to_json(form.cleaned_data[name])
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            values[name] = list(form.data.getlist(name)) if hasattr(form.data, "getlist") else form.data.get(name)
        elif name in form.data:
            values[name] = form.data.get(name)
    return values


@transaction.atomic
def save_answers(
    *, response_set: ResponseSet, values: Mapping[str, Any], files: Mapping[str, UploadedFile] | None = None
) -> ResponseSet:
    """Store answers by field name (idempotent: saving the same values twice changes nothing)."""
    by_name = {question.field_name: question for question in questions_for(response_set.form)}
    existing = {answer.question_id: answer for answer in response_set.answers.all()}
    for name, value in values.items():
        question = by_name.get(name)
        if question is None or question.kind == QuestionKind.FILE:
            continue
        answer = existing.get(question.pk)
        if answer is None:
            Answer.objects.create(response_set=response_set, question=question, value=value)
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value", "updated_at"])
    for name, upload in (files or {}).items():
        question = by_name.get(name)
        if question is None or question.kind != QuestionKind.FILE or not isinstance(upload, UploadedFile):
            continue
        answer = existing.get(question.pk) or Answer(response_set=response_set, question=question)
        replaced = answer.file.name if answer.file else ""
        answer.file.save(upload.name or "upload", upload, save=False)  # under a random name
        answer.file_name = original_file_name(upload.name)
        answer.value = None
        answer.save()
        if replaced:
            delete_file_on_commit(answer.file.storage, replaced)
    ResponseSet.objects.filter(pk=response_set.pk).update(updated_at=timezone.now())
    return response_set


def missing_required(*, response_set: ResponseSet) -> list[Question]:
    """Required questions without an answer, in form order."""
    answered = {
        answer.question_id for answer in response_set.answers.all() if answer.file or not _is_empty(answer.value)
    }
    return [q for q in questions_for(response_set.form) if q.required and q.pk not in answered]


def answer_text(question: Question, answer: Answer | None) -> str:
    """An answer as plain text for display and export ("" when unanswered)."""
    if answer is None:
        return ""
    if answer.file:
        return shown_file_name(answer)
    value = answer.value
    if value is None:
        return ""
    labels = dict(question.choice_pairs)
    if isinstance(value, list):
        return ", ".join(str(labels.get(str(item), item)) for item in value)
    if question.kind == QuestionKind.YES_NO:
        return {"yes": _("Yes"), "no": _("No")}.get(str(value), str(value))
    return str(labels.get(str(value), value))


def answers_for_display(*, response_set: ResponseSet | None) -> list[tuple[Question, Answer | None, str]]:
    """Each question with its answer (or None) and the answer as text, in order."""
    if response_set is None:
        return []
    answers = {answer.question_id: answer for answer in response_set.answers.all()}
    return [
        (question, answers.get(question.pk), answer_text(question, answers.get(question.pk)))
        for question in questions_for(response_set.form)
    ]


@transaction.atomic
def create_form_definition(*, name: str, questions: list[Mapping[str, Any]], description: str = "") -> FormDefinition:
    """Create a form with its questions in code (tests, demo data); staff use the admin.

    Each question is a mapping of Question fields, e.g. ``{"kind": "long_text", "label": "Why?",
    "max_words": 300}``; ``order`` defaults to the position in the list.
    """
    form_definition = FormDefinition(name=name, description=description)
    form_definition.full_clean()
    form_definition.save()
    for position, spec in enumerate(questions):
        question = Question(form=form_definition, **{"order": position, **spec})
        if question.kind not in QuestionKind.values:
            raise ValidationError({"kind": _("Unknown question kind: %(kind)s") % {"kind": question.kind}})
        question.full_clean()
        question.save()
    return form_definition
