"""Impact figures per country, region, income group (as of each year), program and year.

The figures themselves are counted by the domain apps (``<app>/figures.py``, registered in
``programs.impact``): one grouped query per family. Here their rows get their dimensions (the
country's World Bank region, and its income group in the fiscal year the row's day falls in),
are filtered, and summed into the tables every page, export and API endpoint shows. A report
costs a fixed number of queries whatever the data: one per family and journey source, plus
countries, programs and income classifications.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from oncoreach.core.cache import public_generation
from oncoreach.geo.enums import IncomeGroup, Region
from oncoreach.geo.fiscal import fiscal_year_for
from oncoreach.geo.models import Country, IncomeClassification
from oncoreach.programs import impact
from oncoreach.programs.impact import Figure, FigureRow, Group, JourneyRow
from oncoreach.programs.models import Program

Number = int | Decimal
# "People reached" on the map and the home page: trained, awarded or mentored (a person reached
# by two programs counts in each).
PEOPLE_REACHED = ("people_trained", "awards_made", "mentorships_active")
DIMENSIONS = ("year", "program", "region", "income_group", "country")
ATTRIBUTES = {
    "year": "year",
    "program": "program_id",
    "region": "region",
    "income_group": "income_group",
    "country": "country_id",
}
INCOME_ORDER = [IncomeGroup.LOW, IncomeGroup.LOWER_MIDDLE, IncomeGroup.UPPER_MIDDLE, IncomeGroup.HIGH, ""]
HEADLINE_KEY = "reporting:headline"
REPORT_KEY = "reporting:public-report"
HEADLINE_SECONDS = 5 * 60


@dataclass(frozen=True)
class ImpactFilters:
    """What a report is narrowed to; empty means everything. Years are calendar years."""

    year_from: int | None = None
    year_to: int | None = None
    programs: frozenset[int] = frozenset()
    regions: frozenset[str] = frozenset()
    income_groups: frozenset[str] = frozenset()
    countries: frozenset[int] = frozenset()

    @property
    def narrows_places(self) -> bool:
        return bool(self.regions or self.income_groups or self.countries)


@dataclass(frozen=True)
class Place:
    pk: int
    iso3: str
    name: str
    slug: str
    region: str


@dataclass(frozen=True)
class Fact:
    """A family row with its dimensions resolved."""

    country_id: int | None
    program_id: int | None
    year: int
    region: str
    income_group: str
    values: Mapping[str, impact.Value]


@dataclass
class Line:
    """One row of a table: a stable key for programs (``KEN``, ``2024``, ``LM``, ``SSA``, a
    program's slug; empty for "none"), a label for people, the figures' values, and for a
    country its id and page."""

    key: str
    label: str
    values: dict[str, Number | None]
    url: str = ""
    pk: int | None = None


@dataclass
class Journeys:
    origin: Place
    destination: Place
    count: int


@dataclass
class ImpactReport:
    filters: ImpactFilters
    figures: list[Figure]  # the reach columns
    follow_up_figures: list[Figure]
    totals: dict[str, Number | None]
    tables: dict[str, list[Line]]  # by dimension
    follow_up: list[Line]  # one line per follow-up period
    journeys: list[Journeys]
    years: list[int]  # every year with data, oldest first
    places: dict[int, Place] = field(repr=False, default_factory=dict)

    def table(self, dimension: str) -> list[Line]:
        return self.tables[dimension]

    @property
    def people_reached(self) -> dict[int, int]:
        """Country id → people reached (see PEOPLE_REACHED), for the map."""
        return {line.pk: people_reached(line.values) for line in self.tables["country"] if line.pk is not None}


def people_reached(values: Mapping[str, Number | None]) -> int:
    return int(sum(values.get(key) or 0 for key in PEOPLE_REACHED))


# --- Loading --------------------------------------------------------------------------------------


def places() -> dict[int, Place]:
    return {
        row[0]: Place(pk=row[0], iso3=row[1], name=row[2], slug=row[3], region=row[4])
        for row in Country.objects.order_by().values_list("pk", "iso3", "name", "slug", "region")
    }


def program_catalogue() -> dict[int, Program]:
    return {program.pk: program for program in Program.objects.order_by("sort_order", "name")}


def _income_groups(fiscal_years: set[int]) -> tuple[dict[tuple[int, int], str], int | None, int | None]:
    """(country, fiscal year) → income group for the years asked (and later ones), with the
    oldest and newest fiscal year among those loaded (one query)."""
    if not fiscal_years:
        return {}, None, None
    rows = (
        IncomeClassification.objects.filter(fiscal_year__gte=min(fiscal_years))
        .order_by()
        .values_list("country_id", "fiscal_year", "income_group")
    )
    groups = {(country, year): group for country, year, group in rows}
    if not groups:
        newest = IncomeClassification.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
        if newest is None:
            return {}, None, None
        rows = IncomeClassification.objects.filter(fiscal_year=newest).values_list(
            "country_id", "fiscal_year", "income_group"
        )
        groups = {(country, year): group for country, year, group in rows}
    years = {year for _country, year in groups}
    return groups, min(years), max(years)


def facts(*, countries: Mapping[int, Place]) -> list[Fact]:
    """Every registered family's rows, each with its year, region and income group as of its
    fiscal year (the newest loaded for a day after it, "not classified" before the oldest)."""
    rows: list[FigureRow] = [row for family in impact.families() for row in family.rows()]
    wanted = {fiscal_year_for(row.day) for row in rows}
    groups, _oldest, newest = _income_groups(wanted)
    result = []
    for row in rows:
        place = countries.get(row.country_id) if row.country_id is not None else None
        fiscal_year = fiscal_year_for(row.day)
        if newest is not None and fiscal_year > newest:
            fiscal_year = newest
        group = groups.get((place.pk, fiscal_year), "") if place else ""
        result.append(
            Fact(
                country_id=row.country_id if place else None,
                program_id=row.program_id,
                year=row.day.year,
                region=place.region if place else "",
                income_group=group,
                values=row.values,
            )
        )
    return result


def _keeps(
    filters: ImpactFilters, *, year: int, program_id: int | None, country_id: int | None, region: str, group: str
) -> bool:
    if filters.year_from is not None and year < filters.year_from:
        return False
    if filters.year_to is not None and year > filters.year_to:
        return False
    if filters.programs and program_id not in filters.programs:
        return False
    if filters.countries and country_id not in filters.countries:
        return False
    if filters.regions and (country_id is None or region not in filters.regions):
        return False
    return not (filters.income_groups and (country_id is None or group not in filters.income_groups))


# --- Summing --------------------------------------------------------------------------------------


class _Sum:
    """Running totals of figure values: numbers add up, id sets unite."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, values: Mapping[str, impact.Value]) -> None:
        for key, value in values.items():
            if isinstance(value, frozenset):
                bucket = self.values.get(key)
                if bucket is None:
                    bucket = self.values[key] = set()
                bucket |= value
            else:
                self.values[key] = self.values.get(key, 0) + value

    def result(self, figures: Sequence[Figure], provided: set[str]) -> dict[str, Number | None]:
        out: dict[str, Number | None] = {}
        for figure in figures:
            if figure.ratio_of:
                top, bottom = (self._plain(key) for key in figure.ratio_of)
                out[figure.key] = None if not bottom else (Decimal(top) / Decimal(bottom)).quantize(Decimal("0.1"))
            elif figure.key in provided or figure.key in self.values:
                out[figure.key] = self._plain(figure.key)
            else:
                out[figure.key] = 0
        return out

    def _plain(self, key: str) -> Number:
        value = self.values.get(key, 0)
        return len(value) if isinstance(value, set) else value


def _line(dimension: str, key: Any, countries: Mapping[int, Place], programs: Mapping[int, Program]) -> Line:  # noqa: PLR0911 — one return per dimension
    """A table line without values yet: its key, label and, for a country, id and page."""
    if dimension == "year":
        return Line(key=str(key), label=str(key), values={})
    if dimension == "program":
        program = programs.get(key) if key is not None else None
        if program is None:
            return Line(key="", label=str(_("No program")), values={})
        return Line(key=program.slug, label=program.name, values={}, pk=program.pk)
    if dimension == "region":
        label = Region(key).label if key and key in Region.values else _("No region")
        return Line(key=key, label=str(label), values={})
    if dimension == "income_group":
        return Line(key=key, label=str(IncomeGroup(key).label) if key else str(_("Not classified")), values={})
    place = countries.get(key) if key is not None else None
    if place is None:
        return Line(key="", label=str(_("No country")), values={})
    url = reverse("pages:country-detail", kwargs={"slug": place.slug})
    return Line(key=place.iso3, label=place.name, values={}, url=url, pk=place.pk)


def _order(dimension: str, key: Any, label: str) -> tuple[Any, ...]:
    if dimension == "year":
        return (key,)
    if dimension == "region":
        return (list(Region.values).index(key) if key and key in Region.values else 99,)
    if dimension == "income_group":
        return (INCOME_ORDER.index(key) if key in INCOME_ORDER else 99,)
    return (key is None, label.casefold())


def impact_report(*, filters: ImpactFilters | None = None) -> ImpactReport:
    """Totals and tables by year, program, region, income group and country under ``filters``,
    the follow-up surveys' roll-up, and faculty journeys. Lines with only zeros are left out;
    years run without gaps from the first to the last year with data."""
    filters = filters or ImpactFilters()
    countries = places()
    programs = program_catalogue()
    all_facts = facts(countries=countries)
    catalogue = impact.figures()
    provided = impact.provided_keys()
    reach = [figure for figure in catalogue if figure.group == Group.REACH]
    follow_up = [figure for figure in catalogue if figure.group == Group.FOLLOW_UP]

    total = _Sum()
    by: dict[str, dict[Any, _Sum]] = {dimension: defaultdict(_Sum) for dimension in DIMENSIONS}
    years_seen = set()
    for fact in all_facts:
        years_seen.add(fact.year)
        if not _keeps(
            filters,
            year=fact.year,
            program_id=fact.program_id,
            country_id=fact.country_id,
            region=fact.region,
            group=fact.income_group,
        ):
            continue
        total.add(fact.values)
        for dimension, sums in by.items():
            sums[getattr(fact, ATTRIBUTES[dimension])].add(fact.values)

    tables: dict[str, list[Line]] = {}
    for dimension, sums in by.items():
        if dimension == "year" and sums:
            first, last = min(sums), max(sums)
            for year in range(first, last + 1):
                sums.setdefault(year, _Sum())
        lines = []
        for key, summed in sums.items():
            values = summed.result(reach, provided)
            if dimension != "year" and not any(values.values()):
                continue
            line = _line(dimension, key, countries, programs)
            line.values = values
            lines.append((_order(dimension, key, line.label), line))
        tables[dimension] = [line for _order_key, line in sorted(lines, key=lambda item: item[0])]

    totals_all = total.result([*reach, *follow_up], provided)
    follow_lines = [
        Line(
            key=period,
            label=str(name),
            values={
                "answers": totals_all[f"followup_{period}_answers"],
                "practice_changed": totals_all[f"followup_{period}_practice_changed"],
                "colleagues_trained": totals_all[f"followup_{period}_colleagues_trained"],
                "multiplier": totals_all[f"followup_{period}_multiplier"],
            },
        )
        for period, name in impact.FOLLOW_UP_PERIODS
    ]
    return ImpactReport(
        filters=filters,
        figures=reach,
        follow_up_figures=follow_up,
        totals=totals_all,
        tables=tables,
        follow_up=follow_lines,
        journeys=journeys(filters=filters, countries=countries),
        years=sorted(years_seen),
        places=countries,
    )


def journeys(*, filters: ImpactFilters, countries: Mapping[int, Place]) -> list[Journeys]:
    """Journeys between countries under ``filters`` (places filters apply to the destination),
    most travelled first."""
    rows: list[JourneyRow] = [row for source in impact.journey_sources() for row in source.rows()]
    if not rows:
        return []
    groups, _oldest, newest = _income_groups({fiscal_year_for(row.day) for row in rows})
    summed: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows:
        host = countries.get(row.destination_id)
        if host is None or row.origin_id not in countries:
            continue
        fiscal_year = fiscal_year_for(row.day)
        if newest is not None and fiscal_year > newest:
            fiscal_year = newest
        if _keeps(
            filters,
            year=row.day.year,
            program_id=row.program_id,
            country_id=row.destination_id,
            region=host.region,
            group=groups.get((row.destination_id, fiscal_year), ""),
        ):
            summed[(row.origin_id, row.destination_id)] += row.count
    ordered = sorted(
        summed.items(), key=lambda item: (-item[1], countries[item[0][0]].name, countries[item[0][1]].name)
    )
    return [Journeys(origin=countries[a], destination=countries[b], count=count) for (a, b), count in ordered]


# --- What the public pages show -------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The program in a few numbers (home page)."""

    people_trained: int
    countries_reached: int
    faculty_trips: int
    volunteer_hours: int
    stories_published: int
    awards_made: int
    mentorships_active: int
    multiplier: Decimal | None


def headline_figures() -> Headline:
    """The home page's numbers, from the same report as everything else; kept a few minutes in
    the shared cache, since signed-in readers get the home page uncached."""
    headline: Headline | None = cache.get(HEADLINE_KEY)
    if headline is None:
        report = public_report()
        totals = report.totals
        headline = Headline(
            people_trained=int(totals["people_trained"] or 0),
            countries_reached=sum(1 for reached in report.people_reached.values() if reached),
            faculty_trips=int(totals["faculty_trips"] or 0),
            volunteer_hours=int(totals["volunteer_hours"] or 0),
            stories_published=int(totals["stories_published"] or 0),
            awards_made=int(totals["awards_made"] or 0),
            mentorships_active=int(totals["mentorships_active"] or 0),
            multiplier=totals["followup_1y_multiplier"],  # type: ignore[arg-type]
        )
        cache.set(HEADLINE_KEY, headline, HEADLINE_SECONDS)
    return headline


def country_report(*, country: Country) -> ImpactReport:
    """One country's figures, every table narrowed to it."""
    return impact_report(filters=ImpactFilters(countries=frozenset({country.pk})))


def public_report() -> ImpactReport:
    """The unfiltered report the public pages show, kept a few minutes in the shared cache per
    language (its labels are in the reader's language) and public-page generation (so a
    publication shows at once, as on the cached pages). The page cache keeps whole pages for
    anonymous readers; this keeps signed-in readers' pages and the country pages cheap."""
    key = f"{REPORT_KEY}:{public_generation()}:{get_language()}"
    report: ImpactReport | None = cache.get(key)
    if report is None:
        report = impact_report()
        cache.set(key, report, HEADLINE_SECONDS)
    return report


@dataclass(frozen=True)
class CountryFigures:
    figures: list[Figure]
    values: dict[str, Number | None]


def country_figures(*, country: Country) -> CountryFigures:
    """The country's line of the public report (zeros when nothing happened there yet)."""
    report = public_report()
    for line in report.table("country"):
        if line.pk == country.pk:
            return CountryFigures(figures=report.figures, values=line.values)
    return CountryFigures(figures=report.figures, values={figure.key: 0 for figure in report.figures})
