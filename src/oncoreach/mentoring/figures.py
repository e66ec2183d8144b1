"""The impact figures mentoring contributes (programs.impact; reporting shows them).

Each function is one query; its docstring says exactly what it counts. ``apps.py`` registers them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from oncoreach.mentoring.enums import MentorshipStatus
from oncoreach.mentoring.models import Mentorship
from oncoreach.programs.impact import FigureFamily, FigureRow

#: A mentorship that started: active now, or over (completed or ended early).
STARTED_STATUSES = (MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED, MentorshipStatus.ENDED_EARLY)


def mentorship_figures(today: dt.date | None = None) -> list[FigureRow]:
    """Per mentee's country of practice, the cycle's program and calendar year:

    - ``mentorships_active`` (distinct ids): mentorships that started (status *active*,
      *completed* or *ended early*; one still *pending* has not), counted once in every calendar
      year they were active in: from the day they started (``starts_on`` if no start was
      recorded) to the day they ended (``ends_on`` if no end was recorded), or to today while
      active. Each year's row is dated by the later of 1 January and the start day.
    - ``mentorships_completed``: mentorships with status *completed* (not ended early), one each,
      in the year of the day they ended (``ends_on`` if no end was recorded).
    """
    today = today or timezone.localdate()
    rows = (
        Mentorship.objects.filter(status__in=STARTED_STATUSES)
        .annotate(start=Coalesce(TruncDate("started_at"), "starts_on"), end=Coalesce(TruncDate("ended_at"), "ends_on"))
        .values("pk", "status", "start", "end", "mentee__country_of_practice", "cycle__cycle__program")
        .order_by()
    )
    figures: list[FigureRow] = []
    for row in rows:
        start: dt.date = row["start"]
        end: dt.date = today if row["status"] == MentorshipStatus.ACTIVE else row["end"]
        country, program = row["mentee__country_of_practice"], row["cycle__cycle__program"]
        for year in range(start.year, max(start.year, end.year) + 1):
            figures.append(
                FigureRow(
                    country_id=country,
                    program_id=program,
                    day=max(start, dt.date(year, 1, 1)),
                    values={"mentorships_active": frozenset({row["pk"]})},
                )
            )
        if row["status"] == MentorshipStatus.COMPLETED:
            figures.append(
                FigureRow(country_id=country, program_id=program, day=row["end"], values={"mentorships_completed": 1})
            )
    return figures


MENTORSHIPS = FigureFamily(
    name="mentoring.mentorships",
    provides=("mentorships_active", "mentorships_completed"),
    rows=mentorship_figures,
)
