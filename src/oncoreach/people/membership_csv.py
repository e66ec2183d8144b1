"""Reading the society's membership export (CSV): every problem found, by row and column, or rows.

The format (README, "Membership export"): a first line naming the columns, then one member per
line. Required columns: ``member_number``, ``email``, ``category``, ``valid_from``,
``valid_until``; optional: ``given_name``, ``family_name`` (shown for people we cannot find,
never used to find anyone). Dates are ``YYYY-MM-DD``; an empty ``valid_until`` means no end date.
Comma or semicolon separated, UTF-8 (a byte-order mark is fine). Rows are numbered as a
spreadsheet shows them: the column names are row 1, the first member row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from oncoreach.accounts.models import normalize_email_address

REQUIRED_COLUMNS = ("member_number", "email", "category", "valid_from", "valid_until")
OPTIONAL_COLUMNS = ("given_name", "family_name")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS = 50
MEMBER_NUMBER_MAX_LENGTH = 32
CATEGORY_MAX_LENGTH = 60
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class MembershipRow:
    row: int
    member_number: str
    email: str
    category: str
    valid_from: dt.date
    valid_until: dt.date | None
    name: str


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8” and upload it again."),
            code="encoding",
        ) from exc


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.total = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.messages) < MAX_PROBLEMS:
            self.messages.append(
                _("Row %(row)s, column “%(column)s”: %(problem)s") % {"row": row, "column": column, "problem": message}
            )

    def raise_if_any(self) -> None:
        if not self.total:
            return
        messages = list(self.messages)
        if self.total > len(messages):
            messages.append(_("…and %(count)s more problems.") % {"count": self.total - len(messages)})
        messages.append(_("Nothing was imported. Correct the file and upload it again."))
        raise ValidationError(messages, code="invalid_rows")


def _date(problems: _Problems, row: int, column: str, value: str, *, required: bool) -> dt.date | None:
    if not value:
        if required:
            problems.add(row, column, _("a date is needed."))
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.add(
            row,
            column,
            _("“%(value)s” is not a date; write dates as YYYY-MM-DD, for example 2026-01-31.") % {"value": value},
        )
        return None


def _check_text(problems: _Problems, row: int, column: str, value: str, *, limit: int, missing: str) -> bool:
    if not value:
        problems.add(row, column, missing)
        return False
    if len(value) > limit:
        problems.add(
            row, column, _("“%(value)s” is too long (at most %(limit)s characters).") % {"value": value, "limit": limit}
        )
        return False
    return True


def _check_member_number(problems: _Problems, row: int, number: str, first_row_of: dict[str, int]) -> None:
    """Present, not too long, and on one row only (a duplicate names the row it repeats)."""
    if not _check_text(
        problems, row, "member_number", number, limit=MEMBER_NUMBER_MAX_LENGTH, missing=_("a member number is needed.")
    ):
        return
    if number in first_row_of:
        problems.add(
            row,
            "member_number",
            _("%(number)s is also on row %(first)s; each member may appear only once.")
            % {"number": number, "first": first_row_of[number]},
        )
    else:
        first_row_of[number] = row


def _header(reader: Iterator[list[str]]) -> dict[str, int]:
    try:
        names = next(reader)
    except StopIteration:
        raise ValidationError(_("The file is empty."), code="empty") from None
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        columns.setdefault(_column_key(name), index)
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ValidationError(
            [
                _("The file has no column “%(column)s”. The first row must name the columns: %(columns)s.")
                % {"column": column, "columns": ", ".join(REQUIRED_COLUMNS)}
                for column in missing
            ],
            code="missing_columns",
        )
    return columns


def read_membership_file(*, data: bytes) -> list[MembershipRow]:
    """Parse and check the whole file. A file with any problem raises one ``ValidationError``
    listing each problem (row and column), so nothing from it is ever half-imported."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("This file is larger than 10 MB."), code="too_large")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        return _read_rows(reader)
    except csv.Error as exc:
        raise ValidationError(
            _("Row %(row)s cannot be read as CSV (%(error)s). Nothing was imported.")
            % {"row": reader.line_num, "error": exc},
            code="csv",
        ) from exc


def _read_rows(reader: Iterator[list[str]]) -> list[MembershipRow]:
    columns = _header(reader)
    problems = _Problems()
    rows: list[MembershipRow] = []
    first_row_of: dict[str, int] = {}
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        number = cell("member_number")
        _check_member_number(problems, row_number, number, first_row_of)
        email = normalize_email_address(cell("email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.add(row_number, "email", _("“%(value)s” is not an e-mail address.") % {"value": email})
        category = cell("category")
        _check_text(
            problems, row_number, "category", category, limit=CATEGORY_MAX_LENGTH, missing=_("a category is needed.")
        )
        valid_from = _date(problems, row_number, "valid_from", cell("valid_from"), required=True)
        valid_until = _date(problems, row_number, "valid_until", cell("valid_until"), required=False)
        if valid_from and valid_until and valid_until < valid_from:
            problems.add(
                row_number,
                "valid_until",
                _("%(until)s is before the start date %(start)s.")
                % {"until": valid_until.isoformat(), "start": valid_from.isoformat()},
            )
        if valid_from is not None:
            rows.append(
                MembershipRow(
                    row=row_number,
                    member_number=number,
                    email=email,
                    category=category,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    name=" ".join(part for part in (cell("given_name"), cell("family_name")) if part),
                )
            )
    problems.raise_if_any()
    if not rows:
        raise ValidationError(_("The file names the columns but lists no members."), code="no_rows")
    return rows
