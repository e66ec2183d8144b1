"""Importing a World Bank classification file: what it changes, and every way it can fail."""

import datetime as dt
import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from oncoreach.core.cache import public_generation
from oncoreach.core.models import AuditEvent
from oncoreach.geo.enums import IncomeGroup
from oncoreach.geo.models import ClassificationImport, Country, IncomeClassification
from oncoreach.geo.selectors import income_group_on
from oncoreach.geo.services import import_world_bank_classification, load_reference_data
from tests.factories.geo import CountryFactory, IncomeClassificationFactory
from tests.geo.xlsx import class_xlsx, oghist_xlsx

pytestmark = [pytest.mark.integration]

# The shared reference folder lies beside the checkout (as in CI); skipped where it does not.
RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
SSA, LAC = "Sub-Saharan Africa", "Latin America & Caribbean"
FY2026_NOTE = "Income classifications set on July 1, 2025, remain in effect until July 1, 2026."


@pytest.fixture
def two_countries(db):
    nigeria = CountryFactory(iso3="NGA", iso2="NG", name="Nigeria", slug="nigeria", region="SSA", income_group="LM")
    costa_rica = CountryFactory(
        iso3="CRI", iso2="CR", name="Costa Rica", slug="costa-rica", region="LAC", income_group="H"
    )
    IncomeClassificationFactory(country=nigeria, fiscal_year=2026, income_group="LM", lending_category="Blend")
    IncomeClassificationFactory(country=costa_rica, fiscal_year=2026, income_group="H")
    return nigeria, costa_rica


def _snapshot():
    return (
        list(IncomeClassification.objects.order_by("pk").values_list("country_id", "fiscal_year", "income_group")),
        list(Country.objects.order_by("pk").values_list("iso3", "income_group", "region")),
        ClassificationImport.objects.count(),
        AuditEvent.objects.count(),
    )


def test_import_class_file_reports_a_change(two_countries, coordinator, django_capture_on_commit_callbacks):
    nigeria, _costa_rica = two_countries
    data = class_xlsx(
        [("Nigeria", "NGA", SSA, "Upper middle income", "IBRD"), ("Costa Rica", "CRI", LAC, "High income", None)],
        notes=FY2026_NOTE,
    )
    generation = public_generation()

    with django_capture_on_commit_callbacks(execute=True):
        record = import_world_bank_classification(file=data, file_name="CLASS.xlsx", actor=coordinator)

    assert (record.fiscal_years, record.added, record.changed, record.unchanged) == ([2026], 0, 1, 1)
    assert record.changes == [{"iso3": "NGA", "country": "Nigeria", "fiscal_year": 2026, "old": "LM", "new": "UM"}]
    assert record.imported_by == coordinator
    row = IncomeClassification.objects.get(country=nigeria, fiscal_year=2026)
    assert (row.income_group, row.lending_category, row.source) == ("UM", "IBRD", "import:CLASS.xlsx")
    nigeria.refresh_from_db()
    assert nigeria.income_group == IncomeGroup.UPPER_MIDDLE
    audit = AuditEvent.objects.get()
    assert (audit.action, audit.actor, audit.target_id, audit.data["changed"]) == (
        "geo.classification_imported",
        coordinator,
        str(record.pk),
        1,
    )
    assert public_generation() == generation + 1


def test_import_same_file_again_reports_no_changes(two_countries, coordinator):
    data = class_xlsx([("Nigeria", "NGA", SSA, "Upper middle income", "IBRD")], notes=FY2026_NOTE)
    import_world_bank_classification(file=data, file_name="CLASS.xlsx", actor=coordinator)
    before = _snapshot()[:2]

    again = import_world_bank_classification(file=data, file_name="CLASS.xlsx", actor=coordinator)

    assert (again.added, again.changed, again.unchanged, again.changes) == (0, 0, 1, [])
    assert _snapshot()[:2] == before
    assert ClassificationImport.objects.count() == 2


def test_import_new_fiscal_year_adds_rows_and_moves_the_newest_group(two_countries, coordinator):
    nigeria, _costa_rica = two_countries
    data = class_xlsx(
        [("Nigeria", "NGA", SSA, "Lower middle income", "Blend"), ("Costa Rica", "CRI", LAC, "High income", None)]
    )

    record = import_world_bank_classification(file=data, file_name="CLASS_2026_07_01.xlsx", actor=coordinator)

    assert (record.fiscal_years, record.added, record.changed, record.unchanged) == ([2027], 2, 0, 0)
    assert record.changes[0] == {"iso3": "CRI", "country": "Costa Rica", "fiscal_year": 2027, "old": None, "new": "H"}
    row = IncomeClassification.objects.get(country=nigeria, fiscal_year=2027)
    assert (row.valid_from, row.valid_to) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    lookup = income_group_on(country=nigeria, on=dt.date(2026, 11, 26))
    assert (lookup.fiscal_year, lookup.is_after_newest_year) == (2027, False)


