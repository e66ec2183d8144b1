"""Forms of the mentorship year. Milestones are typed one a line ("2027-05-31 First audit
presented") so the page works without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoreach.mentoring.enums import (
    MAX_CHECKIN_COMMENT,
    MAX_MEETING_MINUTES,
    MIN_MEETING_MINUTES,
    CheckInAnswer,
    RiskReason,
)

_MILESTONE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+(.+?)\s*$")


def parse_milestones(text: str) -> list[tuple[dt.date, str]]:
    milestones = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = _MILESTONE.match(line)
        day = None
        if found is not None:
            try:
                day = dt.date.fromisoformat(found.group(1))
            except ValueError:
                day = None
        if found is None or day is None:
            raise ValidationError(
                _("Line %(n)s: write a date and the milestone, for example “2027-05-31 First audit presented”.")
                % {"n": number},
                code="milestone_format",
            )
        milestones.append((day, found.group(2)[:200]))
    return milestones


def milestones_text(milestones: object) -> str:
    return "\n".join(f"{m.due_on:%Y-%m-%d} {m.title}" for m in milestones)  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    goals = forms.CharField(
        label=gettext_lazy("Goals for the year"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    milestones = forms.CharField(
        label=gettext_lazy("Milestones"),
        help_text=gettext_lazy("One a line: a date (YYYY-MM-DD), then what you will have done by then."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
    )

    def clean_milestones(self) -> list[tuple[dt.date, str]]:
        return parse_milestones(self.cleaned_data.get("milestones", ""))


class CommentForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"), min_value=MIN_MEETING_MINUTES, max_value=MAX_MEETING_MINUTES
    )
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class EndForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the mentorship ends"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )
    repair = forms.BooleanField(
        label=gettext_lazy("Propose a new mentor to the mentee (the engine's next best)"), required=False
    )


class CheckInForm(forms.Form):
    """The check-in page's buttons (one per answer, ``name="answer"``) and optional comment."""

    answer = forms.ChoiceField(
        choices=CheckInAnswer.choices,
        error_messages={
            "required": gettext_lazy("Choose one of the answers."),
            "invalid_choice": gettext_lazy("Choose one of the answers."),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything the program team should know? (optional)"),
        help_text=gettext_lazy("Only the program team reads it, not your mentoring partner."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_CHECKIN_COMMENT,
    )


class AtRiskFilterForm(forms.Form):
    cycle = forms.TypedChoiceField(label=gettext_lazy("Cycle"), coerce=int, required=False, empty_value=None)
    reason = forms.ChoiceField(
        label=gettext_lazy("Why at risk"),
        required=False,
        choices=[("", gettext_lazy("Either")), *RiskReason.choices],
    )

    def __init__(self, *args: object, cycles: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["cycle"].choices = [("", _("All cycles")), *cycles]  # type: ignore[attr-defined]
