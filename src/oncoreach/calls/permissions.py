"""Who may do what with calls and applications: plain predicates (STYLE.md §3).

Conflicts of interest come from ``conflicts_for_call`` only; callers pass its answer in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oncoreach.calls.conflicts import conflicted_pairs
from oncoreach.calls.enums import (
    DECISIONS,
    DRIVEN_ELSEWHERE,
    FINAL_STATES,
    OPEN_STATES,
    REFERENCE_LETTER_STATES,
    ApplicationStatus,
    AssignmentStatus,
    StageShape,
    transitions_for,
)
from oncoreach.calls.models import Application, CallRole, CallStage, ReferenceRequest, ReviewAssignment
from oncoreach.calls.roles import role_definition, roles_seeing_ranking


def is_call_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def can_see_review_list(user: Any) -> bool:
    """The reviewing page is for people asked to review (a live assignment) or sitting on a
    selection committee; everyone else would find it empty."""
    if not getattr(user, "is_authenticated", False):
        return False
    live = [AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED]
    if ReviewAssignment.objects.filter(reviewer__user=user, status__in=live).exists():
        return True
    return CallRole.objects.filter(person__user=user, role__in=roles_seeing_ranking()).exists()


def owns_application(user: Any, application: Application) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person is not None and application.applicant_id == person.pk


def is_driven_elsewhere(application: Application) -> bool:
    """Another app's pages act on this application (a course registration): never the calls pages."""
    return application.call.kind in DRIVEN_ELSEWHERE


def can_edit_application(user: Any, application: Application) -> bool:
    """Only the applicant, only while it is a draft."""
    return (
        owns_application(user, application)
        and application.status == ApplicationStatus.DRAFT
        and not is_driven_elsewhere(application)
    )


def can_withdraw_application(user: Any, application: Application) -> bool:
    return (
        owns_application(user, application)
        and application.status in OPEN_STATES
        and not is_driven_elsewhere(application)
    )


def can_decline_offer(user: Any, application: Application) -> bool:
    return (
        owns_application(user, application)
        and application.status == ApplicationStatus.ACCEPTED
        and not is_driven_elsewhere(application)
    )


def can_decide_here(application: Application) -> bool:
    """Staff move and decide an application on the calls pages unless another app drives it."""
    return not is_driven_elsewhere(application)


def can_see_reviews(user: Any, application: Application) -> bool:
    """Staff only: an applicant never sees the reviews of their own application."""
    return is_call_staff(user) and not owns_application(user, application)


def can_review(user: Any, assignment: ReviewAssignment, conflicts: Any) -> bool:
    """The assigned reviewer, while the assignment is live and there is no conflict of interest."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    return (
        person is not None
        and assignment.reviewer_id == person.pk
        and assignment.status in {AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED}
        and assignment.application.status not in FINAL_STATES | {ApplicationStatus.DRAFT}
        and (assignment.application_id, person.pk) not in conflicted_pairs(conflicts)
    )


def reference_letter_refusal(reference: ReferenceRequest, *, now: dt.datetime) -> str | None:
    """Why a referee's private link cannot take a letter now, or None when it can.

    The link is single-use (``"received"`` once a letter is in), works only while the
    application still takes letters (``"closed"`` after it moved on) and until it expires
    (``"expired"``).
    """
    if reference.submitted_at is not None:
        return "received"
    if reference.application.status not in REFERENCE_LETTER_STATES:
        return "closed"
    if now >= reference.expires_at:
        return "expired"
    return None


#: Statuses staff move applications to by hand (decisions are separate: DECISIONS).
STAFF_MOVES: frozenset[str] = frozenset({ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SHORTLISTED})


def call_transitions(call: Any) -> dict[tuple[str, str], frozenset[tuple[str, str]]]:
    """The call's allowed-transitions table, derived from its stages (enums.transitions_for)."""
    return transitions_for([StageShape(stage.key, stage.kind, stage.by_invitation) for stage in call.stage_list])


