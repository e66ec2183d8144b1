"""World Bank fiscal years: FY2026 runs from 1 July 2025 to 30 June 2026.

Pure date arithmetic shared by the loader, the importer and the selectors, so that every part
of the app turns a date into the same fiscal year.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_FY_PATTERN = re.compile(r"^\s*(?:FY\s*)?(\d{2}|\d{4})\s*$", re.IGNORECASE)
OLDEST_SENSIBLE_YEAR = 1970
NEWEST_SENSIBLE_YEAR = 2100


def fiscal_year_for(day: dt.date) -> int:
    """The World Bank fiscal year a date falls in (1 July starts the next one)."""
    return day.year + 1 if day.month >= 7 else day.year


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year."""
    return dt.date(fiscal_year - 1, 7, 1), dt.date(fiscal_year, 6, 30)


def fiscal_year_label(fiscal_year: int) -> str:
    return f"FY{fiscal_year}"


def parse_fiscal_year(text: str | int) -> int:
    """Read "FY2027", "FY27", "2027" or 27 as a fiscal year; two digits from 50 up mean 19xx."""
    match = _FY_PATTERN.match(str(text))
    if not match:
        raise ValidationError(
            _("“%(value)s” is not a fiscal year; write it like FY2027.") % {"value": text}, code="bad_fiscal_year"
        )
    digits = match.group(1)
    year = int(digits)
    if len(digits) == 2:
        year += 1900 if year >= 50 else 2000
    if not OLDEST_SENSIBLE_YEAR <= year <= NEWEST_SENSIBLE_YEAR:
        raise ValidationError(
            _("“%(value)s” is not a fiscal year; write it like FY2027.") % {"value": text}, code="bad_fiscal_year"
        )
    return year
