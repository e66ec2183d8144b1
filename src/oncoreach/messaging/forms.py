"""Forms for cohort messages: a template's texts per language, and the cohort to send one to."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oncoreach.geo.enums import IncomeGroup
from oncoreach.geo.models import Country
from oncoreach.messaging.cohorts import CohortCriteria, status_choices, validate_criteria
from oncoreach.messaging.enums import PLACEHOLDERS, CohortRole
from oncoreach.messaging.models import MessageTemplate
from oncoreach.messaging.rendering import compile_text
from oncoreach.programs.models import Cycle, Program


class TemplateForm(forms.Form):
    """The name, then a subject and a body per language (English required)."""

    name = forms.CharField(label=_("Name (for staff)"), max_length=150)

    def __init__(self, *args: Any, instance: MessageTemplate | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {"name": instance.name}
            for code, _name in settings.LANGUAGES:
                initial[f"subject_{code}"] = instance.subjects.get(code, "")
                initial[f"body_{code}"] = instance.bodies.get(code, "")
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for code, language in settings.LANGUAGES:
            required = code == settings.LANGUAGE_CODE
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": language}, max_length=200, required=required
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Body (%(language)s)") % {"language": language},
                widget=forms.Textarea(attrs={"rows": 8}),
                max_length=20000,
                required=required,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, value in list(data.items()):
            if key.startswith(("subject_", "body_")) and value:
                try:
                    compile_text(value)
                except ValidationError as exc:
                    self.add_error(key, exc)
        return data

    def texts(self) -> tuple[dict[str, str], dict[str, str]]:
        codes = [code for code, _name in settings.LANGUAGES]
        data = self.cleaned_data
        return (
            {code: data.get(f"subject_{code}", "") for code in codes},
            {code: data.get(f"body_{code}", "") for code in codes},
        )

    @staticmethod
    def placeholders() -> list[tuple[str, str]]:
        return [("{" + name + "}", str(text)) for name, text in PLACEHOLDERS.items()]


def _role_choices() -> list[Any]:
    return [("", _("Any role")), *CohortRole.choices]


def _status_choices() -> list[Any]:
    return [("", _("Any status")), *status_choices()]


def _language_choices() -> list[Any]:
    return [("", _("Any")), *settings.LANGUAGES]


def _preview_language_choices() -> list[Any]:
    return [("", _("The recipient's language")), *settings.LANGUAGES]


class CycleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.program.name} – {obj.name}"


class CohortForm(forms.Form):
    """The template and the filters; counting and previewing use the same form as sending."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=MessageTemplate.objects.all())
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.order_by("name"), required=False)
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.select_related("program").order_by("program__name", "name"),
        required=False,
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role"))], required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    country = forms.ModelChoiceField(
        label=_("Country of practice"), queryset=Country.objects.order_by("name"), required=False
    )
    income_group = forms.ChoiceField(
        label=_("Income group"),
        choices=[("", _("Any")), *[(g.value, g.label) for g in IncomeGroup if g.value]],
        required=False,
    )
    income_on = forms.DateField(
        label=_("Income group as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices, required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    preview_person = forms.IntegerField(label=_("Preview for"), required=False)
    preview_language = forms.ChoiceField(label=_("Preview in"), choices=_preview_language_choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                validate_criteria(self.criteria())
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        cycle, program = data.get("cycle"), data.get("program")
        if cycle and program and cycle.program_id != program.pk:
            raise ValidationError(_("This cycle belongs to another program."))
        return data

    def criteria(self) -> CohortCriteria:
        data = self.cleaned_data
        return CohortCriteria(
            program_id=data["program"].pk if data.get("program") else None,
            cycle_id=data["cycle"].pk if data.get("cycle") else None,
            role=data.get("role") or "",
            status=data.get("status") or "",
            country_id=data["country"].pk if data.get("country") else None,
            income_group=data.get("income_group") or "",
            income_on=data["income_on"].isoformat() if data.get("income_on") else "",
            language=data.get("language") or "",
        )

    def names(self) -> dict[str, str]:
        """The program, cycle and country chosen, by name (placeholders and the staff pages)."""
        data = self.cleaned_data
        return {key: str(getattr(data[key], "name", "")) for key in ("program", "cycle", "country") if data.get(key)}