def test_import_takes_the_fiscal_year_when_the_file_does_not_say(two_countries, coordinator):
    data = class_xlsx([("Nigeria", "NGA", SSA, "Lower middle income", "Blend")], notes=None)

    record = import_world_bank_classification(file=data, file_name="c.xlsx", actor=coordinator, fiscal_year="FY2027")

    assert record.fiscal_years == [2027]


def test_import_creates_known_iso_countries_and_skips_unknown_codes(two_countries, coordinator):
    data = class_xlsx(
        [
            ("Kenya", "KEN", SSA, "Lower middle income", "IDA"),
            ("Channel Islands", "CHI", "Europe & Central Asia", "High income", None),
            ("Atlantis", "ATL", "Atlantic", "High income", None),
        ]
    )

    record = import_world_bank_classification(file=data, file_name="c.xlsx", actor=coordinator)

    kenya = Country.objects.get(iso3="KEN")
    assert (kenya.iso2, kenya.name, kenya.region, kenya.income_group, kenya.time_zone) == (
        "KE",
        "Kenya",
        "SSA",
        "LM",
        "Africa/Nairobi",
    )
    assert list(
        Country.objects.filter(iso3__in=["JEY", "GGY"]).order_by("iso3").values_list("iso3", "income_group")
    ) == [
        ("GGY", "H"),
        ("JEY", "H"),
    ]
    assert not Country.objects.filter(iso3="ATL").exists()
    assert record.added == 3
    assert record.warnings == [
        "ATL: unknown region “Atlantic”, region left as it was",
        "KEN: new country “Kenya” added",
        "JEY: new country “Jersey” added",
        "GGY: new country “Guernsey” added",
        "ATL: “Atlantis” is not an ISO country; not loaded",
    ]


def test_import_dry_run_saves_nothing(two_countries, coordinator):
    data = class_xlsx([("Nigeria", "NGA", SSA, "Upper middle income", "IBRD")], notes=FY2026_NOTE)
    before = _snapshot()

    preview = import_world_bank_classification(file=data, file_name="c.xlsx", actor=coordinator, dry_run=True)

    assert (preview.pk, preview.changed) == (None, 1)
    assert _snapshot() == before


def test_import_oghist_file_reads_every_year(two_countries, coordinator):
    nigeria, _costa_rica = two_countries
    data = oghist_xlsx(
        ["FY25", "FY26"],
        [("NGA", "Nigeria", "LM", "LM"), ("CRI", "Costa Rica", "UM", "H"), ("YUGf", "Yugoslavia (former)", "..", "..")],
    )

    record = import_world_bank_classification(file=data, file_name="OGHIST.xlsx", actor=coordinator)

    assert (record.fiscal_years, record.added, record.changed, record.unchanged) == ([2025, 2026], 2, 0, 2)
    assert record.warnings == ["YUGf: “Yugoslavia (former)” is not an ISO country; not loaded"]
    assert IncomeClassification.objects.get(country=nigeria, fiscal_year=2025).income_group == "LM"


def test_import_command_prints_the_report(two_countries, tmp_path):
    path = tmp_path / "CLASS.xlsx"
    path.write_bytes(class_xlsx([("Nigeria", "NGA", SSA, "Upper middle income", "IBRD")], notes=FY2026_NOTE))
    out = StringIO()

    call_command("import_world_bank_classification", str(path), "--dry-run", stdout=out)

    assert out.getvalue() == (
        "  NGA Nigeria FY2026: Lower middle income → Upper middle income\n"
        "Dry run, nothing saved: CLASS.xlsx (FY2026): 0 added, 1 changed, 0 unchanged.\n"
    )
    assert ClassificationImport.objects.count() == 0

    out = StringIO()
    call_command("import_world_bank_classification", str(path), stdout=out)
    call_command("import_world_bank_classification", str(path), stdout=out)
    assert out.getvalue().splitlines()[-1] == "CLASS.xlsx (FY2026): 0 added, 0 changed, 1 unchanged. No changes."


def test_import_command_saves_and_reports_changes(two_countries, tmp_path):
    path = tmp_path / "CLASS_2026_07_01.xlsx"
    path.write_bytes(class_xlsx([("Nigeria", "NGA", SSA, "Upper middle income", "IBRD")]))
    out = StringIO()

    call_command("import_world_bank_classification", str(path), "--fiscal-year", "FY2027", stdout=out)

    assert out.getvalue() == (
        "  NGA Nigeria FY2027: — → Upper middle income\n"
        "CLASS_2026_07_01.xlsx (FY2027): 1 added, 0 changed, 0 unchanged.\n"
    )
    record = ClassificationImport.objects.get()
    assert (str(record), record.imported_by) == (f"CLASS_2026_07_01.xlsx ({record.created_at:%Y-%m-%d})", None)


