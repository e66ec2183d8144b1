"""Season staffing: staff ask for a team proposal; the engine runs in the worker.

The request only queues a background run (``core.runs``); ``matching_adapter.run_team_proposal``
does the work and writes the proposals in one transaction. Staff follow it on the run page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oncoreach.core.models import BackgroundRun
from oncoreach.core.runs import start_run
from oncoreach.workshops.enums import TEAM_PROPOSAL_RUN, CourseStatus
from oncoreach.workshops.models import Course


def start_team_proposal(*, courses: Sequence[Course], actor: Any, return_url: str = "") -> BackgroundRun:
    """Queue the engine for the open slots of ``courses`` (those in planning or open)."""
    course_ids = sorted(c.pk for c in courses if c.status in (CourseStatus.PLANNING, CourseStatus.OPEN))
    if not course_ids:
        raise ValidationError(_("Choose at least one course in planning or open."), code="no_courses")
    language = getattr(actor, "preferred_language", "") or ""
    return start_run(
        kind=TEAM_PROPOSAL_RUN,
        actor=actor,
        params={"course_ids": course_ids},
        return_url=return_url,
        language=language,
    )
