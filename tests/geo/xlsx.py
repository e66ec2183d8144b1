"""Small World Bank-shaped workbooks built in memory, so tests need no downloaded file."""

from __future__ import annotations

import io

from openpyxl import Workbook

CLASS_HEADER = ("Economy", "Code", "Region", "Income group", "Lending category")
FY2027_NOTE = (
    "Notes: The term country ... Income classifications set on July 1, 2026, remain in effect until July 1, 2027."
)


def class_xlsx(rows, *, notes=FY2027_NOTE, header=CLASS_HEADER, sheet="List of economies") -> bytes:
    """A CLASS.xlsx look-alike: rows are (economy, code, region, income group, lending)."""
    book = Workbook()
    economies = book.active
    economies.title = sheet
    economies.append(list(header))
    for row in rows:
        economies.append(list(row))
    economies.append([None] * 5)
    economies.append(["Sub-Saharan Africa", "SSF", None, None, None])  # an aggregate: skipped
    if notes is not None:
        notes_sheet = book.create_sheet("notes")
        notes_sheet.append(["Notes"])
        notes_sheet.append([notes])
    return _save(book)


def oghist_xlsx(years, rows) -> bytes:
    """An OGHIST.xlsx look-alike: years like ["FY25", "FY26"], rows (code, name, *codes)."""
    book = Workbook()
    book.active.title = "Parameters"
    sheet = book.create_sheet("Country Analytical History")
    sheet.append([None, "World Bank Analytical Classifications"])
    sheet.append([None, "(presented in World Development Indicators)"])
    sheet.append([None, "GNI per capita in US$ (Atlas methodology)"])
    sheet.append([])
    sheet.append([None, "Bank's fiscal year:", *years])
    sheet.append([None, "Data for calendar year :", *range(2000, 2000 + len(years))])
    sheet.append([None, "Low income (L)", *["<= 1,135"] * len(years)])
    sheet.append([])
    for row in rows:
        sheet.append(list(row))
    return _save(book)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
