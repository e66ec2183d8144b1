"""The only bridge between workshops and the matching engine (ARCHITECTURE.md §4).

* ``build_staffing_problem`` turns courses, their open slots and the faculty volunteers into the
  engine's season staffing problem (availability minus what each volunteer already committed to,
  trips left this year, languages, expertise, continuity with sites visited before, the slots each
  raised a hand for, and the course languages the team already speaks);
* ``apply_result`` writes the engine's choices as proposed invitations in one transaction, each
  with the engine's own explanation (``matching.explain.explain_staffing``);
* ``run_team_proposal`` is the background runner (the worker calls it; the request only queues it);
* ``suggestions_for_course`` ranks the next best volunteers for open slots with the engine's
  ``rank_volunteers``.

Scores and their words come from the engine only: no weights or formula are kept here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.explain import PairExplanation, explain_staffing_pair, rank_volunteers
from matching.staffing import Course as EngineCourse
from matching.staffing import Slot as EngineSlot
from matching.staffing import StaffingProblem, StaffingResult, solve_staffing
from matching.staffing import Volunteer as EngineVolunteer
from oncoreach.core.models import BackgroundRun
from oncoreach.core.runs import report_progress
from oncoreach.core.services import record_audit
from oncoreach.volunteers.fit_words import explanation_record, reason_record
from oncoreach.volunteers.models import VolunteerProfile
from oncoreach.volunteers.selectors import faculty_volunteers
from oncoreach.workshops.enums import LIVE_STATUSES, ROLES_FOR_SPECIALTY, CourseStatus, InvitationStatus
from oncoreach.workshops.models import Course, FacultyInterest, FacultyInvitation, FacultySlot
from oncoreach.workshops.services import propose_faculty

TIME_LIMIT_SECONDS = 20.0


def _site(course: Course) -> str:
    return f"org-{course.host_organization_id}"


def _free_windows(
    windows: Sequence[tuple[dt.date, dt.date]], busy: Sequence[tuple[dt.date, dt.date]]
) -> tuple[tuple[dt.date, dt.date], ...]:
    """Availability windows minus the dates already committed elsewhere (empty windows = always)."""
    free = list(windows) or [(dt.date.min, dt.date.max)]
    for b_start, b_end in busy:
        next_free: list[tuple[dt.date, dt.date]] = []
        for start, end in free:
            if b_end < start or b_start > end:
                next_free.append((start, end))
                continue
            if start < b_start:
                next_free.append((start, b_start - dt.timedelta(days=1)))
            if b_end < end:
                next_free.append((b_end + dt.timedelta(days=1), end))
        free = next_free
    if not free:  # busy all the time: a window that no course fits
        return ((dt.date.min, dt.date.min),)
    return tuple(free)


@dataclass(frozen=True)
class StaffingInput:
    problem: StaffingProblem
    slots: dict[str, FacultySlot]
    profiles: dict[str, VolunteerProfile]
    courses: dict[str, Course]


def build_staffing_problem(*, courses: Sequence[Course]) -> StaffingInput:
    """Open slots (no live invitation) of the given courses, against every active faculty volunteer.

    Pinned: a slot with a proposed, invited or accepted volunteer is left as it is, that
    volunteer's dates count as busy, and the languages they speak count for their course's team,
    so re-running never undoes staff's hand adjustments.
    """
    course_ids = [course.pk for course in courses]
    live = list(
        FacultyInvitation.objects.filter(status__in=LIVE_STATUSES)
        .filter(slot__course__end_date__gte=min((c.start_date for c in courses), default=dt.date.min))
        .select_related("slot__course", "person")
    )
    taken_slots = {inv.slot_id for inv in live}
    slots = [
        slot
        for slot in FacultySlot.objects.filter(course_id__in=course_ids).order_by("course__start_date", "id")
        if slot.pk not in taken_slots
    ]
    busy: dict[int, list[tuple[dt.date, dt.date]]] = {}
    trips: dict[tuple[int, int], int] = {}
    team_languages: dict[int, set[str]] = {}
    for inv in live:
        busy.setdefault(inv.person_id, []).append((inv.slot.course.start_date, inv.slot.course.end_date))
        year_key = (inv.person_id, inv.slot.course.start_date.year)
        trips[year_key] = trips.get(year_key, 0) + 1
        team_languages.setdefault(inv.slot.course_id, set()).update(inv.person.languages or [])
    season = min((c.start_date.year for c in courses), default=timezone.localdate().year)
    visited: dict[int, set[str]] = {}
    for inv in FacultyInvitation.objects.filter(status=InvitationStatus.COMPLETED).select_related("slot__course"):
        visited.setdefault(inv.person_id, set()).add(_site(inv.slot.course))
    interested: dict[int, set[str]] = {}
    for slot_id, person_id in FacultyInterest.objects.filter(slot__in=slots).values_list("slot_id", "person_id"):
        interested.setdefault(person_id, set()).add(f"s{slot_id}")
    profiles = {f"v{p.person_id}": p for p in faculty_volunteers()}
    volunteers = []
    for key, profile in profiles.items():
        roles = ROLES_FOR_SPECIALTY.get(profile.specialty, frozenset())
        if not roles:
            continue
        windows = [(w.start, w.end) for w in profile.availability.all()]
        volunteers.append(
            EngineVolunteer(
                id=key,
                roles=frozenset(str(r) for r in roles),
                languages=frozenset(profile.person.languages),
                expertise=frozenset(profile.expertise),
                max_trips=max(0, profile.max_trips_per_year - trips.get((profile.person_id, season), 0)),
                available=_free_windows(windows, busy.get(profile.person_id, [])),
                visited_sites=frozenset(visited.get(profile.person_id, set())),
                interested_slots=frozenset(interested.get(profile.person_id, set())),
            )
        )
    engine_courses = tuple(
        EngineCourse(
            id=f"c{c.pk}",
            start=c.start_date,
            end=c.end_date,
            site=_site(c),
            languages=frozenset(c.languages),
            covered_languages=frozenset(team_languages.get(c.pk, set())),
        )
        for c in courses
    )
    engine_slots = tuple(
        EngineSlot(
            id=f"s{s.pk}",
            course=f"c{s.course_id}",
            role=s.role,
            language=s.required_language or None,
            expertise=frozenset(s.required_expertise),
        )
        for s in slots
    )
    problem = StaffingProblem(
        courses=engine_courses,
        slots=engine_slots,
        volunteers=tuple(sorted(volunteers, key=lambda v: v.id)),
        time_limit_s=TIME_LIMIT_SECONDS,
    )
    return StaffingInput(
        problem=problem,
        slots={f"s{s.pk}": s for s in slots},
        profiles=profiles,
        courses={f"c{c.pk}": c for c in courses},
    )


def solve(staffing: StaffingInput) -> StaffingResult:
    return solve_staffing(staffing.problem)


# --- Writing the result ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnfilledSlotReport:
    slot: FacultySlot
    reason: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class TeamProposal:
    proposed: list[FacultyInvitation]
    explanations: list[PairExplanation]
    unfilled: list[UnfilledSlotReport]
    uncovered_languages: list[tuple[Course, str]]
    optimal: bool
    skipped: list[tuple[FacultySlot, str]] = field(default_factory=list)


def _slot_label(slot: FacultySlot, course: Course) -> str:
    return f"{slot.get_role_display()} — {course.title}"


@transaction.atomic
def apply_result(*, staffing: StaffingInput, result: StaffingResult, actor: Any) -> TeamProposal:
    """Write the engine's choices as proposed invitations (through the one service), in one
    transaction, each with its explanation. A slot or course that changed while the engine ran
    (someone proposed by hand, the course was cancelled) is left as it is and reported."""
    courses = list(
        Course.objects.select_for_update(of=("self",))
        .filter(pk__in=[c.pk for c in staffing.courses.values()])
        .order_by("start_date", "id")
    )
    proposed: list[FacultyInvitation] = []
    explanations: list[PairExplanation] = []
    skipped: list[tuple[FacultySlot, str]] = []
    for assignment in result.assignments:
        slot = staffing.slots[assignment.slot]
        profile = staffing.profiles[assignment.volunteer]
        if FacultyInvitation.objects.filter(slot=slot, status__in=LIVE_STATUSES).exists():
            skipped.append((slot, "taken_meanwhile"))
            continue
        explanation = explain_staffing_pair(staffing.problem, assignment.slot, assignment.volunteer)
        try:
            with transaction.atomic():
                invitation = propose_faculty(
                    slot=slot,
                    person=profile.person,
                    actor=actor,
                    fit=assignment.fit,
                    explanation=explanation_record(explanation)["parts"],
                )
        except ValidationError:
            skipped.append((slot, "changed_meanwhile"))
            continue
        proposed.append(invitation)
        explanations.append(explanation)
    unfilled = [
        UnfilledSlotReport(slot=staffing.slots[u.slot], reason=u.reason, params=u.params) for u in result.unfilled
    ]
    uncovered = [(staffing.courses[course_id], language) for course_id, language in result.uncovered_languages]
    record_audit(
        actor=actor,
        action="workshops.team_proposed",
        target=courses[0] if len(courses) == 1 else None,
        courses=[c.pk for c in courses],
        proposed=len(proposed),
        unfilled=len(unfilled),
        skipped=len(skipped),
        solver_status=result.stats.status,
    )
    return TeamProposal(
        proposed=proposed,
        explanations=explanations,
        unfilled=unfilled,
        uncovered_languages=uncovered,
        optimal=result.stats.optimal,
        skipped=skipped,
    )


def _staffable(course_ids: Sequence[int]) -> list[Course]:
    courses = list(
        Course.objects.filter(pk__in=course_ids, status__in=[CourseStatus.PLANNING, CourseStatus.OPEN])
        .select_related("host_organization")
        .order_by("start_date", "id")
    )
    if not courses:
        raise ValidationError(_("Choose at least one course in planning or open."), code="no_courses")
    return courses


def propose_team(*, courses: Sequence[Course], actor: Any, run: BackgroundRun | None = None) -> TeamProposal:
    """Build the season staffing problem, solve it, and write the proposals. The engine runs
    outside any transaction; only the writing is one. With ``run``, progress is reported."""
    courses = _staffable([c.pk for c in courses])
    if run is not None:
        report_progress(run=run, progress=10, message=_("Reading the courses and the volunteers…"))
    staffing = build_staffing_problem(courses=courses)
    if run is not None:
        report_progress(
            run=run,
            progress=30,
            message=_("The engine is choosing among %(volunteers)s volunteers for %(slots)s open slots…")
            % {"volunteers": len(staffing.problem.volunteers), "slots": len(staffing.problem.slots)},
        )
    result = solve(staffing)
    if run is not None:
        report_progress(run=run, progress=80, message=_("Writing the proposals…"))
    return apply_result(staffing=staffing, result=result, actor=actor)


def proposal_outcome(proposal: TeamProposal) -> dict[str, Any]:
    """The run's outcome as JSON: proposals with the engine's explanation, unfilled slots and
    uncovered team languages with their reason codes (worded by ``volunteers.fit_words``)."""
    pairs = []
    for invitation, explanation in zip(proposal.proposed, proposal.explanations, strict=True):
        record = explanation_record(explanation)
        pairs.append(
            {
                "left": _slot_label(invitation.slot, invitation.slot.course),
                "right": invitation.person.full_name,
                "score": record["score"],
                "rank": record["rank"],
                "candidates": record["candidates"],
                "parts": record["parts"],
                "invitation": invitation.pk,
            }
        )
    unmatched = [
        {
            "item": _slot_label(report.slot, report.slot.course),
            **reason_record(code=report.reason, params=report.params),
        }
        for report in proposal.unfilled
    ]
    unmatched += [
        {"item": _slot_label(slot, slot.course), **reason_record(code=code, params={})}
        for slot, code in proposal.skipped
    ]
    notes = [
        reason_record(code="language_uncovered", params={"course": course.title, "language": language})
        for course, language in proposal.uncovered_languages
    ]
    if not proposal.optimal:
        notes.append(reason_record(code="time_limit", params={}))
    return {"pairs": pairs, "unmatched": unmatched, "notes": notes}


def run_team_proposal(*, run: BackgroundRun) -> dict[str, Any]:
    """The background runner for ``TEAM_PROPOSAL_RUN`` (registered in apps.py)."""
    courses = _staffable([int(pk) for pk in run.params.get("course_ids", [])])
    return proposal_outcome(propose_team(courses=courses, actor=run.started_by, run=run))


# --- Suggestions on the staffing page --------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    profile: VolunteerProfile
    fit: float
    explanation: list[dict[str, Any]]


def suggest_replacements(*, slot: FacultySlot, limit: int = 3) -> list[Suggestion]:
    """The next best volunteers for one slot (see ``suggestions_for_course``)."""
    return suggestions_for_course(course=slot.course, slots=[slot], limit=limit).get(slot.pk, [])


def suggestions_for_course(
    *, course: Course, slots: Sequence[FacultySlot], limit: int = 3
) -> dict[int, list[Suggestion]]:
    """The next best volunteers for each given slot of one course, ranked and explained by the
    engine: right role and language, free on the dates, a trip left, not asked for that slot
    before. The problem is built once for the course, so the cost does not grow with the slots."""
    if not slots:
        return {}
    staffing = build_staffing_problem(courses=[course])
    asked: dict[int, set[str]] = {}
    for slot_id, person_id in FacultyInvitation.objects.filter(slot__in=slots).values_list("slot_id", "person_id"):
        asked.setdefault(slot_id, set()).add(f"v{person_id}")
    known = {s.id for s in staffing.problem.slots}
    result: dict[int, list[Suggestion]] = {}
    for slot in slots:
        if f"s{slot.pk}" not in known:
            result[slot.pk] = []
            continue
        ranked = rank_volunteers(staffing.problem, f"s{slot.pk}", exclude=asked.get(slot.pk, set()), limit=limit)
        result[slot.pk] = [
            Suggestion(
                profile=staffing.profiles[explanation.right],
                fit=explanation.score,
                explanation=explanation_record(explanation)["parts"],
            )
            for explanation in ranked
        ]
    return result
