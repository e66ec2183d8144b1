"""Workshop forms: parse and validate; views hand cleaned data to services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoreach.geo.enums import Region
from oncoreach.geo.models import Country
from oncoreach.people.enums import LANGUAGE_CHOICES
from oncoreach.workshops.enums import BookingStatus, CourseType, FacultyRole, ReimbursementStatus
from oncoreach.workshops.selectors import CourseFilters


class CatalogueFilterForm(forms.Form):
    """GET filters for the public catalogue; invalid values are ignored, never an error page."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any region")), *[c for c in Region.choices if c[0]]]
    )
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any type")), *CourseType.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, countries: list[Country], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("Any country")),
            *[(c.iso3, c.name) for c in countries],
        ]
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", _("Any year")), *[(y, str(y)) for y in years]]

    def filters(self) -> CourseFilters:
        if not self.is_bound:
            return CourseFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return CourseFilters(
            country=data.get("country") or "",
            region=data.get("region") or "",
            course_type=data.get("type") or "",
            language=data.get("language") or "",
            year=data.get("year") or None,
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not come? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("This helps staff ask you at a better time."),
    )


class CancelRegistrationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not come? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, cancel my registration"),
        error_messages={"required": _("Tick the box to confirm that you cancel your registration.")},
    )


class CancelCourseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit trail)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, cancel this course and tell everyone concerned"),
        error_messages={"required": _("Tick the box to confirm the cancellation.")},
    )


class ProposeForm(forms.Form):
    """Pick a volunteer by hand. Choices are built once by the view, so a page with many slots
    renders many of these forms without a query each."""

    person = forms.TypedChoiceField(label=_("Volunteer"), coerce=int)

    def __init__(self, *args: Any, choices: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["person"]).choices = [("", "—"), *choices]


class TravelForm(forms.Form):
    itinerary = forms.CharField(
        label=_("Itinerary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    visa_letter_needed = forms.BooleanField(label=_("Visa invitation letter needed"), required=False)
    booking_status = forms.ChoiceField(label=_("Booking"), choices=BookingStatus.choices)
    per_diem = forms.DecimalField(label=_("Per diem"), min_value=0, max_digits=8, decimal_places=2, initial=0)
    per_diem_currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    reimbursement_status = forms.ChoiceField(label=_("Reimbursement"), choices=ReimbursementStatus.choices)


class ItineraryForm(forms.Form):
    """What the traveller fills in themselves: how they come and go, and whether they need a visa letter."""

    itinerary = forms.CharField(
        label=_("Your itinerary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Flights or trains with dates and times of arrival and departure. Only you and program staff see this."
        ),
    )
    visa_letter_needed = forms.BooleanField(label=_("I need a visa invitation letter"), required=False)


class ScheduleForm(forms.Form):
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    capacity = forms.IntegerField(label=_("Participant places"), min_value=0, max_value=5000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start_date")
        end: dt.date | None = data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        return data


class SlotForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=FacultyRole.choices)
    required_language = forms.ChoiceField(
        label=_("Must teach in"), required=False, choices=[("", _("Any language")), *LANGUAGE_CHOICES]
    )
    required_expertise = forms.CharField(
        label=_("Expertise wanted"), required=False, max_length=500, help_text=_("Separate topics with commas.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)

    def clean_required_expertise(self) -> list[str]:
        return [part for part in self.cleaned_data["required_expertise"].split(",") if part.strip()]


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    title = forms.CharField(label=_("Title"), max_length=200)


class HostApprovalForm(forms.Form):
    """Staff approve a host application: the course the host will run (it starts in planning)."""

    template: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Course template"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Course title"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=120)
    start_date = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, help_text=_("For example Africa/Lusaka."))
    capacity = forms.IntegerField(label=_("Participant places"), min_value=1, max_value=5000, initial=30)
    note = forms.CharField(
        label=_("Note to the applicant (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from oncoreach.workshops.models import CourseTemplate

        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = CourseTemplate.objects.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start_date")
        end: dt.date | None = data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        return data
