"""Countries in the JSON API, with their World Bank income group by fiscal year (public)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from oncoreach.core.apikit import Cursor, CursorPage, FiscalYear, Iso3, Limit, paginate, site_url
from oncoreach.geo import selectors
from oncoreach.geo.enums import IncomeGroup, Region
from oncoreach.geo.fiscal import fiscal_year_label
from oncoreach.geo.models import Country

router = Router(tags=["countries"])


class CountryQuery(Schema):
    region: Region | None = Field(None, description="World Bank region code.")
    income_group: IncomeGroup | None = Field(
        None, description="Only countries in this income group that fiscal year (empty value: unclassified)."
    )
    fiscal_year: FiscalYear | None = Field(None, description="The fiscal year of the income groups (default: newest).")
    cursor: Cursor | None = None
    limit: Limit = 50


class CountryOut(Schema):
    iso3: str
    iso2: str
    name: str
    region: str = Field(description="World Bank region code, empty when none.")
    region_name: str
    fiscal_year: int | None = Field(description="The fiscal year `income_group` is for; null before any is loaded.")
    income_group: str | None = Field(description="L, LM, UM or H; null when not classified that year.")
    income_group_name: str | None
    url: str = Field(description="The country's page on the public site.")


class CountryList(CursorPage):
    items: list[CountryOut]


class ClassificationOut(Schema):
    fiscal_year: int
    fiscal_year_label: str = Field(description="e.g. FY2026 (July 2025 to June 2026)")
    income_group: str | None
    income_group_name: str | None
    lending_category: str
    valid_from: dt.date
    valid_to: dt.date


class CountryDetailOut(CountryOut):
    income_groups: list[ClassificationOut] = Field(description="Every fiscal year loaded, newest first.")


def _group(code: str | None) -> tuple[str | None, str | None]:
    if not code:
        return None, None
    return code, str(IncomeGroup(code).label)


def _country(country: Country, *, group: str | None, year: int | None) -> dict[str, object]:
    code, name = _group(group)
    return {
        "iso3": country.iso3,
        "iso2": country.iso2,
        "name": country.name,
        "region": country.region,
        "region_name": str(country.get_region_display()) if country.region else "",
        "fiscal_year": year,
        "income_group": code,
        "income_group_name": name,
        "url": site_url(country.get_absolute_url()),
    }


@router.get("/countries", response=CountryList)
def list_countries(request: HttpRequest, query: Query[CountryQuery]) -> CountryList:
    """Countries by name, each with its income group in one fiscal year."""
    countries = selectors.countries_with_income_group(
        fiscal_year=query.fiscal_year,
        region=query.region or "",
        income_group=None if query.income_group is None else str(query.income_group),
    )
    page = paginate(request, countries, order=("name", "pk"), cursor=query.cursor, limit=query.limit)
    items = [
        CountryOut(**_country(c, group=c.fy_income_group, year=c.fy_year))  # type: ignore[attr-defined,arg-type]
        for c in page.items
    ]
    return CountryList(items=items, next_cursor=page.next_cursor, next=page.next)


@router.get("/countries/{iso3}", response=CountryDetailOut)
def get_country(request: HttpRequest, iso3: Iso3) -> CountryDetailOut:
    """One country with its income group in every fiscal year loaded."""
    country = selectors.get_country(iso3=iso3)
    history = list(selectors.income_history(country=country))
    newest = history[0] if history else None
    summary = _country(
        country, group=newest.income_group if newest else None, year=newest.fiscal_year if newest else None
    )
    return CountryDetailOut(
        **summary,  # type: ignore[arg-type]
        income_groups=[
            ClassificationOut(
                fiscal_year=row.fiscal_year,
                fiscal_year_label=fiscal_year_label(row.fiscal_year),
                income_group=_group(row.income_group)[0],
                income_group_name=_group(row.income_group)[1],
                lending_category=row.lending_category,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
            for row in history
        ],
    )
