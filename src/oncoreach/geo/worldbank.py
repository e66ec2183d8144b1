"""Reading the World Bank's classification files (CLASS.xlsx and OGHIST.xlsx).

Parsing only: no database. Every problem with a file becomes a specific, translatable
``ValidationError`` so the staff page can say what is wrong before anything is written.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from oncoreach.geo.enums import IncomeGroup, Region
from oncoreach.geo.fiscal import fiscal_year_label, parse_fiscal_year

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000  # the real files have < 300 rows per sheet; anything far bigger is not one of them

CLASS_SHEET = "List of economies"
CLASS_COLUMNS = ("Economy", "Code", "Region", "Income group", "Lending category")
OGHIST_SHEET = "Country Analytical History"
OGHIST_FY_LABEL = "Bank's fiscal year:"

# Both spellings the World Bank uses: names in CLASS.xlsx, codes in OGHIST.xlsx.
GROUP_BY_TEXT: dict[str, IncomeGroup] = {
    "": IncomeGroup.UNCLASSIFIED,
    "..": IncomeGroup.UNCLASSIFIED,
    "L": IncomeGroup.LOW,
    "LM": IncomeGroup.LOWER_MIDDLE,
    "LM*": IncomeGroup.LOWER_MIDDLE,  # Yemen FY89–90: the two Yemens combined would have been LM
    "UM": IncomeGroup.UPPER_MIDDLE,
    "H": IncomeGroup.HIGH,
    "low income": IncomeGroup.LOW,
    "lower middle income": IncomeGroup.LOWER_MIDDLE,
    "upper middle income": IncomeGroup.UPPER_MIDDLE,
    "high income": IncomeGroup.HIGH,
}

REGION_BY_NAME: dict[str, Region] = {
    "east asia & pacific": Region.EAST_ASIA_PACIFIC,
    "europe & central asia": Region.EUROPE_CENTRAL_ASIA,
    "latin america & caribbean": Region.LATIN_AMERICA_CARIBBEAN,
    "middle east, north africa, afghanistan & pakistan": Region.MIDDLE_EAST_NORTH_AFRICA,
    "middle east & north africa": Region.MIDDLE_EAST_NORTH_AFRICA,
    "north america": Region.NORTH_AMERICA,
    "south asia": Region.SOUTH_ASIA,
    "sub-saharan africa": Region.SUB_SAHARAN_AFRICA,
}

# World Bank economies without an ISO code that stand for ISO countries.
DERIVED_CODES: dict[str, tuple[str, ...]] = {"CHI": ("JEY", "GGY")}

_CLASS_FY_PATTERNS = (
    (re.compile(r"set on July 1,\s*(\d{4})", re.IGNORECASE), 1),
    (re.compile(r"in effect until July 1,\s*(\d{4})", re.IGNORECASE), 0),
)


@dataclass(frozen=True)
class ParsedRow:
    code: str
    name: str
    fiscal_year: int
    income_group: str
    lending_category: str | None = None  # only CLASS.xlsx has it
    region: str | None = None  # a Region value; None when the file does not say


@dataclass
class ParsedFile:
    kind: str  # "class" or "oghist"
    fiscal_years: list[int]
    rows: list[ParsedRow]
    warnings: list[str] = field(default_factory=list)


def region_for(name: str | None) -> Region | None:
    return REGION_BY_NAME.get(" ".join((name or "").split()).lower())


def group_for(text: Any) -> IncomeGroup | None:
    value = "" if text is None else " ".join(str(text).split())
    if value in GROUP_BY_TEXT:
        return GROUP_BY_TEXT[value]
    return GROUP_BY_TEXT.get(value.lower())


def read_world_bank_file(*, data: bytes, fiscal_year: int | None = None) -> ParsedFile:
    """Parse CLASS.xlsx (one fiscal year) or OGHIST.xlsx (every year), whichever this is."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_FILE_BYTES)},
            code="too_large",
        )
    workbook = _open_workbook(data)
    try:
        if CLASS_SHEET in workbook.sheetnames:
            return _read_class(workbook, fiscal_year=fiscal_year)
        if OGHIST_SHEET in workbook.sheetnames:
            return _read_oghist(workbook)
    finally:
        workbook.close()
    raise ValidationError(
        _(
            "This workbook has neither a “%(class_sheet)s” sheet (CLASS.xlsx) nor a “%(history_sheet)s” sheet (OGHIST.xlsx)."
        )
        % {"class_sheet": CLASS_SHEET, "history_sheet": OGHIST_SHEET},
        code="unknown_layout",
    )


def _open_workbook(data: bytes) -> Any:
    not_xlsx = ValidationError(
        _("This is not an Excel workbook (.xlsx). Upload the file as downloaded from the World Bank."),
        code="not_xlsx",
    )
    # Judge by content: an xlsx is a zip archive holding a workbook part.
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise not_xlsx
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError) as exc:
        raise not_xlsx from exc


def _cell_text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index >= MAX_ROWS:
            raise ValidationError(
                _("The sheet “%(sheet)s” has more than %(limit)s rows; this is not a World Bank classification file.")
                % {"sheet": sheet.title, "limit": MAX_ROWS},
                code="too_many_rows",
            )
        rows.append(tuple(row))
    return rows


