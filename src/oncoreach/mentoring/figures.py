"""The impact figures mentoring contributes (programs.impact; reporting shows them).

Each function is one query; its docstring says exactly what it counts. ``apps.py`` registers them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoreach.mentoring.enums import USEFUL_FROM, GoalsMet, MentorshipStatus, Side
from oncoreach.mentoring.models import Mentorship
from oncoreach.mentoring.models_term import Evaluation
from oncoreach.programs.impact import Figure, FigureFamily, FigureRow, Unit

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


def evaluation_figures() -> list[FigureRow]:
    """Per mentee's country of practice, the cycle's program and the year the mentorship ended
    (``ends_on`` if no end was recorded), over *completed* mentorships' evaluations that were sent
    (a draft nobody sent does not count; answers changed before the deadline count as last sent):

    - ``mentoring_evaluations``: evaluations sent, one per side (a mentorship both sides evaluated
      counts twice).
    - ``mentoring_rated_useful``: those rating the mentorship useful, 4 or 5 on the 1–5 scale
      (``USEFUL_FROM``); ``mentoring_useful_share`` divides it by ``mentoring_evaluations``.
    - ``mentoring_goals_met``: mentorships whose *mentee* answered that their goals were met
      ("yes"; "partly" does not count), one each.
    """
    rows = (
        Evaluation.objects.filter(submitted_at__isnull=False, mentorship__status=MentorshipStatus.COMPLETED)
        .annotate(end=Coalesce(TruncDate("mentorship__ended_at"), "mentorship__ends_on"))
        .values(
            "side",
            "usefulness",
            "goals_met",
            "end",
            "mentorship__mentee__country_of_practice",
            "mentorship__cycle__cycle__program",
        )
        .order_by()
    )
    return [
        FigureRow(
            country_id=row["mentorship__mentee__country_of_practice"],
            program_id=row["mentorship__cycle__cycle__program"],
            day=row["end"],
            values={
                "mentoring_evaluations": 1,
                "mentoring_rated_useful": int((row["usefulness"] or 0) >= USEFUL_FROM),
                "mentoring_goals_met": int(row["side"] == Side.MENTEE and row["goals_met"] == GoalsMet.YES),
            },
        )
        for row in rows
    ]


EVALUATIONS = FigureFamily(
    name="mentoring.evaluations",
    provides=("mentoring_evaluations", "mentoring_rated_useful", "mentoring_useful_share", "mentoring_goals_met"),
    rows=evaluation_figures,
    figures=(
        Figure(
            "mentoring_evaluations",
            _("Mentorship evaluations"),
            _("Evaluations of completed mentorships sent by mentees and mentors, in the year the mentorship ended."),
        ),
        Figure(
            "mentoring_rated_useful",
            _("Evaluations rating the mentorship useful"),
            _("Evaluations rating the mentorship 4 or 5 out of 5 for usefulness."),
        ),
        Figure(
            "mentoring_useful_share",
            _("Share rating the mentorship useful"),
            _("Evaluations rating the mentorship useful, per evaluation sent."),
            unit=Unit.RATIO,
            ratio_of=("mentoring_rated_useful", "mentoring_evaluations"),
        ),
        Figure(
            "mentoring_goals_met",
            _("Mentorships whose goals were met"),
            _("Completed mentorships whose mentee said their goals were met."),
        ),
    ),
)
