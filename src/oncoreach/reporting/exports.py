"""Every impact table as CSV or XLSX: the same lines the pages show, one row per line.

A download is built from an ``ImpactReport`` (no queries here). Cells that a spreadsheet would
run as a formula are prefixed with an apostrophe (CSV injection), as in the other exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from oncoreach.reporting.selectors import ImpactReport

TABLES = ("year", "program", "region", "income_group", "country", "follow_up", "journeys")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | Decimal | None


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_rows(report: ImpactReport, table: str) -> tuple[list[str], list[list[Cell]]]:
    """The header and rows of one table (``TABLES``)."""
    if table == "follow_up":
        header = [
            _("Follow-up"),
            _("Alumni who answered"),
            _("Practice changed"),
            _("Colleagues trained in turn"),
            _("Colleagues trained per alumnus"),
        ]
        keys = ("answers", "practice_changed", "colleagues_trained", "multiplier")
        return header, [[line.label, *(line.values[key] for key in keys)] for line in report.follow_up]
    if table == "journeys":
        header = [_("From"), _("From (ISO)"), _("To"), _("To (ISO)"), _("Faculty trips")]
        return header, [
            [j.origin.name, j.origin.iso3, j.destination.name, j.destination.iso3, j.count] for j in report.journeys
        ]
    names = {
        "year": _("Year"),
        "program": _("Program"),
        "region": _("Region"),
        "income_group": _("Income group"),
        "country": _("Country"),
    }
    header = [names[table], _("Code"), *(str(figure.label) for figure in report.figures)]
    rows: list[list[Cell]] = [
        [line.label, line.key, *(line.values.get(figure.key) for figure in report.figures)]
        for line in report.table(table)
    ]
    rows.append([_("Total"), "", *(report.totals.get(figure.key) for figure in report.figures)])
    return header, rows


def download(report: ImpactReport, *, table: str, fmt: str, filename: str) -> HttpResponse:
    header, rows = table_rows(report, table)
    if fmt == "xlsx":
        return _xlsx(header, rows, filename=f"{filename}.xlsx", title=table)
    return _csv(header, rows, filename=f"{filename}.csv")


def _csv(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 names right
    writer = csv.writer(response)
    writer.writerow([_safe(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else _safe(cell) for cell in row])
    return response


def _xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, filename: str, title: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_safe(cell) for cell in header])
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
