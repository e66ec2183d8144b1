"""Input parsing for calls. Views pass ``cleaned_data`` to services; no form saves a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.enums import ApplicationStatus, PanelOutcome
from oncoreach.calls.models import RubricCriterion
from oncoreach.people.models import Person
from oncoreach.programs.enums import Audience
from oncoreach.programs.forms_engine import answers_initial, build_form


class RefereeForm(forms.Form):
    referee_name = forms.CharField(label=_("Referee's name"), max_length=200)
    referee_email = forms.EmailField(label=_("Referee's e-mail address"))


class ReferenceLetterForm(forms.Form):
    letter = forms.FileField(label=_("Your letter (PDF)"), help_text=_("A PDF document of up to 10 MB."))


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Will you review this application?"),
        choices=[("accept", _("Yes, I will review it")), ("decline", _("No, I decline"))],
        widget=forms.RadioSelect,
    )
    conflict_reason = forms.CharField(
        label=_("Conflict of interest, if any"),
        required=False,
        max_length=500,
        help_text=_("If you decline because of a conflict of interest, say what it is."),
    )


def _parse_pairs(text: str) -> list[list[int]]:
    """One pair a line: the application number, then the reviewer number ("12 45", "#12, #45")."""
    pairs: list[list[int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.replace(",", " ").replace("#", " ").split()
        if not words:
            continue
        if len(words) != 2 or not all(word.isdigit() for word in words):
            raise forms.ValidationError(
                _("Line %(n)s: write an application number and a reviewer number, such as “12 45”.") % {"n": number},
                code="bad_pair",
            )
        pairs.append([int(words[0]), int(words[1])])
    return pairs


class EngineRunForm(forms.Form):
    """Staff's choices for a reviewer-assignment run (all optional: a bare button runs it as before)."""

    objective = forms.ChoiceField(
        label=_("Objective"),
        required=False,
        choices=[("fair", _("Fair: raise the worst fit first")), ("total", _("Best total fit"))],
    )
    require_shared_language = forms.BooleanField(
        label=_("Reviewer and applicant must share a language"), required=False
    )
    rerun = forms.BooleanField(
        label=_("Re-run: the engine may move proposals nobody answered yet (they are kept unless a move gains more)"),
        required=False,
    )
    pins = forms.CharField(
        label=_("Pin these pairs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One pair a line: application number, then reviewer number."),
    )
    exclusions = forms.CharField(
        label=_("Never propose these pairs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One pair a line: application number, then reviewer number."),
    )

    def clean_pins(self) -> list[list[int]]:
        return _parse_pairs(self.cleaned_data.get("pins") or "")

    def clean_exclusions(self) -> list[list[int]]:
        return _parse_pairs(self.cleaned_data.get("exclusions") or "")

    def run_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "fair": (data.get("objective") or "fair") == "fair",
            "require_shared_language": bool(data.get("require_shared_language")),
            "rerun": bool(data.get("rerun")),
            "pins": data.get("pins") or [],
            "exclusions": data.get("exclusions") or [],
        }


class PanelDecisionForm(forms.Form):
    application = forms.IntegerField(label=_("Application number"), min_value=1)
    outcome = forms.ChoiceField(label=_("Panel decision"), choices=PanelOutcome.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    stage = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    """One score field per rubric criterion, then a comment."""

    comment = forms.CharField(
        label=_("Comment for the committee"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=10000
    )
    conflict_declared = forms.BooleanField(
        label=_("I have a conflict of interest with this application"), required=False
    )
    conflict_reason = forms.CharField(label=_("What is the conflict?"), required=False, max_length=500)

    def __init__(self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        score_fields = {}
        for criterion in criteria:
            score_fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.scale_max,
                required=False,
                help_text=_("0 to %(max)s. %(description)s")
                % {"max": criterion.scale_max, "description": criterion.description},
            )
        self.fields = {**score_fields, **self.fields}

    def scores(self) -> dict[str, Any]:
        return {
            str(criterion.pk): self.cleaned_data.get(f"c{criterion.pk}")
            for criterion in self.criteria
            if self.cleaned_data.get(f"c{criterion.pk}") is not None
        }


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=Person.objects.none())

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reviewers


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=[])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = targets


#: How each decision reads on the staff page's button.
DECISION_LABELS = {
    ApplicationStatus.ACCEPTED: _("Accept"),
    ApplicationStatus.REJECTED: _("Do not select"),
    ApplicationStatus.WAITLISTED: _("Wait-list"),
}


class DecisionForm(forms.Form):
    """Offers only ``outcomes``: the decisions the transitions table allows from the status."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=[], widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Included in the decision e-mail."),
    )

    def __init__(self, *args: Any, outcomes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(outcome, DECISION_LABELS[ApplicationStatus(outcome)]) for outcome in outcomes]


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))] + [c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
    )
    eligible = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Eligible")), ("no", _("Not eligible"))],
    )
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)


class EligibilityOverrideForm(forms.Form):
    """Staff overturn the eligibility verdict, with the reason (kept and shown)."""

    reason = forms.CharField(
        label=_("Reason for the override"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


def application_form(
    application: Any,
    request: HttpRequest | None = None,
    *,
    complete: bool = False,
    caps: Mapping[str, Any] | None = None,
) -> Any:
    """The applicant's form for the version the application answers, filled with its saved answers
    (and the posted ones, if any). ``caps`` are the stage's limits on amounts, where it has any."""
    response_set = application.response_set
    initial, files = answers_initial(response_set=response_set)
    return build_form(
        response_set.form,
        data=request.POST if request else None,
        files=request.FILES if request else None,
        initial=initial,
        complete=complete,
        existing_files=files,
        audience=Audience.APPLICANT,
        caps=caps or None,
        response_set=response_set,
    )


def valid_uploads(request: HttpRequest, form: Any) -> dict[str, UploadedFile]:
    """Uploads that passed their checks (a rejected file is never stored)."""
    return {
        name: upload
        for name, upload in request.FILES.items()
        if name not in form.errors and isinstance(upload, UploadedFile)
    }
