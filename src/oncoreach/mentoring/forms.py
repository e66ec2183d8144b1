"""Mentoring's forms. Weekly windows are typed one a line ("Mon 09:00-12:00"), so the pages work
without JavaScript; the ranked shortlist is five ordered choices."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoreach.geo.enums import IncomeGroup
from oncoreach.mentoring.enums import (
    FOCUS_AREA_CHOICES,
    MAX_CAPACITY,
    MAX_PREFERENCES,
    MAX_TERM_MONTHS,
    MIN_CAPACITY,
    AdjustmentKind,
    GoalType,
    Objective,
)
from oncoreach.mentoring.models import MentoringCycle, Track
from oncoreach.mentoring.validators import validate_windows
from oncoreach.people.enums import LANGUAGE_CHOICES

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_LINE = re.compile(r"^\s*([a-z]{3})[a-z]*\.?\s+(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$", re.IGNORECASE)


def parse_windows(text: str) -> list[tuple[int, int, int]]:
    windows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = _LINE.match(line)
        if found is None or found.group(1).lower() not in _DAYS:
            raise ValidationError(
                _("Line %(n)s: write a day and two times, for example “Mon 09:00-12:00”.") % {"n": number},
                code="window_format",
            )
        day, h1, m1, h2, m2 = found.groups()
        windows.append((_DAYS[day.lower()], int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)))
    return validate_windows(windows)


def windows_text(windows: Any) -> str:
    names = {value: key.capitalize() for key, value in _DAYS.items()}
    return "\n".join(f"{names[w.weekday]} {w.start_text}-{w.end_text}" for w in windows)


def _check_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("“%(zone)s” is not a time zone name.") % {"zone": value}, code="time_zone") from exc
    return value


WINDOWS_HELP = gettext_lazy("One a line, in your own time zone: a day and two times, e.g. “Mon 09:00-12:00”.")


class CycleForm(forms.Form):
    opens_on = forms.DateField(
        label=gettext_lazy("Applications open on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Applications close on (11:59 PM)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time_zone = forms.CharField(label=gettext_lazy("Time zone of the deadline"), initial="UTC")
    term_start = forms.DateField(label=gettext_lazy("Term starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    term_months = forms.IntegerField(
        label=gettext_lazy("Term length (months)"), min_value=1, max_value=MAX_TERM_MONTHS, initial=12
    )
    min_contact_hours_per_month = forms.DecimalField(
        label=gettext_lazy("Minimum contact (hours a month)"), min_value=0, max_digits=4, decimal_places=1, initial=1
    )
    consent_days = forms.IntegerField(
        label=gettext_lazy("Days to answer a proposal"), min_value=1, max_value=60, initial=14
    )
    mentor_min_years = forms.IntegerField(
        label=gettext_lazy("Mentors: at least years in oncology"), min_value=0, initial=10
    )
    mentor_outside_region = forms.BooleanField(
        label=gettext_lazy("The mentor practises outside the mentee's country and region"), required=False, initial=True
    )
    eligible_income_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Mentees: income groups of the country of practice"),
        choices=IncomeGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_years_since_training = forms.IntegerField(
        label=gettext_lazy("Mentees: at most years since training"), min_value=0, required=False
    )
    requires_membership = forms.BooleanField(label=gettext_lazy("Mentees must be members"), required=False)
    tracks = forms.CharField(
        label=gettext_lazy("Tracks (one a line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_time_zone(self) -> str:
        return _check_zone(self.cleaned_data["time_zone"])


class OfferForm(forms.Form):
    capacity = forms.IntegerField(
        label=gettext_lazy("Mentees at most"), min_value=MIN_CAPACITY, max_value=MAX_CAPACITY, initial=1
    )
    focus_areas = forms.MultipleChoiceField(
        label=gettext_lazy("Focus areas"), choices=FOCUS_AREA_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages for mentoring"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    years_in_oncology = forms.IntegerField(label=gettext_lazy("Years in oncology"), min_value=0, max_value=70)
    low_resource_experience = forms.BooleanField(
        label=gettext_lazy("Experience in low-resource settings"), required=False
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Your time zone"), help_text=gettext_lazy("For example America/New_York.")
    )
    windows = forms.CharField(
        label=gettext_lazy("Weekly time windows"), help_text=WINDOWS_HELP, widget=forms.Textarea(attrs={"rows": 4})
    )
    about = forms.CharField(
        label=gettext_lazy("About you, for mentees"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1500,
    )
    contact_note = forms.CharField(
        label=gettext_lazy("Other ways to reach you"),
        help_text=gettext_lazy("Shown only to a mentee once you have both accepted."),
        required=False,
        max_length=200,
    )

    def clean_time_zone(self) -> str:
        return _check_zone(self.cleaned_data["time_zone"])

    def clean_windows(self) -> list[tuple[int, int, int]]:
        windows = parse_windows(self.cleaned_data["windows"])
        if not windows:
            raise ValidationError(_("Give at least one weekly time window."), code="no_windows")
        return windows


class RequestForm(forms.Form):
    track = forms.ModelChoiceField(label=gettext_lazy("Track"), queryset=Track.objects.none(), required=False)
    goal_type = forms.ChoiceField(
        label=gettext_lazy("Mentoring for"), choices=GoalType.choices, widget=forms.RadioSelect
    )
    goals = forms.CharField(
        label=gettext_lazy("Your goals for the year"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    focus_areas = forms.MultipleChoiceField(
        label=gettext_lazy("Focus areas"), choices=FOCUS_AREA_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages for mentoring"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Your time zone"), help_text=gettext_lazy("For example Africa/Lagos.")
    )
    windows = forms.CharField(
        label=gettext_lazy("Weekly time windows"), help_text=WINDOWS_HELP, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_note = forms.CharField(
        label=gettext_lazy("Other ways to reach you"),
        help_text=gettext_lazy("Shown only to your mentor once you have both accepted."),
        required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, mentoring: MentoringCycle, mentor_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.mentoring = mentoring
        track_field = self.fields["track"]
        assert isinstance(track_field, forms.ModelChoiceField)
        track_field.queryset = mentoring.tracks.all()
        choices = [("", "—"), *((str(pk), name) for pk, name in mentor_choices)]
        for rank in range(1, MAX_PREFERENCES + 1):
            self.fields[f"choice_{rank}"] = forms.TypedChoiceField(
                label=_("Mentor choice %(n)s") % {"n": rank},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
            )

    def clean_time_zone(self) -> str:
        return _check_zone(self.cleaned_data["time_zone"])

    def clean_windows(self) -> list[tuple[int, int, int]]:
        windows = parse_windows(self.cleaned_data["windows"])
        if not windows:
            raise ValidationError(_("Give at least one weekly time window."), code="no_windows")
        return windows

    @property
    def preferences(self) -> list[int]:
        return [
            self.cleaned_data[f"choice_{n}"]
            for n in range(1, MAX_PREFERENCES + 1)
            if self.cleaned_data.get(f"choice_{n}")
        ]


class MentorFilterForm(forms.Form):
    focus = forms.ChoiceField(
        label=gettext_lazy("Focus area"), choices=[("", "—"), *FOCUS_AREA_CHOICES], required=False
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=[("", "—"), *LANGUAGE_CHOICES], required=False)


class RunForm(forms.Form):
    objective = forms.ChoiceField(label=gettext_lazy("Objective"), choices=Objective.choices, initial=Objective.TOTAL)


class AdjustForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    offer_id = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=AdjustmentKind.choices)


class SwapForm(forms.Form):
    first = forms.IntegerField(label=gettext_lazy("Mentee (request number)"))
    second = forms.IntegerField(label=gettext_lazy("Other mentee (request number)"))


class AnswerForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (optional)"), required=False, max_length=500)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the form: per field when it names one of the form's fields."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
