"""The GET filter form of the public stories index.

A value that matches nothing (an old link, a typo) is dropped with a notice rather than failing:
the reader still gets a list (the brief: unknown filter values are ignored with a message).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoreach.stories import selectors
from oncoreach.stories.selectors import StoryFilters

IGNORED_NOTICE_ID = "ignored-filters"


class StoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ModelChoiceField(
        label=_("Country"),
        required=False,
        queryset=selectors.countries_with_stories(),
        to_field_name="slug",
        empty_label=_("All countries"),
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        required=False,
        queryset=selectors.programs_with_stories(),
        to_field_name="slug",
        empty_label=_("All programs"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=selectors.topics_with_stories(),
        to_field_name="slug",
        empty_label=_("All topics"),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field: forms.TypedChoiceField = self.fields["year"]  # type: ignore[assignment]
        year_field.choices = [("", _("All years")), *((year, str(year)) for year in selectors.story_years())]
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> StoryFilters:
        """The valid choices only; invalid ones are reported by ``ignored_fields``."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return StoryFilters(
            country=data.get("country"),
            program=data.get("program"),
            topic=data.get("topic"),
            year=data.get("year"),
            q=(data.get("q") or "").strip(),
        )

    def ignored_fields(self) -> list[str]:
        """Labels of the filters whose value matched nothing and was ignored; each such field
        points to the notice that says so (aria-describedby)."""
        for name in self.errors:
            self.fields[name].widget.attrs["aria-describedby"] = IGNORED_NOTICE_ID
        return [str(self.fields[name].label) for name in self.errors]
