"""Input for setting a call up: the call, its rubric criteria and its reviewer panel.

Dates are typed as wall-clock times in the call's own time zone (the zone chosen on the same
form), never in the reader's: a deadline of 17:00 in Lima is 17:00 in Lima for everyone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.enums import DRIVEN_ELSEWHERE, SIMPLE_EXTRA_STAGES, CallKind, CountryBasis, StageKind
from oncoreach.calls.models import Call, CallStage, RubricCriterion, validate_stage_key
from oncoreach.calls.services_setup import CallSetup, CriterionSetup, StageSetup
from oncoreach.geo.enums import IncomeGroup
from oncoreach.people.enums import CareerStage
from oncoreach.people.validators import time_zone_names
from oncoreach.programs.models import Cycle, FormDefinition, Program

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time, kept naive; the form makes it aware in the call's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            parsed = BaseTemporalField.to_python(self, value)
        return parsed.replace(tzinfo=None) if parsed is not None else None

    def prepare_value(self, value: Any) -> Any:
        return value  # already the call's wall-clock time: never shift it to the reader's zone


def _cycles() -> Any:
    return Cycle.objects.select_related("program").order_by("program__name", "-year", "name")


class CallSetupForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        # A course's registration call is opened from its course (calls.enums.DRIVEN_ELSEWHERE).
        choices=[(value, label) for value, label in CallKind.choices if value not in DRIVEN_ELSEWHERE],
        help_text=_("Chooses the wording of pages and e-mails."),
    )
    cycle = forms.ModelChoiceField(label=_("Program cycle"), queryset=_cycles())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    is_published = forms.BooleanField(
        label=_("Published"), required=False, help_text=_("Shown on the public list while it is open.")
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the call"),
        help_text=_("The opening time and the deadline below are read in this time zone."),
    )
    opens_at = LocalDateTimeField(label=_("Opens"))
    closes_at = LocalDateTimeField(label=_("Deadline"))
    form = forms.ModelChoiceField(
        label=_("Application form"),
        queryset=FormDefinition.objects.order_by("name"),
        help_text=_("Locked once applications are started on it."),
    )
    eligible_income_groups = forms.MultipleChoiceField(
        label=_("Eligible income groups"),
        choices=[choice for choice in IncomeGroup.choices if choice[0]],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: any country."),
    )
    country_basis = forms.ChoiceField(
        label=_("Country that counts"), choices=CountryBasis.choices, widget=forms.RadioSelect
    )
    reference_date = forms.DateField(
        label=_("Eligibility reference date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the cycle's reference date."),
    )
    allowed_career_stages = forms.MultipleChoiceField(
        label=_("Allowed career stages"),
        choices=CareerStage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: any career stage."),
    )
    max_years_since_training = forms.IntegerField(
        label=_("At most years since training"), min_value=0, max_value=60, required=False
    )
    prior_award_programs = forms.ModelMultipleChoiceField(
        label=_("Exclude people accepted in these programs"),
        queryset=Program.objects.order_by("sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    prior_award_years = forms.IntegerField(label=_("Within this many years"), min_value=0, max_value=50, initial=0)
    reference_letters_required = forms.IntegerField(
        label=_("Reference letters required"), min_value=0, max_value=5, initial=0
    )
    reviews_per_application = forms.IntegerField(
        label=_("Reviews per application"), min_value=1, max_value=10, initial=2
    )
    conflict_same_country = forms.BooleanField(
        label=_("A reviewer from the applicant's country of practice has a conflict"), required=False
    )
    extra_stages = forms.MultipleChoiceField(
        label=_("Stages after review"),
        choices=[(key, name) for key, _kind, name in SIMPLE_EXTRA_STAGES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Run in this order before the shortlist. Locked once applications reach review."),
    )

    def __init__(self, *args: Any, call: Call | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in time_zone_names()]
        if call is not None:
            # The kind picks e-mail wording and how workshops find their calls: fixed once made.
            del self.fields["kind"]

    @classmethod
    def initial_for(cls, values: dict[str, Any]) -> dict[str, Any]:
        """The edit form's initial data: the dates as wall-clock times in the call's zone."""
        zone = zoneinfo.ZoneInfo(values["time_zone"] or "UTC")
        initial = dict(values)
        for name in ("opens_at", "closes_at"):
            initial[name] = timezone.localtime(values[name], zone).replace(tzinfo=None)
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone_name = cleaned.get("time_zone")
        if not zone_name:
            return cleaned
        zone = zoneinfo.ZoneInfo(zone_name)
        for name in ("opens_at", "closes_at"):
            if cleaned.get(name) is not None:
                cleaned[name] = timezone.make_aware(cleaned[name], zone)
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error("closes_at", _("The deadline must come after the opening time."))
        stages = cleaned.get("extra_stages") or []
        cleaned["extra_stages"] = [key for key, _kind, _name in SIMPLE_EXTRA_STAGES if key in stages]
        return cleaned

    def setup(self) -> CallSetup:
        data = self.cleaned_data
        return CallSetup(
            title=data["title"],
            cycle=data["cycle"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            time_zone=data["time_zone"],
            form=data["form"],
            description=data["description"],
            is_published=data["is_published"],
            eligible_income_groups=list(data["eligible_income_groups"]),
            country_basis=data["country_basis"],
            reference_date=data["reference_date"],
            allowed_career_stages=list(data["allowed_career_stages"]),
            max_years_since_training=data["max_years_since_training"],
            prior_award_programs=list(data["prior_award_programs"]),
            prior_award_years=data["prior_award_years"],
            reference_letters_required=data["reference_letters_required"],
            reviews_per_application=data["reviews_per_application"],
            conflict_same_country=data["conflict_same_country"],
            extra_stages=data["extra_stages"],
        )


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    description = forms.CharField(
        label=_("What reviewers look for"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    weight = forms.DecimalField(
        label=_("Weight"), min_value=Decimal("0.01"), max_digits=5, decimal_places=2, initial=Decimal(1)
    )
    scale_max = forms.IntegerField(
        label=_("Highest score"), min_value=1, max_value=100, initial=5, help_text=_("Reviewers score from 0 to this.")
    )
    variant = forms.ChoiceField(
        label=_("Scored for"),
        required=False,
        help_text=_("Every application, or only the applications of one rubric variant (a track)."),
    )

    def __init__(self, *args: Any, variants: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        """``variants``: the call's rubric variants (``calls.rubric_variants``); none, no field."""
        super().__init__(*args, **kwargs)
        if variants:
            field = self.fields["variant"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("Every application")), *variants]
        else:
            del self.fields["variant"]

    @classmethod
    def for_criterion(
        cls, criterion: RubricCriterion, *, variants: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> CriterionForm:
        initial = {
            "name": criterion.name,
            "description": criterion.description,
            "weight": criterion.weight,
            "scale_max": criterion.scale_max,
            "variant": criterion.variant,
        }
        if criterion.variant and criterion.variant not in dict(variants):
            variants = [*variants, (criterion.variant, criterion.variant)]  # a variant no longer offered
        return cls(initial=initial, prefix=f"c{criterion.pk}", variants=variants, **kwargs)

    def setup(self) -> CriterionSetup:
        data = self.cleaned_data
        return CriterionSetup(
            name=data["name"].strip(),
            description=data["description"].strip(),
            weight=data["weight"],
            scale_max=data["scale_max"],
            variant=data.get("variant") or "",
        )


class StageForm(forms.Form):
    """One stage of a call. Times are typed in the call's zone; ``caps`` one ``key = amount`` a line.
    Without ``key`` in the data (editing), the stage keeps its key."""

    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        validators=[validate_stage_key],
        help_text=_("A stable name other parts of the platform use (for example full_application); fixed once made."),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=StageKind.choices)
    form = forms.ModelChoiceField(
        label=_("Form"),
        queryset=FormDefinition.objects.order_by("name"),
        required=False,
        help_text=_("The form applicants fill in (submission stages)."),
    )
    opens_at = LocalDateTimeField(label=_("Opens"), required=False)
    closes_at = LocalDateTimeField(label=_("Closes"), required=False)
    reviews_per_application = forms.IntegerField(
        label=_("Reviews per application"), min_value=0, max_value=10, initial=0
    )
    by_invitation = forms.BooleanField(
        label=_("By invitation"), required=False, help_text=_("Only applicants advanced from the stage before.")
    )
    blind = forms.BooleanField(
        label=_("Blind"),
        required=False,
        help_text=_("Reviewers never see the applicant's name, e-mail address, institution or referees."),
    )
    caps = forms.CharField(
        label=_("Limits on amounts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: question key = amount (for example budget = 20000)."),
    )

    def __init__(
        self, *args: Any, call: Call, editing: bool = False, form_choices: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zone = call.zone
        if editing:
            del self.fields["key"]
        if form_choices is not None:  # one query for a page of forms, not one per form
            field = self.fields["form"]
            assert isinstance(field, forms.ModelChoiceField)
            field.choices = form_choices

    @staticmethod
    def form_choices() -> list[Any]:
        return [("", "---------"), *((form.pk, str(form)) for form in FormDefinition.objects.order_by("name"))]

    @classmethod
    def for_stage(cls, stage: CallStage, **kwargs: Any) -> StageForm:
        zone = stage.call.zone
        initial = {
            "name": stage.name,
            "kind": stage.kind,
            "form": stage.form_id,
            "opens_at": timezone.localtime(stage.opens_at, zone).replace(tzinfo=None) if stage.opens_at else None,
            "closes_at": timezone.localtime(stage.closes_at, zone).replace(tzinfo=None) if stage.closes_at else None,
            "reviews_per_application": stage.reviews_per_application,
            "by_invitation": stage.by_invitation,
            "blind": stage.blind,
            "caps": "\n".join(f"{key} = {amount}" for key, amount in (stage.caps or {}).items()),
        }
        return cls(initial=initial, prefix=f"s{stage.pk}", call=stage.call, editing=True, **kwargs)

    def clean_caps(self) -> dict[str, str]:
        caps: dict[str, str] = {}
        for line in str(self.cleaned_data.get("caps") or "").splitlines():
            if not line.strip():
                continue
            key, sep, amount = line.partition("=")
            try:
                ok = bool(sep) and bool(key.strip()) and Decimal(amount.strip()) > 0
            except ArithmeticError:
                ok = False
            if not ok:
                raise forms.ValidationError(
                    _("“%(line)s” is not “question key = amount above zero”."), params={"line": line.strip()}
                )
            caps[key.strip()] = amount.strip()
        return caps

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("opens_at", "closes_at"):
            if cleaned.get(name) is not None:
                cleaned[name] = timezone.make_aware(cleaned[name], self.zone)
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error("closes_at", _("The closing time must come after the opening time."))
        return cleaned

    def setup(self, key: str = "") -> StageSetup:
        data = self.cleaned_data
        return StageSetup(
            key=data.get("key") or key,
            name=data["name"].strip(),
            kind=data["kind"],
            form=data["form"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            by_invitation=data["by_invitation"],
            reviews_per_application=data["reviews_per_application"],
            blind=data["blind"],
            caps=data["caps"],
        )


class MoveCriterionForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class PanelSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find people to add"),
        required=False,
        max_length=100,
        help_text=_("Name or e-mail; accents do not matter. Empty: volunteers who offer to review."),
    )

    def query(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


class PanelPersonForm(forms.Form):
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
