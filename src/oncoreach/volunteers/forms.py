"""Volunteer forms: parse and validate only; views hand cleaned data to services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoreach.people.enums import Specialty
from oncoreach.volunteers.enums import MAX_TRIPS_PER_YEAR_LIMIT, ActivityKind, VolunteerRole
from oncoreach.volunteers.models import VolunteerProfile


class VolunteerProfileForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("I can volunteer as"),
        choices=VolunteerRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    specialty = forms.ChoiceField(label=_("Specialty"), choices=[("", "—"), *Specialty.choices], required=False)
    expertise = forms.CharField(
        label=_("Expertise topics"),
        required=False,
        max_length=1000,
        help_text=_("Separate topics with commas, for example: breast cancer, pain management, trial design."),
    )
    max_trips_per_year = forms.IntegerField(
        label=_("Trips per year at most"), min_value=0, max_value=MAX_TRIPS_PER_YEAR_LIMIT, initial=1
    )
    travel_document_notes = forms.CharField(
        label=_("Passport and visa notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you and program staff can see this."),
    )
    is_active = forms.BooleanField(label=_("I am available for new requests"), required=False, initial=True)

    @staticmethod
    def initial_for(profile: VolunteerProfile | None, *, specialty: str = "") -> dict[str, Any]:
        if profile is None:
            return {
                "roles": [VolunteerRole.FACULTY],
                "specialty": specialty,
                "max_trips_per_year": 1,
                "is_active": True,
            }
        return {
            "roles": profile.roles,
            "specialty": profile.specialty,
            "expertise": ", ".join(profile.expertise),
            "max_trips_per_year": profile.max_trips_per_year,
            "travel_document_notes": profile.travel_document_notes,
            "is_active": profile.is_active,
        }

    def clean_expertise(self) -> list[str]:
        return [part for part in self.cleaned_data["expertise"].split(",") if part.strip()]


class AvailabilityForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ActivityForm(forms.Form):
    """Hours of one contribution; volunteers log their own, staff correct any."""

    kind = forms.ChoiceField(label=_("What you did"), choices=ActivityKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=0,
        max_value=1000,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    description = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)
