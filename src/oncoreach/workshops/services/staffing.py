"""Season staffing: run the engine over open slots and write its choices as proposed invitations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.core.services import record_audit
from oncoreach.workshops.enums import CourseStatus
from oncoreach.workshops.models import Course, FacultyInvitation, FacultySlot
from oncoreach.workshops.services.invitations import propose_faculty


@dataclass(frozen=True)
class UnfilledSlotReport:
    slot: FacultySlot
    reason: str
    message: str


@dataclass(frozen=True)
class TeamProposal:
    proposed: list[FacultyInvitation]
    unfilled: list[UnfilledSlotReport]
    uncovered_languages: list[tuple[Course, str]]
    optimal: bool


def _unfilled_message(reason: str, params: Any) -> str:
    if reason == "no_eligible_volunteer":
        return _(
            "No volunteer fits: %(with_role)s have the role, %(with_language)s of them speak the language, "
            "%(available)s are free on these dates."
        ) % {key: params.get(key, 0) for key in ("with_role", "with_language", "available")}
    return _(
        "Every fitting volunteer is committed elsewhere: %(at_max_trips)s at their trip limit, "
        "%(on_overlapping_course)s on an overlapping course, %(on_this_course)s in another slot here."
    ) % {key: params.get(key, 0) for key in ("at_max_trips", "on_overlapping_course", "on_this_course")}


@transaction.atomic
def propose_team(*, courses: Sequence[Course], actor: Any) -> TeamProposal:
    """Run the season staffing engine over the open slots of ``courses`` and write its choices as
    proposed invitations, all in one transaction. Slots already holding a live invitation stay."""
    from oncoreach.workshops import matching_adapter

    courses = list(
        Course.objects.select_for_update(of=("self",))
        .filter(pk__in=[c.pk for c in courses], status__in=[CourseStatus.PLANNING, CourseStatus.OPEN])
        .order_by("start_date", "id")
    )
    if not courses:
        raise ValidationError(_("Choose at least one course in planning or open."), code="no_courses")
    staffing = matching_adapter.build_staffing_problem(courses=courses)
    result = matching_adapter.solve(staffing)
    visited = matching_adapter.visited_sites_for([p.person_id for p in staffing.profiles.values()])
    proposed = []
    for assignment in result.assignments:
        slot = staffing.slots[assignment.slot]
        profile = staffing.profiles[assignment.volunteer]
        explanation = matching_adapter.explain_fit(
            profile=profile,
            slot=slot,
            course=staffing.courses[assignment.course],
            visited_sites=visited.get(profile.person_id, frozenset()),
        )
        proposed.append(
            propose_faculty(slot=slot, person=profile.person, actor=actor, fit=assignment.fit, explanation=explanation)
        )
    unfilled = [
        UnfilledSlotReport(slot=staffing.slots[u.slot], reason=u.reason, message=_unfilled_message(u.reason, u.params))
        for u in result.unfilled
    ]
    uncovered = [(staffing.courses[course_id], language) for course_id, language in result.uncovered_languages]
    record_audit(
        actor=actor,
        action="workshops.team_proposed",
        target=courses[0] if len(courses) == 1 else None,
        courses=[c.pk for c in courses],
        proposed=len(proposed),
        unfilled=len(unfilled),
        solver_status=result.stats.status,
    )
    return TeamProposal(
        proposed=proposed, unfilled=unfilled, uncovered_languages=uncovered, optimal=result.stats.optimal
    )
