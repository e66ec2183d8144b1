"""The reference data shipped in ``geo/data/``: reading the CSV files (no database).

Kept apart from the services so the importer can ask "is this a known ISO country?" from the
same file the loader uses.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from oncoreach.geo.fiscal import parse_fiscal_year
from oncoreach.geo.worldbank import DERIVED_CODES, group_for, region_for

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_FILE = "country_income_groups.csv"
HISTORY_FILE = "country_income_history.csv"
ZONES_FILE = "timezones_languages.csv"


@dataclass(frozen=True)
class CountryFacts:
    iso3: str
    iso2: str
    name: str
    region: str
    languages: tuple[str, ...]
    primary_language: str
    time_zone: str
    time_zones: tuple[str, ...]


@dataclass(frozen=True)
class HistoryFact:
    iso3: str
    fiscal_year: int
    income_group: str
    valid_from: dt.date
    valid_to: dt.date


def _read(data_dir: Path, name: str) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


@lru_cache(maxsize=4)
def zone_facts(data_dir: Path = DATA_DIR) -> dict[str, CountryFacts]:
    """Every ISO 3166-1 country (plus Kosovo) by alpha-3, with languages and time zones."""
    return {
        row["iso3"]: CountryFacts(
            iso3=row["iso3"],
            iso2=row["iso2"],
            name=row["name"],
            region="",
            languages=_split(row["languages_common"]),
            primary_language=row["primary_language"],
            time_zone=row["timezone"],
            time_zones=_split(row["all_timezones"]),
        )
        for row in _read(data_dir, ZONES_FILE)
    }


@lru_cache(maxsize=4)
def country_facts(data_dir: Path = DATA_DIR) -> tuple[dict[str, CountryFacts], dict[str, str], int | None]:
    """Countries to load (World Bank economies with an ISO code, then the other ISO countries),
    the newest lending category by alpha-3, and the fiscal year that category belongs to."""
    zones = zone_facts(data_dir)
    facts: dict[str, CountryFacts] = {}
    lending: dict[str, str] = {}
    fiscal_year: int | None = None
    for row in _read(data_dir, COUNTRIES_FILE):
        if not row["iso2"]:  # the Channel Islands: loaded as Jersey and Guernsey instead
            continue
        zone = zones.get(row["iso3"])
        region = region_for(row["region"])
        facts[row["iso3"]] = CountryFacts(
            iso3=row["iso3"],
            iso2=row["iso2"],
            name=row["name"],
            region=region.value if region is not None else "",
            languages=zone.languages if zone else (),
            primary_language=zone.primary_language if zone else "",
            time_zone=zone.time_zone if zone else "",
            time_zones=zone.time_zones if zone else (),
        )
        lending[row["iso3"]] = row["lending_category"]
        fiscal_year = parse_fiscal_year(row["fiscal_year"])
    for iso3, zone in zones.items():
        facts.setdefault(iso3, zone)
    return facts, lending, fiscal_year


@lru_cache(maxsize=4)
def history_facts(data_dir: Path = DATA_DIR) -> tuple[HistoryFact, ...]:
    """One fact per economy and fiscal year; World Bank aggregates stand for their ISO parts."""
    facts = []
    for row in _read(data_dir, HISTORY_FILE):
        group = group_for(row["code"])
        assert group is not None, row
        for iso3 in DERIVED_CODES.get(row["iso3"], (row["iso3"],)):
            facts.append(
                HistoryFact(
                    iso3=iso3,
                    fiscal_year=int(row["fiscal_year"]),
                    income_group=group.value,
                    valid_from=dt.date.fromisoformat(row["valid_from"]),
                    valid_to=dt.date.fromisoformat(row["valid_to"]),
                )
            )
    return tuple(facts)
