"""Writes for countries and income groups: loading the shipped reference data, and importing a
new World Bank classification file (the yearly July update)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oncoreach.core.cache import bump_public_generation
from oncoreach.core.pending import PendingUploads
from oncoreach.core.services import record_audit
from oncoreach.geo.fiscal import fiscal_year_bounds, parse_fiscal_year
from oncoreach.geo.models import ClassificationImport, Country, IncomeClassification
from oncoreach.geo.reference import DATA_DIR, CountryFacts, country_facts, history_facts, zone_facts
from oncoreach.geo.worldbank import DERIVED_CODES, MAX_FILE_BYTES, ParsedRow, read_world_bank_file

# Rows the loader wrote carry this prefix; rows an import wrote or changed do not, so restarting
# the app (which reloads the shipped data) never undoes an import.
REFERENCE_SOURCE = "reference:World Bank OGHIST 2025-10-07"
REFERENCE_PREFIX = "reference:"
IMPORT_PREFIX = "import:"
_COUNTRY_FIELDS = ("iso2", "name", "languages", "primary_language", "time_zone", "time_zones")


@dataclass
class LoadReport:
    countries_created: int = 0
    countries_updated: int = 0
    classifications_created: int = 0
    classifications_updated: int = 0
    countries_total: int = 0
    classifications_total: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.countries_created,
                self.countries_updated,
                self.classifications_created,
                self.classifications_updated,
            )
        )


def _unique_slug(name: str, iso3: str, taken: set[str]) -> str:
    slug = slugify(name)[:90] or iso3.lower()
    if slug in taken:
        slug = f"{slug}-{iso3.lower()}"
    taken.add(slug)
    return slug


def _new_country(facts: CountryFacts, *, taken_slugs: set[str]) -> Country:
    return Country(
        iso3=facts.iso3,
        iso2=facts.iso2,
        name=facts.name,
        slug=_unique_slug(facts.name, facts.iso3, taken_slugs),
        region=facts.region,
        languages=list(facts.languages),
        primary_language=facts.primary_language,
        time_zone=facts.time_zone,
        time_zones=list(facts.time_zones),
    )


def _sync_newest_income_groups() -> set[int]:
    """Set every Country.income_group to its group in the newest fiscal year; return the ids moved."""
    newest = IncomeClassification.objects.aggregate(newest=Max("fiscal_year"))["newest"]
    groups = (
        dict(IncomeClassification.objects.filter(fiscal_year=newest).values_list("country_id", "income_group"))
        if newest
        else {}
    )
    moved = []
    for country in Country.objects.only("id", "income_group"):
        group = groups.get(country.pk, "")
        if country.income_group != group:
            country.income_group = group
            moved.append(country)
    Country.objects.bulk_update(moved, ["income_group"], batch_size=500)
    return {country.pk for country in moved}


_INSERT_COLUMNS = ("country_id", "fiscal_year", "income_group", "lending_category", "valid_from", "valid_to", "source")


def _insert_classifications(rows: list[tuple[Any, ...]]) -> None:
    """Plain INSERTs for the first load: building 8,000 model instances costs seconds, this ~0.1 s."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(IncomeClassification._meta.db_table)
    columns = ", ".join(quote(column) for column in _INSERT_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608 — names are ours


@transaction.atomic
def load_reference_data(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load the shipped countries and income history; a second run writes nothing.

    The loader owns names, codes, languages and time zones. A region is only filled in when
    missing, and classification rows written by an import are left alone: World Bank imports own
    those from then on.
    """
    facts, lending, lending_year = country_facts(data_dir)
    report = LoadReport()

    existing = {country.iso3: country for country in Country.objects.all()}
    taken_slugs = {country.slug for country in existing.values()}
    new_countries = [_new_country(f, taken_slugs=taken_slugs) for iso3, f in facts.items() if iso3 not in existing]
    Country.objects.bulk_create(new_countries, batch_size=500)
    report.countries_created = len(new_countries)

    updated = []
    for iso3, country in existing.items():
        if iso3 not in facts:
            continue
        wanted = facts[iso3]
        values: dict[str, Any] = {
            "iso2": wanted.iso2,
            "name": wanted.name,
            "languages": list(wanted.languages),
            "primary_language": wanted.primary_language,
            "time_zone": wanted.time_zone,
            "time_zones": list(wanted.time_zones),
        }
        dirty = False
        for name, value in values.items():
            if getattr(country, name) != value:
                setattr(country, name, value)
                dirty = True
        if not country.region and wanted.region:
            country.region = wanted.region
            dirty = True
        if dirty:
            updated.append(country)
    Country.objects.bulk_update(updated, [*_COUNTRY_FIELDS, "region"], batch_size=500)
    report.countries_updated = len(updated)

    ids = dict(Country.objects.values_list("iso3", "id"))
    current = {
        (country_id, year): (pk, group, lending_category, source)
        for pk, country_id, year, group, lending_category, source in IncomeClassification.objects.values_list(
            "id", "country_id", "fiscal_year", "income_group", "lending_category", "source"
        )
    }
    to_create: list[tuple[Any, ...]] = []
    to_update = []
    for fact in history_facts(data_dir):
        country_id = ids.get(fact.iso3)
        if country_id is None:  # former economies (Yugoslavia, USSR, ...) have no ISO country today
            continue
        lending_category = lending.get(fact.iso3, "") if fact.fiscal_year == lending_year else ""
        row = current.get((country_id, fact.fiscal_year))
        if row is None:
            to_create.append(
                (
                    country_id,
                    fact.fiscal_year,
                    fact.income_group,
                    lending_category,
                    connection.ops.adapt_datefield_value(fact.valid_from),
                    connection.ops.adapt_datefield_value(fact.valid_to),
                    REFERENCE_SOURCE,
                )
            )
        elif row[3].startswith(REFERENCE_PREFIX) and (row[1], row[2]) != (fact.income_group, lending_category):
            to_update.append(
                IncomeClassification(pk=row[0], income_group=fact.income_group, lending_category=lending_category)
            )
    _insert_classifications(to_create)
    IncomeClassification.objects.bulk_update(to_update, ["income_group", "lending_category"], batch_size=1000)
    report.classifications_created = len(to_create)
    report.classifications_updated = len(to_update)

    moved = _sync_newest_income_groups() - {country.pk for country in [*new_countries, *updated]}
    report.countries_updated += len(moved)
    report.countries_total = len(ids)
    report.classifications_total = len(current) + len(to_create)
    if report.changed:
        transaction.on_commit(bump_public_generation)
    return report


@dataclass
class _Plan:
    new_countries: list[Country] = field(default_factory=list)
    creates: list[tuple[str, ParsedRow]] = field(default_factory=list)
    updates: list[tuple[int, ParsedRow]] = field(default_factory=list)
    quiet_updates: list[tuple[int, ParsedRow]] = field(default_factory=list)  # same group, new lending
    region_moves: dict[str, str] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


def _read_upload(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes):
        data = file
    else:
        size = getattr(file, "size", None)
        if size is not None and size > MAX_FILE_BYTES:
            raise ValidationError(
                _("This file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)},
                code="too_large",
            )
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    return data


def _expand_derived(rows: Iterable[ParsedRow]) -> list[ParsedRow]:
    """The World Bank's "Channel Islands" classifies Jersey and Guernsey."""
    out = []
    for row in rows:
        for code in DERIVED_CODES.get(row.code, (row.code,)):
            # A derived country keeps its own ISO name, not the aggregate's ("Channel Islands").
            out.append(row if code == row.code else ParsedRow(**{**row.__dict__, "code": code, "name": ""}))
    return out


def _plan_import(rows: list[ParsedRow], fiscal_years: list[int]) -> _Plan:
    plan = _Plan()
    countries = {country.iso3: country for country in Country.objects.all()}
    known = zone_facts()
    taken_slugs = {country.slug for country in countries.values()}
    skipped: dict[str, str] = {}
    planned: set[str] = set()
    for row in rows:
        if row.code in countries:
            continue
        if row.code in known and row.code not in planned:
            facts = known[row.code]
            country = _new_country(
                CountryFacts(**{**facts.__dict__, "name": row.name or facts.name, "region": row.region or ""}),
                taken_slugs=taken_slugs,
            )
            plan.new_countries.append(country)
            planned.add(row.code)
            plan.warnings.append(_("%(code)s: new country “%(name)s” added") % {"code": row.code, "name": country.name})
        elif row.code not in known:
            skipped[row.code] = row.name
    plan.warnings.extend(
        _("%(code)s: “%(name)s” is not an ISO country; not loaded") % {"code": code, "name": name}
        for code, name in sorted(skipped.items())
    )
    new_names = {country.iso3: country.name for country in plan.new_countries}
    new_codes = set(new_names)
    current = {
        (iso3, year): (pk, group, lending_category)
        for pk, iso3, year, group, lending_category in IncomeClassification.objects.filter(
            fiscal_year__in=fiscal_years
        ).values_list("id", "country__iso3", "fiscal_year", "income_group", "lending_category")
    }
    for row in rows:
        if row.code not in countries and row.code not in new_codes:
            continue
        known_country = countries.get(row.code)
        if known_country is not None and row.region and known_country.region != row.region:
            plan.region_moves[row.code] = row.region
        name = known_country.name if known_country is not None else new_names[row.code]
        existing = current.get((row.code, row.fiscal_year))
        if existing is None:
            plan.creates.append((row.code, row))
            plan.changes.append(
                {
                    "iso3": row.code,
                    "country": name,
                    "fiscal_year": row.fiscal_year,
                    "old": None,
                    "new": row.income_group,
                }
            )
        elif existing[1] != row.income_group:
            plan.updates.append((existing[0], row))
            plan.changes.append(
                {
                    "iso3": row.code,
                    "country": name,
                    "fiscal_year": row.fiscal_year,
                    "old": existing[1],
                    "new": row.income_group,
                }
            )
        else:
            plan.unchanged += 1
            if row.lending_category is not None and row.lending_category != existing[2]:
                plan.quiet_updates.append((existing[0], row))
    plan.changes.sort(key=lambda change: (change["country"], change["fiscal_year"]))
    return plan


def _apply_plan(plan: _Plan, *, source: str) -> None:
    Country.objects.bulk_create(plan.new_countries, batch_size=500)
    ids = dict(Country.objects.values_list("iso3", "id"))
    creates = []
    for code, row in plan.creates:
        valid_from, valid_to = fiscal_year_bounds(row.fiscal_year)
        creates.append(
            IncomeClassification(
                country_id=ids[code],
                fiscal_year=row.fiscal_year,
                income_group=row.income_group,
                lending_category=row.lending_category or "",
                valid_from=valid_from,
                valid_to=valid_to,
                source=source,
            )
        )
    IncomeClassification.objects.bulk_create(creates, batch_size=1000)
    updates = [
        IncomeClassification(
            pk=pk, income_group=row.income_group, lending_category=row.lending_category or "", source=source
        )
        for pk, row in plan.updates
    ]
    IncomeClassification.objects.bulk_update(updates, ["income_group", "lending_category", "source"], batch_size=1000)
    lending = [
        IncomeClassification(pk=pk, lending_category=row.lending_category or "") for pk, row in plan.quiet_updates
    ]
    IncomeClassification.objects.bulk_update(lending, ["lending_category"], batch_size=1000)
    for code, region in plan.region_moves.items():
        Country.objects.filter(iso3=code).update(region=region)
    _sync_newest_income_groups()


@transaction.atomic
def import_world_bank_classification(
    *,
    file: IO[bytes] | bytes,
    file_name: str,
    actor: Any,
    fiscal_year: int | str | None = None,
    dry_run: bool = False,
) -> ClassificationImport:
    """Import CLASS.xlsx (one fiscal year) or OGHIST.xlsx (all years) and say what changed.

    A malformed file raises a specific ``ValidationError`` before anything is written. With
    ``dry_run`` nothing is saved and the returned record is unsaved: it is the preview staff
    confirm. Importing the same file twice reports no changes the second time.
    """
    data = _read_upload(file)
    year = parse_fiscal_year(fiscal_year) if fiscal_year not in (None, "") else None
    parsed = read_world_bank_file(data=data, fiscal_year=year)
    rows = _expand_derived(parsed.rows)
    plan = _plan_import(rows, parsed.fiscal_years)
    record = ClassificationImport(
        imported_by=actor if getattr(actor, "pk", None) else None,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        fiscal_years=parsed.fiscal_years,
        added=sum(1 for change in plan.changes if change["old"] is None),
        changed=sum(1 for change in plan.changes if change["old"] is not None),
        unchanged=plan.unchanged,
        changes=plan.changes,
        warnings=parsed.warnings + plan.warnings,
    )
    if dry_run:
        return record
    _apply_plan(plan, source=f"{IMPORT_PREFIX}{file_name}"[:200])
    record.save()
    record_audit(
        actor=actor,
        action="geo.classification_imported",
        target=record,
        fiscal_years=record.fiscal_years,
        added=record.added,
        changed=record.changed,
        unchanged=record.unchanged,
        sha256=record.sha256,
    )
    if plan.changes or plan.new_countries or plan.region_moves:
        transaction.on_commit(bump_public_generation)
    return record


PENDING_DIR = "geo-imports"
_PENDING = PendingUploads(directory=PENDING_DIR, suffix=".xlsx")
stash_pending_upload = _PENDING.stash
read_pending_upload = _PENDING.read
discard_pending_upload = _PENDING.discard
