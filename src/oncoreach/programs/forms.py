"""Input for the staff form builder: a form's name, and one question with its text in every
language, its choices, limits, audiences and "show if" condition. The service checks the
question against the rest of the form (keys, conditions, currencies)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoreach.programs.enums import (
    COLUMN_KINDS,
    FORM_LANGUAGES,
    Audience,
    ConditionOp,
    QuestionKind,
    UploadType,
)
from oncoreach.programs.models import FormDefinition, Question

OTHER_LANGUAGES = [(code, name) for code, name in FORM_LANGUAGES if code != "en"]
#: Audiences staff choose from (program staff always see everything).
CHOSEN_AUDIENCES = [(value, label) for value, label in Audience.choices if value != Audience.STAFF]


class FormDefinitionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description (for staff)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, instance: FormDefinition | None = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        clash = FormDefinition.objects.filter(name__iexact=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Another form is already called “%(name)s”.") % {"name": name}, code="duplicate")
        return name


def _choice_lines(choices: list[Any], language: str) -> str:
    lines = []
    for item in choices or []:
        if isinstance(item, list | tuple) and len(item) == 2:
            value, label = str(item[0]), item[1]
            text = label.get(language, "") if isinstance(label, dict) else (str(label) if language == "en" else "")
        else:
            value, text = str(item), str(item) if language == "en" else ""
        if text:
            lines.append(text if language == "en" and text == value else f"{value} = {text}")
    return "\n".join(lines)


class QuestionForm(forms.Form):
    """One question (or section, group, column). ``items`` are the version's top-level items,
    offered as the question a condition looks at."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=QuestionKind.choices)
    key = forms.CharField(
        label=gettext_lazy("Key"),
        max_length=50,
        required=False,
        help_text=gettext_lazy(
            "A short name other parts of the site use to find this answer (for example budget or project_title). "
            "Leave it empty to make one from the English text."
        ),
    )
    label_en = forms.CharField(
        label=gettext_lazy("Question (English)"),
        max_length=500,
        error_messages={
            "required": gettext_lazy("Write the question in English (the other languages fall back to it).")
        },
    )
    help_en = forms.CharField(
        label=gettext_lazy("Help text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False, initial=True)
    choices_en = forms.CharField(
        label=gettext_lazy("Choices (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "For choice questions: one choice per line. Write “value = label” to give a choice a short value "
            "(for example “md = Physician”); otherwise the label is its value."
        ),
    )
    max_words = forms.IntegerField(label=gettext_lazy("Word limit"), required=False, min_value=1)
    max_chars = forms.IntegerField(label=gettext_lazy("Character limit"), required=False, min_value=1)
    max_file_mb = forms.IntegerField(
        label=gettext_lazy("Largest file (MB)"), required=False, min_value=1, max_value=50, initial=5
    )
    allowed_upload_types = forms.MultipleChoiceField(
        label=gettext_lazy("Accepted file types"),
        choices=UploadType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=[UploadType.PDF.value],
    )
    currency = forms.CharField(
        label=gettext_lazy("Currency"),
        max_length=3,
        required=False,
        help_text=gettext_lazy("For amounts of money and budgets: an ISO 4217 code such as USD."),
    )
    max_rows = forms.IntegerField(label=gettext_lazy("Most rows (groups)"), required=False, min_value=1)
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("Shown to"),
        choices=CHOSEN_AUDIENCES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Program staff always see every question and answer."),
    )
    condition_key = forms.ChoiceField(
        label=gettext_lazy("Show only if the question"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("There is no question with the key “%(value)s” in this form.")},
    )
    condition_op = forms.ChoiceField(
        label=gettext_lazy("Compared how"), choices=ConditionOp.choices, required=False, initial=ConditionOp.EQUALS
    )
    condition_values = forms.CharField(
        label=gettext_lazy("Answer(s)"),
        required=False,
        help_text=gettext_lazy(
            "Separated by commas. For choice questions, their values; for yes/no questions, yes or no."
        ),
    )

    def __init__(self, *args: Any, items: list[Question], is_column: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_column = is_column
        if is_column:
            kinds = [(v, label) for v, label in QuestionKind.choices if v in COLUMN_KINDS]
            self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
            for name in ("audiences", "condition_key", "condition_op", "condition_values", "max_rows"):
                del self.fields[name]
        else:
            sources = [("", _("— always shown —"))] + [
                (item.key, f"{item.label} ({item.key})") for item in items if item.kind != QuestionKind.SECTION
            ]
            self.fields["condition_key"].choices = sources  # type: ignore[attr-defined]
        for code, name in OTHER_LANGUAGES:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": name}, max_length=500, required=False
            )
            self.fields[f"help_{code}"] = forms.CharField(
                label=_("Help text (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"choices_{code}"] = forms.CharField(
                label=_("Choices (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One line per choice: “value = label in this language”."),
            )

    @property
    def fieldsets(self) -> list[tuple[str, list[Any]]]:
        """The fields in three groups: the question's text, its answers, who sees it and when."""
        groups: dict[str, list[Any]] = {"text": [], "answers": [], "visibility": []}
        for field in self:
            name = field.name
            if name in ("kind", "key", "required") or name.startswith(("label_", "help_")):
                groups["text"].append(field)
            elif name == "audiences" or name.startswith("condition_"):
                groups["visibility"].append(field)
            else:
                groups["answers"].append(field)
        legends = {
            "text": _("The question"),
            "answers": _("Answers"),
            "visibility": _("Who sees it, and when"),
        }
        return [(legends[key], fields) for key, fields in groups.items() if fields]

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": question.kind,
            "key": question.key,
            "required": question.required,
            "max_words": question.max_words,
            "max_chars": question.max_chars,
            "max_file_mb": question.max_file_mb,
            "allowed_upload_types": question.allowed_upload_types,
            "currency": question.currency,
            "max_rows": question.max_rows,
            "audiences": [a for a in question.audiences or [] if a != Audience.STAFF],
            "condition_key": (question.condition or {}).get("key", ""),
            "condition_op": (question.condition or {}).get("op", ConditionOp.EQUALS),
            "condition_values": ", ".join(str(v) for v in (question.condition or {}).get("values", [])),
        }
        for code, _name in FORM_LANGUAGES:
            initial[f"label_{code}"] = (question.labels or {}).get(code, "")
            initial[f"help_{code}"] = (question.help_texts or {}).get(code, "")
            initial[f"choices_{code}"] = _choice_lines(question.choices, code)
        return initial

    def _english_choices(self) -> list[tuple[str, str]]:
        pairs = []
        for number, line in enumerate(str(self.cleaned_data.get("choices_en") or "").splitlines(), start=1):
            if not line.strip():
                continue
            value, sep, label = (part.strip() for part in line.partition("="))
            if not sep:
                value = label = line.strip()
            if not value or not label:
                self.add_error(
                    "choices_en", _("Line %(line)d: write a value and a label, “value = label”.") % {"line": number}
                )
                continue
            pairs.append((value, label))
        return pairs

    def _translated_choices(self, code: str, values: set[str]) -> dict[str, str]:
        labels = {}
        for number, line in enumerate(str(self.cleaned_data.get(f"choices_{code}") or "").splitlines(), start=1):
            if not line.strip():
                continue
            value, sep, label = (part.strip() for part in line.partition("="))
            if not sep or not label:
                self.add_error(f"choices_{code}", _("Line %(line)d: write “value = label”.") % {"line": number})
            elif value not in values:
                self.add_error(
                    f"choices_{code}",
                    _("Line %(line)d: “%(value)s” is not one of the English choices.")
                    % {"line": number, "value": value},
                )
            else:
                labels[value] = label
        return labels

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        english = self._english_choices()
        values = {value for value, _label in english}
        translated = {code: self._translated_choices(code, values) for code, _name in OTHER_LANGUAGES}
        self.choices = [
            [value, {"en": label, **{code: t[value] for code, t in translated.items() if value in t}}]
            for value, label in english
        ]
        return cleaned

    @property
    def spec(self) -> dict[str, Any]:
        """The question as the builder service takes it."""
        data = self.cleaned_data
        condition: dict[str, Any] = {}
        if data.get("condition_key"):
            condition = {
                "key": data["condition_key"],
                "op": data.get("condition_op") or ConditionOp.EQUALS,
                "values": [v.strip() for v in str(data.get("condition_values") or "").split(",") if v.strip()],
            }
        spec: dict[str, Any] = {
            "kind": data["kind"],
            "key": str(data.get("key") or "").strip(),
            "labels": {code: str(data.get(f"label_{code}") or "").strip() for code, _n in FORM_LANGUAGES},
            "help_texts": {code: str(data.get(f"help_{code}") or "").strip() for code, _n in FORM_LANGUAGES},
            "required": bool(data.get("required")),
            "choices": self.choices,
            "max_words": data.get("max_words"),
            "max_chars": data.get("max_chars"),
            "max_file_mb": data.get("max_file_mb") or 5,
            "allowed_upload_types": data.get("allowed_upload_types") or [UploadType.PDF.value],
            "currency": str(data.get("currency") or ""),
        }
        if not self.is_column:
            spec |= {
                "max_rows": data.get("max_rows"),
                "audiences": list(data.get("audiences") or []),
                "condition": condition,
            }
        return spec


class PreviewAudienceForm(forms.Form):
    audience = forms.ChoiceField(label=gettext_lazy("Preview as"), choices=CHOSEN_AUDIENCES, required=False)
