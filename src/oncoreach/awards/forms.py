"""Input for interviews, decisions and grants; the views hand cleaned data to one service."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oncoreach.awards.enums import DecisionOutcome, ReportKind, TrancheStatus
from oncoreach.geo.models import Country
from oncoreach.people.models import Organization, Person
from oncoreach.people.selectors import organizations_named, person_by_email
from oncoreach.programs.models import Program


class PersonByEmailField(forms.EmailField):
    """A person named by their e-mail address: a text box, not a list of every person (tens of
    thousands at full size, which made the grants and interviews pages megabytes)."""

    def clean(self, value: Any) -> Person | None:
        address = super().clean(value)
        if not address:
            return None
        person = person_by_email(address)
        if person is None:
            raise ValidationError(
                _("Nobody in the people list has the e-mail address %(address)s."),
                code="unknown_person",
                params={"address": address},
            )
        return person


class OrganizationByNameField(forms.CharField):
    """An organization named as the people list shows it, "Name" or "Name, City" (and ", Country"
    when even that is shared): a text box, not a list of every organization (~100 KB at full size).
    Case does not matter; no match and several matches each get their own error."""

    def clean(self, value: Any) -> Organization | None:
        typed = " ".join(str(super().clean(value) or "").split())
        if not typed:
            return None
        found = organizations_named(typed)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _("No organization is called “%(name)s”. Type its name as the people list shows it."),
                code="unknown_organization",
                params={"name": typed},
            )
        raise ValidationError(
            _("Several organizations match “%(name)s”: %(places)s. Add the city (and the country) after commas."),
            code="ambiguous_organization",
            params={"name": typed, "places": "; ".join(f"{o}, {o.country.name}" for o in found[:5])},
        )


LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def aware_in_zone(value: dt.datetime, zone_name: str) -> dt.datetime:
    """A wall-clock date and time typed in ``zone_name``, made aware there. A wall time that does
    not exist (the hour skipped when clocks go forward) or happens twice (when they go back) is
    refused rather than guessed."""
    zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    local = value.replace(tzinfo=None)  # the wall time as typed (Django may have attached the reader's zone)
    aware = local.replace(tzinfo=zone)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise ValidationError(_("This time does not exist in your time zone (the clocks change)."))
    if local.replace(fold=1).replace(tzinfo=zone).utcoffset() != aware.utcoffset():
        raise ValidationError(_("This time happens twice in your time zone (the clocks change); pick another."))
    return aware


class SlotForm(forms.Form):
    """A slot's start is entered in the interviewer's own zone (shown beside the field)."""

    starts_local = forms.DateTimeField(
        label=_("Starts (your time zone)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=240, initial=30)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    interviewer = forms.ModelChoiceField(label=_("Interviewer"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, zone: str, interviewers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        if interviewers is None:
            del self.fields["interviewer"]
        else:
            self.fields["interviewer"].queryset = interviewers  # type: ignore[attr-defined]
            self.fields["interviewer"].required = True

    def clean_starts_local(self) -> dt.datetime:
        return aware_in_zone(self.cleaned_data["starts_local"], self.zone)


class InterviewerForm(forms.Form):
    person = PersonByEmailField(label=_("Interviewer's e-mail address"))


class DecisionTermsForm(forms.Form):
    """The offer's terms; "answer by" is typed in the staff member's own zone (shown beside it)."""

    respond_by = forms.DateTimeField(
        label=_("Answer by (your time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT),
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0, initial=0)
    currency = forms.RegexField(label=_("Currency"), regex=r"^[A-Z]{3}$", initial="USD", max_length=3)
    conditions = forms.CharField(label=_("Conditions of the offer"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone or "UTC"
        self.fields["respond_by"].help_text = self.zone

    def clean_respond_by(self) -> dt.datetime:
        return aware_in_zone(self.cleaned_data["respond_by"], self.zone)


def parse_outcomes(data: Any, candidates: list[int]) -> dict[int, str]:
    """``outcome-<id>`` fields of the decisions table → {application id: outcome}, in table order."""
    outcomes = {}
    for pk in candidates:
        value = data.get(f"outcome-{pk}", "")
        if value in DecisionOutcome.values:
            outcomes[pk] = value
    return outcomes


class OfferAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("I accept")), ("decline", _("I decline"))],
        widget=forms.RadioSelect,
    )
    listed = forms.BooleanField(label=_("List me in the public awardee directory"), required=False)
    reason = forms.CharField(label=_("Reason (if you decline)"), required=False, widget=forms.Textarea)


class GrantForm(forms.Form):
    organization = OrganizationByNameField(
        label=_("Grantee organization"),
        max_length=400,
        help_text=_("Its name as the people list shows it, with the city after a comma if several share the name."),
    )
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.all())
    project_title = forms.CharField(label=_("Project title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=1984, max_value=2100)
    lead = PersonByEmailField(label=_("Project lead's e-mail address"), required=False)


class BudgetForm(forms.Form):
    lines = forms.CharField(
        label=_("Budget lines"),
        widget=forms.Textarea,
        help_text=_("One line each: item; amount (for example: Screening kits; 4500.00)."),
    )

    def clean_lines(self) -> list[tuple[str, str]]:
        parsed = []
        for number, raw in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not raw.strip():
                continue
            item, sep, amount = raw.rpartition(";")
            if not sep or not item.strip():
                raise ValidationError(_("Line %(n)d needs an item and an amount separated by “;”.") % {"n": number})
            parsed.append((item.strip(), amount.strip()))
        return parsed


class AgreementForm(forms.Form):
    agreement = forms.FileField(label=_("Signed agreement (PDF)"))


class TrancheForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class TrancheMoveForm(forms.Form):
    to = forms.ChoiceField(choices=TrancheStatus.choices)


class ReportUploadForm(forms.Form):
    file = forms.FileField(label=_("The report (PDF)"), help_text=_("A PDF document of up to 10 MB."))
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on what the project achieved and what changed since the last report."),
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class MeetingForm(forms.Form):
    """Where and when the Annual Meeting is: one trip per awardee is made from it."""

    title = forms.CharField(label=_("Meeting"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.order_by("name"))
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data


def parse_pairs(values: list[str]) -> set[tuple[int, int]]:
    """``<benefit id>:<person id>`` form values as pairs; anything else is ignored."""
    pairs = set()
    for value in values:
        left, sep, right = value.partition(":")
        if sep and left.isdigit() and right.isdigit():
            pairs.add((int(left), int(right)))
    return pairs
