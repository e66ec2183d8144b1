"""The impact figure volunteers' logged hours contribute (programs.impact); ``apps.py`` registers it."""

from __future__ import annotations

from django.db.models import Sum

from oncoreach.programs.impact import FigureFamily, FigureRow
from oncoreach.volunteers.models import ActivityLog


def volunteer_hour_figures() -> list[FigureRow]:
    """``volunteer_hours``: the sum of the hours in every activity volunteers logged (teaching,
    travel, preparation, mentoring, reviewing, writing, other), under the volunteer's country of
    practice (``None`` when unknown), by the activity's date. No program: an activity log does
    not name one, so these hours count only while no program filter is set."""
    rows = ActivityLog.objects.values("person__country_of_practice", "date").annotate(hours=Sum("hours")).order_by()
    return [
        FigureRow(
            country_id=row["person__country_of_practice"],
            program_id=None,
            day=row["date"],
            values={"volunteer_hours": row["hours"]},
        )
        for row in rows
    ]


HOURS = FigureFamily(name="volunteers.hours", provides=("volunteer_hours",), rows=volunteer_hour_figures)
