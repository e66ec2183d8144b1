"""The shipped reference data: loading it, and asking for income groups as of a date."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from oncoreach.geo.enums import IncomeGroup
from oncoreach.geo.models import Country, IncomeClassification
from oncoreach.geo.selectors import (
    IncomeLookup,
    classification_is_stale,
    countries_for_select,
    income_group_on,
    income_groups_on,
    is_lmic,
    newest_fiscal_year,
)
from oncoreach.geo.services import load_reference_data
from tests.factories.geo import CountryFactory, IncomeClassificationFactory

pytestmark = [pytest.mark.integration]


def test_load_reference_data_loads_every_country_and_year(reference_data):
    assert reference_data.countries_created == 250
    assert reference_data.classifications_created == 8360
    assert Country.objects.count() == 250
    # 218 World Bank economies, the Channel Islands counted as Jersey and Guernsey.
    assert Country.objects.exclude(region="").count() == 219
    assert IncomeClassification.objects.count() == 8360
    assert newest_fiscal_year() == 2026
    assert IncomeClassification.objects.order_by("fiscal_year").first().fiscal_year == 1989


def test_load_reference_data_fills_country_fields(reference_data):
    nigeria = Country.objects.get(iso3="NGA")
    assert (nigeria.iso2, nigeria.name, nigeria.slug, nigeria.region, nigeria.income_group) == (
        "NG",
        "Nigeria",
        "nigeria",
        "SSA",
        "LM",
    )
    assert nigeria.primary_language == "en"
    assert nigeria.time_zone == "Africa/Lagos"
    assert nigeria.time_zones == ["Africa/Lagos"]
    brazil = Country.objects.get(iso3="BRA")
    assert brazil.time_zone == "America/Sao_Paulo"
    assert len(brazil.time_zones) > 10
    assert IncomeClassification.objects.get(country=nigeria, fiscal_year=2026).lending_category == "Blend"


def test_load_reference_data_handles_special_cases(reference_data):
    assert Country.objects.get(iso3="JEY").income_group == IncomeGroup.HIGH
    assert Country.objects.get(iso3="GGY").classifications.count() == 38
    assert not Country.objects.filter(iso3__in=["CHI", "YUG", "SUN", "CSK"]).exists()
    kosovo = Country.objects.get(iso3="XKX")
    assert (kosovo.iso2, kosovo.region) == ("XK", "ECA")
    reunion = Country.objects.get(iso3="REU")
    assert (reunion.region, reunion.income_group, reunion.classifications.count()) == ("", "", 0)
    # Ethiopia: the history file keeps FY26 = Low income as published in July 2025 (see SOURCES.md).
    assert Country.objects.get(iso3="ETH").income_group == IncomeGroup.LOW
    assert Country.objects.get(iso3="VEN").income_group == IncomeGroup.UNCLASSIFIED


def test_load_reference_data_second_run_changes_nothing(reference_data):
    before = list(IncomeClassification.objects.order_by("pk").values_list("pk", "income_group", "lending_category"))

    again = load_reference_data()

    assert again.changed is False
    assert (again.countries_total, again.classifications_total) == (250, 8360)
    assert (
        list(IncomeClassification.objects.order_by("pk").values_list("pk", "income_group", "lending_category"))
        == before
    )


def test_load_reference_data_command_says_when_nothing_changed(reference_data):
    out = StringIO()

    call_command("load_reference_data", stdout=out)

    assert out.getvalue().startswith("Reference data unchanged: 250 countries, 8360 income classifications")


def test_load_reference_data_command_reports_what_it_loaded(db):
    out = StringIO()

    call_command("load_reference_data", stdout=out)

    assert out.getvalue().startswith(
        "Reference data loaded: 250 countries created, 0 updated; 8360 income classifications created, 0 updated"
    )


def test_load_reference_data_repairs_a_reference_row_but_keeps_imported_rows(reference_data):
    nigeria = Country.objects.get(iso3="NGA")
    IncomeClassification.objects.filter(country=nigeria, fiscal_year=2025).update(income_group="H")
    IncomeClassification.objects.filter(country=nigeria, fiscal_year=2026).update(
        income_group="UM", source="import:CLASS.xlsx"
    )
    Country.objects.filter(pk=nigeria.pk).update(income_group="UM", region="")

    report = load_reference_data()

    assert report.classifications_updated == 1
    groups = dict(nigeria.classifications.filter(fiscal_year__gte=2025).values_list("fiscal_year", "income_group"))
    assert groups == {2025: "LM", 2026: "UM"}
    nigeria.refresh_from_db()
    assert (nigeria.income_group, nigeria.region) == ("UM", "SSA")


def test_load_reference_data_keeps_a_factory_country_apart(db):
    made = CountryFactory(iso3="XAA", name="Testland")

    load_reference_data()

    made.refresh_from_db()
    assert made.name == "Testland"
    assert Country.objects.count() == 251


@pytest.mark.parametrize(
    ("day", "group", "fiscal_year"),
    [
        (dt.date(2025, 6, 30), IncomeGroup.UPPER_MIDDLE, 2025),  # the last day of FY2025
        (dt.date(2025, 7, 1), IncomeGroup.HIGH, 2026),  # 1 July starts FY2026: Costa Rica became high income
        (dt.date(2026, 1, 15), IncomeGroup.HIGH, 2026),
        (dt.date(2019, 3, 1), IncomeGroup.UPPER_MIDDLE, 2019),
    ],
)
def test_income_group_on_follows_the_fiscal_year(reference_data, day, group, fiscal_year):
    costa_rica = Country.objects.get(iso3="CRI")

    lookup = income_group_on(country=costa_rica, on=day)

    assert (lookup.income_group, lookup.fiscal_year, lookup.is_after_newest_year) == (group, fiscal_year, False)


def test_income_group_on_after_the_newest_year_uses_it_and_says_so(reference_data):
    nigeria = Country.objects.get(iso3="NGA")

    lookup = income_group_on(country=nigeria, on=dt.date(2026, 7, 1))

    assert lookup == IncomeLookup(
        income_group=IncomeGroup.LOWER_MIDDLE,
        fiscal_year=2026,
        is_after_newest_year=True,
        label="Lower middle income (FY2026)",
    )


def test_income_group_on_before_the_oldest_year_is_unclassified(reference_data):
    india = Country.objects.get(iso3="IND")

    lookup = income_group_on(country=india, on=dt.date(1988, 6, 30))

    assert (lookup.income_group, lookup.fiscal_year, lookup.is_after_newest_year) == (
        IncomeGroup.UNCLASSIFIED,
        1988,
        False,
    )
    assert lookup.is_lmic is False


def test_income_group_on_a_year_the_country_was_unclassified(reference_data):
    venezuela = Country.objects.get(iso3="VEN")

    assert income_group_on(country=venezuela, on=dt.date(2020, 7, 1)).income_group == IncomeGroup.UPPER_MIDDLE
    assert income_group_on(country=venezuela, on=dt.date(2021, 7, 1)).income_group == IncomeGroup.UNCLASSIFIED


def test_income_group_on_known_history(reference_data):
    # From the World Bank history: India was low income until FY2008, lower middle from FY2009;
    # China moved from lower middle to upper middle in FY2012.
    india, china = Country.objects.get(iso3="IND"), Country.objects.get(iso3="CHN")
    assert income_group_on(country=india, on=dt.date(2008, 6, 30)).income_group == IncomeGroup.LOW
    assert income_group_on(country=india, on=dt.date(2008, 7, 1)).income_group == IncomeGroup.LOWER_MIDDLE
    assert income_group_on(country=china, on=dt.date(2011, 6, 30)).income_group == IncomeGroup.LOWER_MIDDLE
    assert income_group_on(country=china, on=dt.date(2011, 7, 1)).income_group == IncomeGroup.UPPER_MIDDLE


def test_income_group_on_without_any_data_is_unclassified(db):
    country = CountryFactory()

    lookup = income_group_on(country=country.pk, on=dt.date(2026, 1, 1))

    assert (lookup.income_group, lookup.fiscal_year, lookup.is_after_newest_year) == ("", 2026, False)


def test_income_groups_on_answers_many_countries_in_two_queries(reference_data, django_assert_num_queries):
    countries = list(Country.objects.filter(iso3__in=["NGA", "USA", "ETH", "REU"]).order_by("iso3"))

    with django_assert_num_queries(2):
        lookups = income_groups_on(countries=countries, on=dt.date(2025, 9, 1))

    assert {c.iso3: lookups[c.pk].income_group for c in countries} == {
        "ETH": IncomeGroup.LOW,
        "NGA": IncomeGroup.LOWER_MIDDLE,
        "REU": IncomeGroup.UNCLASSIFIED,
        "USA": IncomeGroup.HIGH,
    }


def test_is_lmic_counts_low_and_middle_income_only(reference_data):
    on = dt.date(2025, 9, 1)
    verdicts = {
        iso3: is_lmic(country=Country.objects.get(iso3=iso3), on=on) for iso3 in ["ETH", "NGA", "MEX", "USA", "VEN"]
    }
    assert verdicts == {"ETH": True, "NGA": True, "MEX": True, "USA": False, "VEN": False}


@pytest.mark.parametrize(("today", "stale"), [(dt.date(2026, 6, 30), False), (dt.date(2026, 7, 1), True)])
def test_classification_is_stale_after_the_newest_year_ends(db, today, stale):
    IncomeClassificationFactory(fiscal_year=2026)

    assert classification_is_stale(today=today) is stale


def test_classification_is_stale_without_data(db):
    assert classification_is_stale(today=dt.date(2026, 1, 1)) is True
    assert newest_fiscal_year() is None


def test_countries_for_select_lists_names_in_order(db):
    zed, abe = CountryFactory(name="Zedland"), CountryFactory(name="Abeland")

    assert countries_for_select() == [(abe.pk, "Abeland"), (zed.pk, "Zedland")]
