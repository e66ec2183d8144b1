"""The only bridge between workshops and the matching engine (ARCHITECTURE.md §4).

``build_staffing_problem`` turns courses, their open slots and the faculty volunteers into the
engine's season staffing problem (availability minus what each volunteer already committed to,
trips left this year, languages, expertise, continuity with sites visited before);
``explain_fit`` puts each proposal's score into words staff understand; ``suggest_replacements``
ranks the next best volunteers for one slot after a decline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from matching.staffing import Course as EngineCourse
from matching.staffing import Slot as EngineSlot
from matching.staffing import StaffingProblem, StaffingResult, solve_staffing
from matching.staffing import Volunteer as EngineVolunteer
from oncoreach.volunteers.models import VolunteerProfile
from oncoreach.volunteers.selectors import faculty_volunteers
from oncoreach.workshops.enums import LIVE_STATUSES, ROLES_FOR_SPECIALTY, InvitationStatus
from oncoreach.workshops.models import Course, FacultyInvitation, FacultySlot

WEIGHTS = {"expertise": 0.6, "language": 0.25, "continuity": 0.15}
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

    Pinned: a slot with a proposed, invited or accepted volunteer is left as it is, and that
    volunteer's dates count as busy, so re-running never undoes staff's hand adjustments.
    """
    course_ids = [course.pk for course in courses]
    live = list(
        FacultyInvitation.objects.filter(status__in=LIVE_STATUSES)
        .filter(slot__course__end_date__gte=min((c.start_date for c in courses), default=dt.date.min))
        .select_related("slot__course")
    )
    taken_slots = {inv.slot_id for inv in live}
    slots = [
        slot
        for slot in FacultySlot.objects.filter(course_id__in=course_ids).order_by("course__start_date", "id")
        if slot.pk not in taken_slots
    ]
    busy: dict[int, list[tuple[dt.date, dt.date]]] = {}
    trips: dict[tuple[int, int], int] = {}
    for inv in live:
        busy.setdefault(inv.person_id, []).append((inv.slot.course.start_date, inv.slot.course.end_date))
        year_key = (inv.person_id, inv.slot.course.start_date.year)
        trips[year_key] = trips.get(year_key, 0) + 1
    season = min((c.start_date.year for c in courses), default=timezone.localdate().year)
    visited: dict[int, set[str]] = {}
    for inv in FacultyInvitation.objects.filter(status=InvitationStatus.COMPLETED).select_related("slot__course"):
        visited.setdefault(inv.person_id, set()).add(_site(inv.slot.course))
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
            )
        )
    engine_courses = tuple(
        EngineCourse(id=f"c{c.pk}", start=c.start_date, end=c.end_date, site=_site(c), languages=frozenset(c.languages))
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
        weights=WEIGHTS,
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


def explain_fit(
    *, profile: VolunteerProfile, slot: FacultySlot, course: Course, visited_sites: frozenset[str]
) -> list[dict[str, Any]]:
    """The score's parts in words: the same components and weights the engine uses."""
    wanted = set(slot.required_expertise)
    shared = sorted(wanted & set(profile.expertise))
    languages = set(course.languages)
    speaks = sorted(languages & set(profile.person.languages))
    parts = []
    expertise_score = len(shared) / len(wanted) if wanted else 1.0
    parts.append(
        {
            "component": "expertise",
            "value": round(WEIGHTS["expertise"] * expertise_score, 6),
            "text": (
                _("Knows %(shared)s (%(n)d of %(total)d topics wanted).")
                % {"shared": ", ".join(shared), "n": len(shared), "total": len(wanted)}
                if shared
                else _("No topic in common with what this slot asks for.")
                if wanted
                else _("The slot asks for no particular topic.")
            ),
        }
    )
    language_score = len(speaks) / len(languages) if languages else 1.0
    parts.append(
        {
            "component": "language",
            "value": round(WEIGHTS["language"] * language_score, 6),
            "text": (
                _("Speaks %(speaks)s of the course languages.") % {"speaks": ", ".join(speaks)}
                if speaks
                else _("Speaks none of the course languages.")
            ),
        }
    )
    returning = _site(course) in visited_sites
    parts.append(
        {
            "component": "continuity",
            "value": WEIGHTS["continuity"] if returning else 0.0,
            "text": _("Has taught at this host before.") if returning else _("Would be a first visit to this host."),
        }
    )
    return parts


def visited_sites_for(person_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    visited: dict[int, set[str]] = {}
    for inv in FacultyInvitation.objects.filter(
        person_id__in=person_ids, status=InvitationStatus.COMPLETED
    ).select_related("slot__course"):
        visited.setdefault(inv.person_id, set()).add(_site(inv.slot.course))
    return {pk: frozenset(sites) for pk, sites in visited.items()}


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
    """The next best volunteers for each given slot of one course: right role and language, free
    on the dates, not at their trip limit and not asked for that slot before; best fit first.
    The problem is built once for the course, so the cost does not grow with the slots."""
    if not slots:
        return {}
    staffing = build_staffing_problem(courses=[course])
    asked: dict[int, set[int]] = {}
    for slot_id, person_id in FacultyInvitation.objects.filter(slot__in=slots).values_list("slot_id", "person_id"):
        asked.setdefault(slot_id, set()).add(person_id)
    engine_course = next(c for c in staffing.problem.courses if c.id == f"c{course.pk}")
    free = [
        v
        for v in staffing.problem.volunteers
        if v.max_trips >= 1 and any(a <= engine_course.start and engine_course.end <= b for a, b in v.available)
    ]
    result: dict[int, list[Suggestion]] = {}
    for slot in slots:
        candidates = []
        for volunteer in free:
            profile = staffing.profiles[volunteer.id]
            if profile.person_id in asked.get(slot.pk, set()) or slot.role not in volunteer.roles:
                continue
            if slot.required_language and slot.required_language not in volunteer.languages:
                continue
            parts = explain_fit(profile=profile, slot=slot, course=course, visited_sites=volunteer.visited_sites)
            fit = round(sum(part["value"] for part in parts), 6)
            candidates.append(Suggestion(profile=profile, fit=fit, explanation=parts))
        candidates.sort(key=lambda s: (-s.fit, s.profile.person.family_name, s.profile.person_id))
        result[slot.pk] = candidates[:limit]
    return result
