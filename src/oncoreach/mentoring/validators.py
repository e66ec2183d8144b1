"""Rules shared by mentoring's models, forms and services."""

from __future__ import annotations

import itertools
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oncoreach.mentoring.enums import FOCUS_AREAS, MAX_WINDOWS, WINDOW_STEP_MINUTES
from oncoreach.people.enums import LANGUAGE_CODES

DAY_MINUTES = 24 * 60


def validate_focus_areas(value: object) -> None:
    if not isinstance(value, list) or any(code not in FOCUS_AREAS for code in value):
        raise ValidationError(_("Choose focus areas from the list."), code="focus_areas")


def validate_languages(value: object) -> None:
    if not isinstance(value, list) or any(code not in LANGUAGE_CODES for code in value):
        raise ValidationError(_("Choose languages from the list."), code="languages")


def validate_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("“%(zone)s” is not a time zone name.") % {"zone": value}, code="time_zone") from exc


def validate_window(weekday: int, start_minute: int, end_minute: int) -> None:
    """One weekly window: a weekday, a start before its end within the day, quarter hours."""
    if not 0 <= weekday <= 6:
        raise ValidationError(_("Choose a day of the week."), code="weekday")
    if not 0 <= start_minute < end_minute <= DAY_MINUTES:
        raise ValidationError(_("A time window must end after it starts, on the same day."), code="window_order")
    if start_minute % WINDOW_STEP_MINUTES or end_minute % WINDOW_STEP_MINUTES:
        raise ValidationError(
            _("Times are in steps of %(step)s minutes (for example 9:00, 9:15, 9:30).") % {"step": WINDOW_STEP_MINUTES},
            code="window_step",
        )


def validate_windows(windows: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """A set of weekly windows: each valid, at most MAX_WINDOWS, none overlapping another on its day.
    Returns them sorted."""
    items = sorted(set(windows))
    for window in items:
        validate_window(*window)
    if len(items) > MAX_WINDOWS:
        raise ValidationError(
            _("Give at most %(count)s time windows a week.") % {"count": MAX_WINDOWS}, code="too_many_windows"
        )
    for (day_a, _start_a, end_a), (day_b, start_b, _end_b) in itertools.pairwise(items):
        if day_a == day_b and start_b < end_a:
            raise ValidationError(_("Two of your time windows overlap on the same day."), code="window_overlap")
    return items
