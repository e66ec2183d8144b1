"""The form engine's rules as plain functions over questions and values: which questions show
(sections, "show if" conditions, audiences), empty answers and rows, totals of money columns, and
answers as text. No queries here: selectors, services and forms all call these."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from oncoreach.programs.enums import Audience, ConditionOp, QuestionKind


class Item(Protocol):
    """What the rules need of a question (a Question row, or one rebuilt from a snapshot)."""

    key: str
    kind: str
    condition: dict[str, Any]
    audiences: list[str]


@dataclass(frozen=True)
class Money:
    """An amount with its ISO 4217 currency code (never a float)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def is_empty(value: Any) -> bool:
    return value is None or value in ("", [], {}) or value is False


def row_is_empty(row: Mapping[str, Any]) -> bool:
    return all(is_empty(value) or (isinstance(value, str) and not value.strip()) for value in row.values())


def non_empty_rows(rows: Any) -> list[dict[str, Any]]:
    """The rows of a repeating group that hold something (blank rows are dropped)."""
    if not isinstance(rows, list):
        return []
    return [dict(row) for row in rows if isinstance(row, Mapping) and not row_is_empty(row)]


def decimal_or_none(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def group_total(rows: Any, column_key: str) -> Decimal:
    """The sum of one money (or number) column over the group's rows; cells that are not numbers
    count as nothing (the form has already refused them)."""
    total = Decimal(0)
    for row in non_empty_rows(rows):
        amount = decimal_or_none(row.get(column_key))
        if amount is not None:
            total += amount
    return total


def format_money(amount: Decimal, currency: str) -> str:
    return f"{currency} {number_format(amount, 2, force_grouping=True)}".strip()


def make_key(text: str, taken: Iterable[str]) -> str:
    """A question key from its English text: ``Project title`` → ``project_title`` (then
    ``project_title_2`` … when taken)."""
    taken = set(taken)
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40].strip("_")
    if not base or not base[0].isalpha():
        base = f"question_{base}".strip("_")
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    return key


# --- Conditions ---------------------------------------------------------------------------------


def condition_values(condition: Mapping[str, Any]) -> list[str]:
    values = condition.get("values") or []
    return [str(value) for value in values] if isinstance(values, list) else [str(values)]


def condition_holds(condition: Mapping[str, Any] | None, value: Any) -> bool:
    """Does the other question's answer ``value`` meet the condition? No condition: always."""
    if not condition or not condition.get("key"):
        return True
    op = condition.get("op") or ConditionOp.ANSWERED
    if op == ConditionOp.ANSWERED:
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            return bool(non_empty_rows(value))
        return not is_empty(value)
    if is_empty(value):
        return False
    given = {str(item) for item in value} if isinstance(value, list) else {str(value)}
    wanted = condition_values(condition)
    if op == ConditionOp.EQUALS:
        return bool(wanted) and wanted[0] in given
    return bool(given & set(wanted))


def visible_keys(items: Sequence[Item], values: Mapping[str, Any]) -> set[str]:
    """Keys of the items that show, given the answers so far (by key). A section's condition
    hides every item under it; a condition on a hidden question sees no answer."""
    visible: set[str] = set()
    section_shows = True
    for item in items:
        source = (item.condition or {}).get("key")
        value = values.get(source) if source in visible else None
        holds = condition_holds(item.condition, value)
        if item.kind == QuestionKind.SECTION:
            section_shows = holds
            if holds:
                visible.add(item.key)
        elif section_shows and holds:
            visible.add(item.key)
    return visible


def effective_audiences(items: Sequence[Item]) -> dict[str, frozenset[str]]:
    """Who may see each item: its own audiences within those of the section it sits in. Staff
    always may."""
    result: dict[str, frozenset[str]] = {}
    section: frozenset[str] | None = None
    for item in items:
        own = frozenset(item.audiences or ()) | {Audience.STAFF.value}
        if item.kind == QuestionKind.SECTION:
            section = own
            result[item.key] = own
        else:
            result[item.key] = own & section if section is not None else own
    return result


def section_keys(items: Sequence[Item]) -> dict[str, str]:
    """The key of the section each item sits in ("" before the first section)."""
    current = ""
    result: dict[str, str] = {}
    for item in items:
        if item.kind == QuestionKind.SECTION:
            current = item.key
            result[item.key] = ""
        else:
            result[item.key] = current
    return result


def answer_labels(kind: str, choice_pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Value → label for the answers a question offers (yes/no included)."""
    if kind == QuestionKind.YES_NO:
        return {"yes": _("Yes"), "no": _("No")}
    return dict(choice_pairs)


def condition_in_words(condition: Mapping[str, Any], source_label: str, choice_labels: Mapping[str, str]) -> str:
    """ "Answer only if “Any co-funding?” is “Yes”." for people who see every question (no JavaScript)."""
    op = condition.get("op") or ConditionOp.ANSWERED
    shown = [f"“{choice_labels.get(value, value)}”" for value in condition_values(condition)]
    if op == ConditionOp.ANSWERED:
        return _("Only if “%(question)s” is answered.") % {"question": source_label}
    if op == ConditionOp.EQUALS:
        return _("Only if the answer to “%(question)s” is %(value)s.") % {
            "question": source_label,
            "value": shown[0] if shown else "—",
        }
    return _("Only if the answer to “%(question)s” is one of %(values)s.") % {
        "question": source_label,
        "values": ", ".join(shown),
    }


# --- Answers as text --------------------------------------------------------------------------


def yes_no_text(value: Any) -> str:
    return {"yes": _("Yes"), "no": _("No")}.get(str(value), str(value))


def cell_text(kind: str, value: Any, *, choices: Mapping[str, str], currency: str = "") -> str:
    """One value as text: choice labels, Yes/No, money with its currency; dates and times stay
    ISO 8601 (2026-05-01, 14:30 read the same in every country)."""
    if is_empty(value):
        return ""
    if isinstance(value, list):
        return ", ".join(str(choices.get(str(item), item)) for item in value)
    if kind == QuestionKind.YES_NO:
        return yes_no_text(value)
    if kind == QuestionKind.MONEY:
        amount = decimal_or_none(value)
        return format_money(amount, currency) if amount is not None else str(value)
    return str(choices.get(str(value), value))


@dataclass(frozen=True)
class Column:
    """A column of a repeating group, as shown."""

    key: str
    label: str
    kind: str
    choices: Mapping[str, str]


def rows_text(rows: Any, columns: Iterable[Column], *, currency: str = "") -> list[list[str]]:
    """Each non-empty row as a list of cell texts, in column order."""
    columns = list(columns)
    return [
        [cell_text(column.kind, row.get(column.key), choices=column.choices, currency=currency) for column in columns]
        for row in non_empty_rows(rows)
    ]


def group_text(rows: Any, columns: Iterable[Column], *, currency: str = "", total: str = "") -> str:
    """A group's rows as lines of "Column: value; …", then the total."""
    columns = list(columns)
    lines = [
        "; ".join(f"{column.label}: {text}" for column, text in zip(columns, cells, strict=True) if text)
        for cells in rows_text(rows, columns, currency=currency)
    ]
    if total:
        lines.append(_("Total: %(total)s") % {"total": total})
    return "\n".join(lines)


def money_column(columns: Iterable[Column]) -> Column | None:
    """The group's money column, whose sum is the group's total (a group has at most one)."""
    return next((column for column in columns if column.kind == QuestionKind.MONEY), None)


def audience_may_see(audiences: Iterable[str], audience: str) -> bool:
    return audience == Audience.STAFF or audience in set(audiences)
