"""Form fields for the question engine: checks for words and files, amounts of money, section
headings, and repeating groups (a table of rows that works without JavaScript: "Add a row" and
"Remove" are submit buttons; forms_engine.js only makes them instant)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oncoreach.core.validators import validate_image_upload
from oncoreach.programs.enums import UploadType
from oncoreach.programs.logic import format_money, group_total, non_empty_rows, row_is_empty
from oncoreach.programs.models import Question

PDF_MAGIC = b"%PDF-"
#: Refusals of a file that *is* a picture, which the person should read as they are.
IMAGE_REFUSALS = frozenset({"too_large", "too_many_pixels"})
#: How far the row numbers of a repeating group are read (rows removed by script leave gaps).
MAX_ROW_INDEX = 200
#: The submit buttons of repeating groups: their value names the group (or the row) they act on.
ADD_ROW, REMOVE_ROW = "add_row", "remove_row"
_WORD = re.compile(r"\S+")
CENTS = Decimal("0.01")


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


class MoneyField(forms.DecimalField):
    """An amount of money: a Decimal with two places, never negative."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Any:
        amount = super().to_python(value)
        return amount.quantize(CENTS) if isinstance(amount, Decimal) and amount.is_finite() else amount


class SectionWidget(forms.Widget):
    """A section heading is not an input: the field template shows its title and introduction."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return SafeString("")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return None


class SectionField(forms.Field):
    widget = SectionWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        return None


def to_json(value: Any) -> Any:
    """A cleaned value as stored: dates in ISO 8601, Decimals as text (never a float)."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(timespec="minutes") if isinstance(value, dt.time) else value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


class GroupColumn:
    """One column of a group: its key, its header text, its field (cells are checked by it)."""

    def __init__(self, *, key: str, label: str, kind: str, required: bool, field: forms.Field) -> None:
        self.key, self.label, self.kind, self.required, self.field = key, label, kind, required, field


class GroupWidget(forms.Widget):
    """The rows of a repeating group as a table: one input per cell named ``<group>-<row>-<key>``,
    a "Remove" button per row and an "Add a row" button (both plain submit buttons)."""

    template_name = "programs/widgets/group.html"

    def __init__(
        self,
        *,
        columns: Sequence[GroupColumn],
        max_rows: int | None,
        currency: str,
        total_key: str,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.columns, self.max_rows, self.currency, self.total_key = list(columns), max_rows, currency, total_key

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[dict[str, str]]:
        removed = data.get(REMOVE_ROW, "")
        rows: list[dict[str, str]] = []
        for index in range(MAX_ROW_INDEX):
            cells = {column.key: data.get(f"{name}-{index}-{column.key}") for column in self.columns}
            if all(value is None for value in cells.values()) or removed == f"{name}-{index}":
                continue
            rows.append({key: "" if value is None else str(value) for key, value in cells.items()})
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows = non_empty_rows(value)
        full = self.max_rows is not None and len(rows) >= self.max_rows
        shown = rows if full else [*rows, {}]
        widget_attrs = context["widget"]["attrs"]
        base_id = widget_attrs.get("id") or f"id_{name}"
        context["group"] = {
            "base_id": base_id,
            "name": name,
            "key": widget_attrs.get("data-question-key", ""),
            "show_if": widget_attrs.get("data-show-if", ""),
            "headers": [(f"{base_id}-col-{column.key}", column.label) for column in self.columns],
            "rows": [
                {
                    "remove": f"{name}-{index}",
                    "number": index + 1,
                    "row_id": f"{base_id}-{index}-row",
                    "cells": [
                        column.field.widget.render(
                            f"{name}-{index}-{column.key}",
                            row.get(column.key, ""),
                            attrs={
                                "id": f"{base_id}-{index}-{column.key}",
                                "aria-labelledby": f"{base_id}-col-{column.key} {base_id}-{index}-row",
                            },
                        )
                        for column in self.columns
                    ],
                }
                for index, row in enumerate(shown)
            ],
            "total": format_money(group_total(rows, self.total_key), self.currency) if self.total_key else "",
            "total_key": self.total_key,
            "currency": self.currency,
            "can_add": not full,
            "max_rows": self.max_rows or "",
        }
        return context


class GroupField(forms.Field):
    """Cleans the rows of a repeating group: blank rows are dropped, each cell is checked by its
    column's field, required columns must be filled in every row that is not blank."""

    def __init__(self, *, columns: Sequence[GroupColumn], max_rows: int | None, **kwargs: Any) -> None:
        self.columns, self.max_rows = list(columns), max_rows
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[dict[str, Any]]:
        rows = [row for row in (value or []) if isinstance(row, Mapping) and not row_is_empty(row)]
        cleaned: list[dict[str, Any]] = []
        errors: list[str] = []
        for number, row in enumerate(rows, start=1):
            cells: dict[str, Any] = {}
            for column in self.columns:
                raw = row.get(column.key, "")
                try:
                    cells[column.key] = to_json(column.field.clean(raw))
                except ValidationError as exc:
                    errors += [
                        _("Row %(row)d, %(column)s: %(error)s") % {"row": number, "column": column.label, "error": e}
                        for e in exc.messages
                    ]
                    cells[column.key] = raw
                    continue
                if column.required and cells[column.key] in (None, "", []):
                    errors.append(
                        _("Row %(row)d: please fill in “%(column)s”.") % {"row": number, "column": column.label}
                    )
            cleaned.append(cells)
        if self.max_rows is not None and len(cleaned) > self.max_rows:
            errors.append(
                ngettext("At most %(count)d row, please.", "At most %(count)d rows, please.", self.max_rows)
                % {"count": self.max_rows}
            )
        if errors:
            raise ValidationError(errors, code="bad_rows")
        return cleaned


def raw_rows(field: GroupField | Any, form: forms.Form, name: str) -> list[dict[str, Any]]:
    """What was typed into a group, row by row, even where it did not validate."""
    return non_empty_rows(field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name)))
