"""Reads for countries and income groups.

The one question every eligibility rule asks is "what was country C's income group on date D?"
(ARCHITECTURE.md §7). A date after the newest fiscal year loaded is answered with the newest
year and flagged, so callers can store which year they used and staff see a banner until the
new World Bank file is imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Min, QuerySet
from django.utils.translation import gettext as _

from oncoreach.geo.enums import LMIC_GROUPS, IncomeGroup
from oncoreach.geo.fiscal import fiscal_year_bounds, fiscal_year_for, fiscal_year_label
from oncoreach.geo.models import ClassificationImport, Country, IncomeClassification


@dataclass(frozen=True)
class IncomeLookup:
    """A country's income group as of a date, and which fiscal year the answer comes from."""

    income_group: IncomeGroup
    fiscal_year: int
    is_after_newest_year: bool
    label: str

    @property
    def is_lmic(self) -> bool:
        return self.income_group in LMIC_GROUPS


def _lookup(group: str, fiscal_year: int, *, after_newest: bool) -> IncomeLookup:
    income_group = IncomeGroup(group)
    return IncomeLookup(
        income_group=income_group,
        fiscal_year=fiscal_year,
        is_after_newest_year=after_newest,
        label=_("%(group)s (%(year)s)") % {"group": income_group.label, "year": fiscal_year_label(fiscal_year)},
    )


def _year_range() -> tuple[int | None, int | None]:
    bounds = IncomeClassification.objects.aggregate(oldest=Min("fiscal_year"), newest=Max("fiscal_year"))
    return bounds["oldest"], bounds["newest"]


def _resolve_year(on: dt.date, oldest: int | None, newest: int | None) -> tuple[int, bool, bool]:
    """(fiscal year to use, is it after the newest year, is there data for it at all)."""
    wanted = fiscal_year_for(on)
    if newest is None or oldest is None:
        return wanted, False, False
    if wanted > newest:
        return newest, True, True
    return wanted, False, wanted >= oldest


def income_group_on(*, country: Country | int, on: dt.date) -> IncomeLookup:
    """The income group of one country on a date (two queries)."""
    return income_groups_on(countries=[country], on=on)[country if isinstance(country, int) else country.pk]


def income_groups_on(*, countries: Iterable[Country | int], on: dt.date) -> dict[int, IncomeLookup]:
    """Income groups of many countries on one date, keyed by country id, in two queries."""
    ids = [c if isinstance(c, int) else c.pk for c in countries]
    oldest, newest = _year_range()
    year, after_newest, has_data = _resolve_year(on, oldest, newest)
    groups: dict[int, str] = {}
    if has_data and ids:
        groups = dict(
            IncomeClassification.objects.filter(country_id__in=ids, fiscal_year=year).values_list(
                "country_id", "income_group"
            )
        )
    return {pk: _lookup(groups.get(pk, ""), year, after_newest=after_newest) for pk in ids}


def is_lmic(*, country: Country | int, on: dt.date) -> bool:
    """Low, lower-middle or upper-middle income on that date (unclassified is not)."""
    return income_group_on(country=country, on=on).is_lmic


def newest_fiscal_year() -> int | None:
    newest: int | None = IncomeClassification.objects.aggregate(newest=Max("fiscal_year"))["newest"]
    return newest


def classification_is_stale(*, today: dt.date) -> bool:
    """True once the newest fiscal year loaded has ended: a new July file should be imported."""
    newest = newest_fiscal_year()
    return newest is None or today > fiscal_year_bounds(newest)[1]


def countries_for_select() -> list[tuple[int, str]]:
    """(id, name) pairs in name order, for choice fields."""
    return list(Country.objects.order_by("name").values_list("id", "name"))


def country_by_iso3(*, iso3: str) -> Country | None:
    return Country.objects.filter(iso3=iso3.upper()).first()


def classification_imports() -> QuerySet[ClassificationImport]:
    return ClassificationImport.objects.select_related("imported_by").order_by("-created_at", "-pk")


def income_history(*, country: Country) -> QuerySet[IncomeClassification]:
    return IncomeClassification.objects.filter(country=country).order_by("-fiscal_year")


def current_classification_rows() -> list[dict[str, object]]:
    """One row per country with its newest income group, for the CSV export."""
    newest = newest_fiscal_year()
    lending = (
        dict(IncomeClassification.objects.filter(fiscal_year=newest).values_list("country_id", "lending_category"))
        if newest
        else {}
    )
    return [
        {
            "country": country.name,
            "iso3": country.iso3,
            "iso2": country.iso2,
            "region": country.get_region_display() if country.region else "",
            "income_group": country.get_income_group_display() if country.income_group else "",
            "income_group_code": country.income_group,
            "lending_category": lending.get(country.pk, ""),
            "fiscal_year": fiscal_year_label(newest) if newest else "",
        }
        for country in Country.objects.order_by("name")
    ]


def _group_label(code: str | None) -> str:
    return "—" if code is None else str(IncomeGroup(code).label)


def import_change_rows(*, record: ClassificationImport) -> list[dict[str, object]]:
    """An import's changes ready to show: country, fiscal year, old and new group in words."""
    return [
        {
            "country": change["country"],
            "iso3": change["iso3"],
            "fiscal_year": fiscal_year_label(change["fiscal_year"]),
            "old": _group_label(change["old"]),
            "new": _group_label(change["new"]),
            "is_added": change["old"] is None,
        }
        for change in record.changes
    ]


# --- JSON API -----------------------------------------------------------------------------------


def countries_with_income_group(
    *, fiscal_year: int | None = None, region: str = "", income_group: str | None = None
) -> QuerySet[Country]:
    """Countries annotated with their income group in ``fiscal_year`` (the newest loaded when
    ``None``) as ``fy_income_group`` (``None`` when unclassified that year) and the year as
    ``fy_year``; narrowed by region and by that group (``""`` = unclassified)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value

    year = fiscal_year if fiscal_year is not None else newest_fiscal_year()
    rows = (
        IncomeClassification.objects.filter(country=OuterRef("pk"), fiscal_year=year).exclude(income_group="")
        if year is not None
        else IncomeClassification.objects.none()
    )
    countries = Country.objects.annotate(
        fy_income_group=Subquery(rows.values("income_group")[:1]),
        fy_year=Value(year, output_field=IntegerField()),
    )
    if region:
        countries = countries.filter(region=region)
    if income_group == "":
        countries = countries.filter(fy_income_group__isnull=True)
    elif income_group is not None:
        countries = countries.filter(fy_income_group=income_group)
    return countries


def get_country(*, iso3: str) -> Country:
    """Fetch-or-deny for the public API: a country by its ISO3 code, or 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Country, iso3=iso3.upper())
