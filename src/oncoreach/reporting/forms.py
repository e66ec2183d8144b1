"""The impact filters (years, programs, regions, income groups) read from a query string.

Bad input gets a specific, translated error: an unknown parameter, a year outside 1950–2100, a
"from" after a "to", a program, region or income group we do not know, a table or format we do
not export. The dashboard answers 400 with the form and its errors, never a 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oncoreach.geo.enums import IncomeGroup, Region
from oncoreach.reporting.selectors import ImpactFilters

FIRST_YEAR = 1950
LAST_YEAR = 2100
FILTER_PARAMETERS = ("year_from", "year_to", "program", "region", "income_group")


class ImpactFilterForm(forms.Form):
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    program = forms.MultipleChoiceField(label=_("Programs"), required=False)
    region = forms.MultipleChoiceField(label=_("World Bank regions"), required=False, choices=Region.choices)
    income_group = forms.MultipleChoiceField(
        label=_("Income groups (as of each year)"), required=False, choices=IncomeGroup.choices
    )

    def __init__(
        self,
        data: QueryDict | Mapping[str, Any] | None,
        *,
        programs: Iterable[Any],
        also_allowed: Iterable[str] = (),
    ) -> None:
        super().__init__(data)
        self.programs = {program.slug: program for program in programs}
        choices = [(slug, program.name) for slug, program in self.programs.items()]
        self.fields["program"].choices = choices  # type: ignore[attr-defined]
        self.unknown = sorted(set(data or ()) - set(FILTER_PARAMETERS) - set(also_allowed))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.unknown:
            raise forms.ValidationError(
                gettext("Unknown filter: %(names)s.") % {"names": ", ".join(self.unknown)}, code="unknown_parameter"
            )
        first, last = cleaned.get("year_from"), cleaned.get("year_to")
        if first is not None and last is not None and first > last:
            self.add_error("year_to", gettext("The last year must not be before the first."))
        return cleaned

    def filters(self) -> ImpactFilters:
        """The filters once the form is valid."""
        data = self.cleaned_data
        return ImpactFilters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            programs=frozenset(self.programs[slug].pk for slug in data.get("program") or ()),
            regions=frozenset(data.get("region") or ()),
            income_groups=frozenset(data.get("income_group") or ()),
        )