def _next_statuses(application: Application, among: frozenset[str]) -> list[str]:
    """The statuses among ``among`` the call's table allows next, in the statuses' own order."""
    state = (application.current_stage.key, application.status)
    allowed = {status for _key, status in call_transitions(application.call).get(state, frozenset())} & among
    return [status for status in ApplicationStatus.values if status in allowed]


def can_invite_to_next_stage(user: Any, application: Application) -> bool:
    """Staff may advance this application into a later submission stage (by invitation)."""
    state = (application.current_stage.key, application.status)
    targets = call_transitions(application.call).get(state, frozenset())
    return (
        is_call_staff(user)
        and can_decide_here(application)
        and any(status == ApplicationStatus.DRAFT and key != state[0] for key, status in targets)
    )


def can_override_eligibility(user: Any, application: Application) -> bool:
    return (
        is_call_staff(user)
        and can_decide_here(application)
        and application.current_stage_id == getattr(application.call.entry_stage, "pk", None)
        and application.status in {ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE}
    )


def staff_moves_for(user: Any, application: Application) -> list[tuple[str, str]]:
    """The moves staff may make now, as (value, label): into the next stage (``stage:<key>``,
    labelled with the stage's name; a later submission stage is an invitation, offered apart) or
    to the shortlist (from the transitions table); none on the calls pages for an application
    another app drives."""
    if not (is_call_staff(user) and can_decide_here(application)):
        return []
    state = (application.current_stage.key, application.status)
    stages = {stage.key: stage for stage in application.call.stage_list}
    moves: list[tuple[str, str]] = []
    for key, status in sorted(call_transitions(application.call).get(state, frozenset())):
        if key != state[0] and status in STAFF_MOVES:
            moves.append((f"stage:{key}", str(stages[key].name)))
        elif key == state[0] and status == ApplicationStatus.SHORTLISTED:
            moves.append((status, str(ApplicationStatus(status).label)))
    return moves


def staff_decisions_for(user: Any, application: Application) -> list[str]:
    """The decisions staff may record now: "not selected" from any review stage, "accepted"
    only once shortlisted (the transitions table decides; the page offers nothing else); none for
    an application another app drives."""
    if not (is_call_staff(user) and can_decide_here(application)):
        return []
    return _next_statuses(application, DECISIONS)


# --- Committees ------------------------------------------------------------------------------------
# A committee seat is a chair's or member's role (any role that ``sees_ranking``) on one call, on
# one of its stages, or on its program cycle. ``selectors_committee`` reads the rows; these
# predicates decide from their role codes.


def sits_on_committee(role_codes: Any) -> bool:
    """Any of these roles sees the committee's ranking (chair, member, or a role an app registered)."""
    return any((role := role_definition(code)) is not None and role.sees_ranking for code in role_codes)


def chairs_committee(role_codes: Any) -> bool:
    """Any of these roles chairs: its holder records the panel's decisions."""
    return any((role := role_definition(code)) is not None and role.sees_ranking and role.chairs for code in role_codes)


def committee_reads_blind(user: Any, stages: Any) -> bool:
    """A committee person who is not staff reads blind when the committee's stage, or the review
    stage whose scores it ranks, is blind: neutral labels instead of the applicant's identity."""
    return not is_call_staff(user) and any(isinstance(stage, CallStage) and stage.blind for stage in stages)


def can_see_committee_row(user: Any, *, application_id: int, conflicted_ids: Any) -> bool:
    """Staff see every row; a committee person not the scores and notes of an application they
    have a conflict of interest with."""
    return is_call_staff(user) or application_id not in conflicted_ids


def can_record_panel_decision(user: Any, *, chairs: bool, application_id: int, conflicted_ids: Any) -> bool:
    """Staff and the chair record the panel's decision; never the chair on an application they
    have a conflict of interest with; members never."""
    if is_call_staff(user):
        return True
    return chairs and application_id not in conflicted_ids
