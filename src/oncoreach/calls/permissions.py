"""Who may do what with calls and applications: plain predicates (STYLE.md §3).

Conflicts of interest come from ``conflicts_for_call`` only; callers pass its answer in.
"""

from __future__ import annotations

from typing import Any

from oncoreach.calls.conflicts import Conflict, conflicted_pairs
from oncoreach.calls.enums import (
    DECISIONS,
    FINAL_STATES,
    OPEN_STATES,
    STAFF_MOVES,
    ApplicationStatus,
    AssignmentStatus,
    transitions_for,
)
from oncoreach.calls.models import Application, ReviewAssignment


def is_call_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def owns_application(user: Any, application: Application) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person is not None and application.applicant_id == person.pk


def can_edit_application(user: Any, application: Application) -> bool:
    """Only the applicant, only while it is a draft."""
    return owns_application(user, application) and application.status == ApplicationStatus.DRAFT


def can_withdraw_application(user: Any, application: Application) -> bool:
    return owns_application(user, application) and application.status in OPEN_STATES


def can_decline_offer(user: Any, application: Application) -> bool:
    return owns_application(user, application) and application.status == ApplicationStatus.ACCEPTED


def can_see_reviews(user: Any, application: Application) -> bool:
    """Staff only: an applicant never sees the reviews of their own application."""
    return is_call_staff(user) and not owns_application(user, application)


def can_review(user: Any, assignment: ReviewAssignment, conflicts: set[Conflict]) -> bool:
    """The assigned reviewer, while the assignment is live and there is no conflict of interest."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    return (
        person is not None
        and assignment.reviewer_id == person.pk
        and assignment.status in {AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED}
        and assignment.application.status not in FINAL_STATES | {ApplicationStatus.DRAFT}
        and (assignment.application_id, person.pk) not in conflicted_pairs(conflicts)
    )


def _next_statuses(application: Application, among: frozenset[str]) -> list[str]:
    """The statuses among ``among`` the call's table allows next, in the statuses' own order."""
    allowed = transitions_for(application.call.extra_stages).get(application.status, frozenset()) & among
    return [status for status in ApplicationStatus.values if status in allowed]


def staff_moves_for(user: Any, application: Application) -> list[str]:
    """The review stages staff may move this application to now (from the transitions table)."""
    return _next_statuses(application, STAFF_MOVES) if is_call_staff(user) else []


def staff_decisions_for(user: Any, application: Application) -> list[str]:
    """The decisions staff may record now: "not selected" from any review stage, "accepted"
    only once shortlisted (the transitions table decides; the page offers nothing else)."""
    return _next_statuses(application, DECISIONS) if is_call_staff(user) else []
