"""The impact figures in the JSON API (public): the catalogue, totals, and tables by dimension.

Same filters as the staff dashboard, one value each: ``year_from``/``year_to`` (1950–2100),
``program`` (slug), ``region`` and ``income_group`` (World Bank codes; the income group is the
one of each year's fiscal year), ``country`` (ISO3). A value that names nothing we know gives
zeros, as the other endpoints give an empty list; a "from" after a "to" is 400 ``invalid_year_range`` (each value is valid alone, so not 422).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field

from oncoreach.core.apikit import ApiError, Iso3, Slug, Year, site_url
from oncoreach.geo.enums import IncomeGroup, Region
from oncoreach.programs import impact
from oncoreach.reporting import selectors
from oncoreach.reporting.selectors import ImpactFilters, ImpactReport, Number

router = Router(tags=["impact"])
NOTHING = 0  # no row has this id: a filter naming nothing we know matches nothing
Dimension = Literal["year", "program", "region", "income_group", "country"]
FigureValue = int | float | None


class ImpactQuery(Schema):
    year_from: Year | None = Field(None, description="First calendar year counted.")
    year_to: Year | None = Field(None, description="Last calendar year counted.")
    program: Slug | None = Field(None, description="Only this program (slug).")
    region: Region | None = Field(None, description="Only countries in this World Bank region.")
    income_group: IncomeGroup | None = Field(
        None, description="Only countries in this income group in the fiscal year each figure falls in."
    )
    country: Iso3 | None = Field(None, description="Only this country.")


class FigureOut(Schema):
    key: str = Field(description="Stable; the key of `totals` and of each line's `values`.")
    label: str
    definition: str = Field(description="Exactly what the figure counts.")
    unit: str = Field(description="count, hours, usd or ratio.")
    group: str = Field(description="reach (headline figures) or follow_up (survey roll-ups).")


class FigureList(Schema):
    items: list[FigureOut]


class FollowUpOut(Schema):
    period: str = Field(description="1m, 1y or 5y.")
    answers: int
    practice_changed: int
    colleagues_trained: int
    multiplier: float | None = Field(description="Colleagues trained per alumnus who answered; null with no answers.")


class TotalsOut(Schema):
    totals: dict[str, FigureValue] = Field(description="Every figure of the catalogue, by key.")
    follow_up: list[FollowUpOut]
    years: list[int] = Field(description="Every year with any data, unfiltered.")


class LineOut(Schema):
    key: str = Field(description="The year, program slug, region or income group code, or ISO3; empty for none.")
    label: str
    values: dict[str, FigureValue]
    url: str | None = Field(description="The country's page, for countries.")


class TableOut(Schema):
    dimension: str
    items: list[LineOut] = Field(description="Every line with any figure (years: every year in range).")
    totals: dict[str, FigureValue]


def _plain(value: Number | None) -> FigureValue:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _report(query: ImpactQuery) -> ImpactReport:
    if query.year_from is not None and query.year_to is not None and query.year_from > query.year_to:
        raise ApiError(
            400,
            "invalid_year_range",
            _("The last year must not be before the first."),
            details=[
                {
                    "field": "year_to",
                    "location": "query",
                    "code": "invalid_year_range",
                    "message": _("The last year must not be before the first."),
                }
            ],
        )
    if not any(getattr(query, name) is not None for name in ImpactQuery.model_fields):
        return selectors.public_report()
    programs: frozenset[int] = frozenset()
    if query.program:
        found = [program.pk for program in selectors.program_catalogue().values() if program.slug == query.program]
        programs = frozenset(found or [NOTHING])
    countries: frozenset[int] = frozenset()
    if query.country:
        found = [place.pk for place in selectors.places().values() if place.iso3 == query.country.upper()]
        countries = frozenset(found or [NOTHING])
    return selectors.impact_report(
        filters=ImpactFilters(
            year_from=query.year_from,
            year_to=query.year_to,
            programs=programs,
            regions=frozenset({str(query.region)} if query.region else ()),
            income_groups=frozenset({str(query.income_group)} if query.income_group else ()),
            countries=countries,
        )
    )


def _totals(report: ImpactReport) -> dict[str, FigureValue]:
    return {
        figure.key: _plain(report.totals.get(figure.key)) for figure in [*report.figures, *report.follow_up_figures]
    }


@router.get("/impact/figures", response=FigureList)
def list_impact_figures(request: HttpRequest) -> FigureList:
    """Every impact figure: its key, label and exactly what it counts."""
    return FigureList(
        items=[
            FigureOut(key=f.key, label=str(f.label), definition=str(f.definition), unit=str(f.unit), group=str(f.group))
            for f in impact.figures()
        ]
    )


@router.get("/impact", response=TotalsOut)
def get_impact_totals(request: HttpRequest, query: Query[ImpactQuery]) -> TotalsOut:
    """The impact figures' totals under the filters, and the follow-up surveys' roll-up."""
    report = _report(query)
    return TotalsOut(
        totals=_totals(report),
        follow_up=[
            FollowUpOut(
                period=line.key,
                answers=int(line.values["answers"] or 0),
                practice_changed=int(line.values["practice_changed"] or 0),
                colleagues_trained=int(line.values["colleagues_trained"] or 0),
                multiplier=_plain(line.values["multiplier"]),
            )
            for line in report.follow_up
        ],
        years=report.years,
    )


@router.get("/impact/by/{dimension}", response=TableOut)
def get_impact_table(request: HttpRequest, dimension: Dimension, query: Query[ImpactQuery]) -> TableOut:
    """The headline figures by year, program, region, income group (as of each year) or country."""
    report = _report(query)
    return TableOut(
        dimension=dimension,
        items=[
            LineOut(
                key=line.key,
                label=line.label,
                values={key: _plain(value) for key, value in line.values.items()},
                url=site_url(line.url) if line.url else None,
            )
            for line in report.table(dimension)
        ],
        totals={figure.key: _plain(report.totals.get(figure.key)) for figure in report.figures},
    )