def test_import_command_needs_an_existing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_world_bank_classification", str(tmp_path / "missing.xlsx"))


def test_import_command_refuses_a_bad_file(two_countries, tmp_path):
    path = tmp_path / "CLASS.xlsx"
    path.write_bytes(b"Economy,Code\n")

    with pytest.raises(CommandError, match="not an Excel workbook"):
        call_command("import_world_bank_classification", str(path))


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "fiscal_year", "code"),
    [
        (b"Economy,Code,Region\nNigeria,NGA,Sub-Saharan Africa\n", None, "not_xlsx"),
        (_zip_without_workbook(), None, "not_xlsx"),
        (b"PK\x03\x04" + b"\0" * 100, None, "not_xlsx"),
        (class_xlsx([("Nigeria", "NGA", SSA, "Low income", "IDA")], sheet="Economies"), None, "unknown_layout"),
        (
            class_xlsx([("Nigeria", "NGA", SSA, "Low income")], header=("Economy", "Code", "Region", "Income group")),
            None,
            "missing_columns",
        ),
        (class_xlsx([("Nigeria", "NGA", SSA, "Rich", "IDA")]), None, "bad_group"),
        (
            class_xlsx([("Nigeria", "NGA", SSA, "Low income", "IDA"), ("Nigeria", "NGA", SSA, "High income", "IDA")]),
            None,
            "duplicate_country",
        ),
        (class_xlsx([]), None, "empty"),
        (class_xlsx([("Nigeria", "NGA", SSA, "Low income", "IDA")], notes=None), None, "fiscal_year_required"),
        (class_xlsx([("Nigeria", "NGA", SSA, "Low income", "IDA")]), "FY2030", "fiscal_year_mismatch"),
        (class_xlsx([("Nigeria", "NGA", SSA, "Low income", "IDA")]), "next year", "bad_fiscal_year"),
        (oghist_xlsx(["FY26"], [("NGA", "Nigeria", "X")]), None, "bad_group"),
        (oghist_xlsx(["FY26"], [("NGA", "Nigeria", "L"), ("NGA", "Nigeria", "L")]), None, "duplicate_country"),
        (oghist_xlsx(["FY26"], []), None, "empty"),
        (oghist_xlsx([], [("NGA", "Nigeria")]), None, "missing_columns"),
        (b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024), None, "too_large"),
    ],
    ids=[
        "csv",
        "zip-without-workbook",
        "broken-zip",
        "wrong-sheet",
        "missing-column",
        "bad-group",
        "duplicate-row",
        "no-rows",
        "no-fiscal-year",
        "fiscal-year-mismatch",
        "bad-fiscal-year",
        "oghist-bad-code",
        "oghist-duplicate",
        "oghist-no-rows",
        "oghist-no-years",
        "too-large",
    ],
)
def test_import_rejects_a_malformed_file_and_changes_nothing(two_countries, coordinator, data, fiscal_year, code):
    before = _snapshot()

    with pytest.raises(ValidationError) as caught:
        import_world_bank_classification(file=data, file_name="bad.xlsx", actor=coordinator, fiscal_year=fiscal_year)

    assert caught.value.code == code
    assert _snapshot() == before


@pytest.mark.skipif(not (RAW / "CLASS_2025_10_07.xlsx").exists(), reason="raw World Bank files not present")
def test_import_real_class_file_over_reference_data_changes_only_ethiopia(reference_data, coordinator):
    with (RAW / "CLASS_2025_10_07.xlsx").open("rb") as handle:
        record = import_world_bank_classification(file=handle, file_name="CLASS_2025_10_07.xlsx", actor=coordinator)

    assert (record.fiscal_years, record.added, record.changed, record.unchanged) == ([2026], 0, 1, 218)
    assert record.changes == [{"iso3": "ETH", "country": "Ethiopia", "fiscal_year": 2026, "old": "L", "new": ""}]
    # Restarting the app reloads the shipped data but keeps what the import decided.
    assert load_reference_data().changed is False
    assert Country.objects.get(iso3="ETH").income_group == IncomeGroup.UNCLASSIFIED


@pytest.mark.skipif(not (RAW / "OGHIST_2025_10_07.xlsx").exists(), reason="raw World Bank files not present")
def test_import_real_history_file_matches_reference_data(reference_data, coordinator):
    with (RAW / "OGHIST_2025_10_07.xlsx").open("rb") as handle:
        record = import_world_bank_classification(file=handle, file_name="OGHIST_2025_10_07.xlsx", actor=coordinator)

    assert (record.added, record.changed, record.unchanged) == (0, 0, 8360)
    assert record.fiscal_years == list(range(1989, 2027))
