"""Fiscal-year arithmetic (no database)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oncoreach.geo.fiscal import fiscal_year_bounds, fiscal_year_for, parse_fiscal_year

pytestmark = [pytest.mark.unit]


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2025, 6, 30), 2025),
        (dt.date(2025, 7, 1), 2026),
        (dt.date(2026, 1, 1), 2026),
        (dt.date(2026, 12, 31), 2027),
    ],
)
def test_fiscal_year_for_starts_on_1_july(day, year):
    assert fiscal_year_for(day) == year


def test_fiscal_year_bounds_run_from_july_to_june():
    assert fiscal_year_bounds(2027) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))


@pytest.mark.parametrize(
    ("text", "year"), [("FY2027", 2027), ("fy27", 2027), ("FY89", 1989), (" 2026 ", 2026), (2026, 2026)]
)
def test_parse_fiscal_year_reads_the_usual_spellings(text, year):
    assert parse_fiscal_year(text) == year


@pytest.mark.parametrize("text", ["FY1850", "next year", "FY202", ""])
def test_parse_fiscal_year_refuses_anything_else(text):
    with pytest.raises(ValidationError) as caught:
        parse_fiscal_year(text)

    assert caught.value.code == "bad_fiscal_year"