def _class_fiscal_year(workbook: Any) -> int | None:
    """The year CLASS.xlsx states in its notes ("set on July 1, 2025" → FY2026), if any."""
    texts: list[str] = []
    for name in workbook.sheetnames:
        if name.strip().lower().startswith("notes"):
            texts.extend(_cell_text(v) for row in _rows(workbook[name]) for v in row if v)
    text = " ".join(texts)
    for pattern, offset in _CLASS_FY_PATTERNS:
        match = pattern.search(text)
        if match:
            return int(match.group(1)) + offset
    return None


def _read_class(workbook: Any, *, fiscal_year: int | None) -> ParsedFile:
    rows = _rows(workbook[CLASS_SHEET])
    header = tuple(_cell_text(v) for v in (rows[0] if rows else ()))[: len(CLASS_COLUMNS)]
    missing = [column for column in CLASS_COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            _("The sheet “%(sheet)s” lacks the column(s) %(columns)s.")
            % {"sheet": CLASS_SHEET, "columns": ", ".join(f"“{c}”" for c in missing)},
            code="missing_columns",
        )
    stated = _class_fiscal_year(workbook)
    if fiscal_year is None and stated is None:
        raise ValidationError(
            _("This file does not say which fiscal year it classifies; give the fiscal year (for example FY2027)."),
            code="fiscal_year_required",
        )
    if fiscal_year is not None and stated is not None and fiscal_year != stated:
        raise ValidationError(
            _("You gave %(given)s, but the file's notes say it classifies %(stated)s.")
            % {"given": fiscal_year_label(fiscal_year), "stated": fiscal_year_label(stated)},
            code="fiscal_year_mismatch",
        )
    year = fiscal_year or stated
    assert year is not None
    position = {column: header.index(column) for column in CLASS_COLUMNS}
    parsed: list[ParsedRow] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: _cell_text(row[i] if i < len(row) else None) for column, i in position.items()}
        code, region_name = cells["Code"], cells["Region"]
        if not code or not region_name:  # blank separators and aggregates (which have no region)
            continue
        group = group_for(cells["Income group"])
        if group is None:
            raise ValidationError(
                _("Row %(row)s (%(code)s): “%(group)s” is not a World Bank income group.")
                % {"row": number, "code": code, "group": cells["Income group"]},
                code="bad_group",
            )
        if code in seen:
            raise ValidationError(
                _("Row %(row)s: the economy %(code)s appears more than once.") % {"row": number, "code": code},
                code="duplicate_country",
            )
        seen.add(code)
        region = region_for(region_name)
        if region is None:
            warnings.append(
                _("%(code)s: unknown region “%(region)s”, region left as it was")
                % {"code": code, "region": region_name}
            )
        parsed.append(
            ParsedRow(
                code=code,
                name=cells["Economy"],
                fiscal_year=year,
                income_group=group.value,
                lending_category=cells["Lending category"],
                region=region.value if region is not None else None,
            )
        )
    if not parsed:
        raise ValidationError(_("The sheet “%(sheet)s” has no economies.") % {"sheet": CLASS_SHEET}, code="empty")
    return ParsedFile(kind="class", fiscal_years=[year], rows=parsed, warnings=warnings)


def _read_oghist(workbook: Any) -> ParsedFile:
    rows = _rows(workbook[OGHIST_SHEET])
    header_index = next(
        (i for i, row in enumerate(rows[:30]) if len(row) > 1 and _cell_text(row[1]) == OGHIST_FY_LABEL), None
    )
    if header_index is None:
        raise ValidationError(
            _("The sheet “%(sheet)s” has no “%(label)s” row with the fiscal years.")
            % {"sheet": OGHIST_SHEET, "label": OGHIST_FY_LABEL},
            code="missing_columns",
        )
    columns: list[tuple[int, int]] = []
    for i, value in enumerate(rows[header_index]):
        text = _cell_text(value)
        if i >= 2 and text.upper().startswith("FY"):  # code and name come first
            columns.append((i, parse_fiscal_year(text)))
    if not columns:
        raise ValidationError(
            _("The sheet “%(sheet)s” has no fiscal-year columns.") % {"sheet": OGHIST_SHEET}, code="missing_columns"
        )
    parsed: list[ParsedRow] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        code, name = _cell_text(row[0] if row else None), _cell_text(row[1] if len(row) > 1 else None)
        if not code or not name:  # threshold rows have no code
            continue
        if code in seen:
            raise ValidationError(
                _("Row %(row)s: the economy %(code)s appears more than once.") % {"row": number, "code": code},
                code="duplicate_country",
            )
        seen.add(code)
        for i, year in columns:
            raw = row[i] if i < len(row) else None
            group = group_for(raw)
            if group is None:
                raise ValidationError(
                    _("Row %(row)s (%(code)s), %(year)s: “%(group)s” is not a World Bank income group code.")
                    % {"row": number, "code": code, "year": fiscal_year_label(year), "group": _cell_text(raw)},
                    code="bad_group",
                )
            parsed.append(ParsedRow(code=code, name=name, fiscal_year=year, income_group=group.value))
    if not parsed:
        raise ValidationError(_("The sheet “%(sheet)s” has no economies.") % {"sheet": OGHIST_SHEET}, code="empty")
    return ParsedFile(kind="oghist", fiscal_years=sorted({y for _i, y in columns}), rows=parsed)
