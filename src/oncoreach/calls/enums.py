"""Choices and the allowed-transitions tables of calls (ARCHITECTURE.md §3). Imports no model."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallKind(models.TextChoices):
    """What a call is for. The kind chooses wording (pages, e-mails), and whether the calls pages
    act on its applications (see DRIVEN_ELSEWHERE), never another code path."""

    HOST = "host", _("Host application")
    PARTICIPANT = "participant", _("Participant intake")
    AWARD = "award", _("Award application")
    MENTEE = "mentee", _("Mentee application")


#: Kinds whose applications belong to a record another app keeps (a course's intake call: each
#: application is one participant's Registration; a mentee call: each application is one mentee's
#: MenteeRequest in mentoring). That app's pages and services are the way in, so the record and its
#: application change together through explicit service calls; the calls pages show these
#: applications but neither list the call publicly, edit, submit, withdraw, decline nor decide them,
#: and staff set such a call up from that app (``create_call(..., driven_by=...)``).
DRIVEN_ELSEWHERE: frozenset[str] = frozenset({CallKind.PARTICIPANT, CallKind.MENTEE})


class CountryBasis(models.TextChoices):
    """Which of the applicant's countries eligibility looks at."""

    PRACTICE = "practice", _("Country of practice")
    RESIDENCE = "residence", _("Country of residence")


class ApplicationStatus(models.TextChoices):
    """Where an application is within its current stage (``Application.current_stage`` says which
    stage). ``letter_of_intent`` and ``interview`` were statuses before stages were data; they are
    kept only so that old audit rows and the reverse migration can name them."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    UNDER_REVIEW = "under_review", _("Under review")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    INTERVIEW = "interview", _("Interview")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    WAITLISTED = "waitlisted", _("Wait-listed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not selected")
    DECLINED = "declined", _("Offer declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus

#: Statuses an application no longer takes since stages are data (see ApplicationStatus).
RETIRED_STATUSES: frozenset[str] = frozenset({S.LETTER_OF_INTENT, S.INTERVIEW})

#: States from which an applicant may still withdraw.
OPEN_STATES: frozenset[str] = frozenset({S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.UNDER_REVIEW, S.SHORTLISTED, S.WAITLISTED})

#: Statuses that end an application (a decision was made or the applicant left). An application
#: judged ineligible only for missing data may still be checked again (see eligibility.py).
FINAL_STATES: frozenset[str] = frozenset({S.INELIGIBLE, S.REJECTED, S.DECLINED, S.WITHDRAWN})

#: The society's decisions on an application ("declined" is the applicant's, never the society's).
DECISIONS: frozenset[str] = frozenset({S.ACCEPTED, S.REJECTED, S.WAITLISTED})


class StageKind(models.TextChoices):
    """What a stage of a call does. The kind chooses behaviour (who acts, which status an
    application has there); the stage's name is the society's own."""

    SUBMISSION = "submission", _("Submission")
    REVIEW = "review", _("Review")
    COMMITTEE = "committee", _("Committee")
    INTERVIEW = "interview", _("Interview")
    DECISION = "decision", _("Decision")


#: Stages where people assess applications (reviewers, committee members, interviewers): an
#: application there is "under review", and such a stage may have a rubric and assignments.
ASSESSMENT_KINDS: frozenset[str] = frozenset({StageKind.REVIEW, StageKind.COMMITTEE, StageKind.INTERVIEW})

#: The status an application takes on entering a stage of each kind.
ENTRY_STATUS: Mapping[str, str] = {
    StageKind.SUBMISSION: S.DRAFT,
    StageKind.REVIEW: S.UNDER_REVIEW,
    StageKind.COMMITTEE: S.UNDER_REVIEW,
    StageKind.INTERVIEW: S.UNDER_REVIEW,
    StageKind.DECISION: S.SHORTLISTED,
}
#: The status from which an application may move on from a stage of each kind.
READY_STATUS: Mapping[str, str] = {
    StageKind.SUBMISSION: S.ELIGIBLE,
    StageKind.REVIEW: S.UNDER_REVIEW,
    StageKind.COMMITTEE: S.UNDER_REVIEW,
    StageKind.INTERVIEW: S.UNDER_REVIEW,
    StageKind.DECISION: S.SHORTLISTED,
}


#: The stages the simple call set-up may add after review (key, kind, name), in running order;
#: richer shapes (a letter of intent before a full application) are set up stage by stage.
SIMPLE_EXTRA_STAGES: tuple[tuple[str, str, Any], ...] = (
    ("letter_of_intent", StageKind.REVIEW, _("Letter of intent")),
    ("committee", StageKind.COMMITTEE, _("Committee")),
    ("interview", StageKind.INTERVIEW, _("Interview")),
)


@dataclass(frozen=True)
class StageShape:
    """What the transitions table needs to know of a stage (CallStage has all of it)."""

    key: str
    kind: str
    by_invitation: bool = False


#: A state of an application: (its stage's key, its status).
State = tuple[str, str]


class InvalidStageConfiguration(ValueError):  # noqa: N818 — names the problem, as staff read it
    """A call's stages cannot make a lifecycle (no first submission stage, a decision stage that is
    not last, a key used twice, an unknown kind)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def validate_stages(stages: Sequence[StageShape]) -> tuple[StageShape, ...]:
    """Check that stages make a lifecycle: at least one; the first takes new applications (a
    submission stage, not by invitation); a later submission stage is by invitation; at most one
    decision stage, and last; keys and kinds valid and not repeated. Raises
    InvalidStageConfiguration with a code (the set-up service words it for staff)."""
    stages = tuple(stages)
    if not stages:
        raise InvalidStageConfiguration("A call needs at least one stage.", "no_stages")
    keys = [stage.key for stage in stages]
    if len(set(keys)) != len(keys):
        raise InvalidStageConfiguration("A stage key is used twice.", "duplicate_key")
    for position, stage in enumerate(stages):
        if stage.kind not in StageKind.values:
            raise InvalidStageConfiguration(f"Unknown stage kind {stage.kind!r}.", "unknown_kind")
        if stage.kind == StageKind.DECISION and position != len(stages) - 1:
            raise InvalidStageConfiguration("The decision stage must be the last.", "decision_not_last")
        if stage.kind == StageKind.SUBMISSION and position > 0 and not stage.by_invitation:
            raise InvalidStageConfiguration("A later submission stage is by invitation.", "later_not_invited")
        if stage.kind != StageKind.SUBMISSION and stage.by_invitation:
            raise InvalidStageConfiguration("Only a submission stage is by invitation.", "invitation_not_submission")
    first = stages[0]
    if first.kind != StageKind.SUBMISSION or first.by_invitation:
        raise InvalidStageConfiguration("The first stage takes new applications.", "first_not_open")
    return stages


def _decisions(table: dict[State, set[State]], key: str) -> None:
    table[(key, S.SHORTLISTED)] |= {(key, S.ACCEPTED), (key, S.REJECTED), (key, S.WAITLISTED), (key, S.WITHDRAWN)}
    table[(key, S.WAITLISTED)] |= {(key, S.ACCEPTED), (key, S.REJECTED), (key, S.WITHDRAWN)}
    table[(key, S.ACCEPTED)] |= {(key, S.DECLINED)}


def transitions_for(stages: Sequence[StageShape]) -> dict[State, frozenset[State]]:
    """The allowed-transitions table of a call, derived from its stages (ARCHITECTURE.md §3).

    Each state is (stage key, status). In the first (submission) stage: draft → submitted →
    eligible | ineligible; staff may override the verdict either way, and an application judged
    ineligible may be submitted again to re-check it. A later submission stage (by invitation):
    draft → submitted → eligible (the eligibility already judged stands). An assessment stage
    (review, committee, interview): under review. The decision stage: shortlisted → accepted |
    rejected | wait-listed; wait-listed → accepted | rejected; an accepted applicant may decline.
    From each stage's ready status (eligible, under review) the application moves on to the next
    stage's entry status (draft, under review, shortlisted). A call without a decision stage
    decides in its last stage: its ready status → shortlisted → the decisions. "Rejected" (the
    society's decision) ends any assessment stage or an invitation not taken up (never an eligible application before anyone assessed it); "withdrawn" (the
    applicant) leaves any open state.
    """
    stages = validate_stages(stages)
    table: dict[State, set[State]] = defaultdict(set)
    for position, stage in enumerate(stages):
        key = stage.key
        if stage.kind == StageKind.SUBMISSION:
            table[(key, S.DRAFT)] |= {(key, S.SUBMITTED), (key, S.WITHDRAWN)}
            if position == 0:
                table[(key, S.SUBMITTED)] |= {(key, S.ELIGIBLE), (key, S.INELIGIBLE), (key, S.WITHDRAWN)}
                table[(key, S.ELIGIBLE)] |= {(key, S.INELIGIBLE)}
                table[(key, S.INELIGIBLE)] |= {(key, S.ELIGIBLE), (key, S.SUBMITTED)}
            else:
                table[(key, S.DRAFT)] |= {(key, S.REJECTED)}
                table[(key, S.SUBMITTED)] |= {(key, S.ELIGIBLE), (key, S.WITHDRAWN)}
            table[(key, S.ELIGIBLE)] |= {(key, S.WITHDRAWN)}
        elif stage.kind in ASSESSMENT_KINDS:
            table[(key, S.UNDER_REVIEW)] |= {(key, S.REJECTED), (key, S.WITHDRAWN)}
        else:
            _decisions(table, key)
        ready = (key, READY_STATUS[stage.kind])
        if position + 1 < len(stages):
            following = stages[position + 1]
            table[ready].add((following.key, ENTRY_STATUS[following.kind]))
        elif stage.kind != StageKind.DECISION:
            table[ready].add((key, S.SHORTLISTED))
            _decisions(table, key)
    return {state: frozenset(targets) for state, targets in table.items()}


def route(
    table: Mapping[State, frozenset[State]], start: State, status: str, *, through: Iterable[str] = ()
) -> list[State]:
    """The shortest list of steps from ``start`` to a state with ``status``, passing only through
    states whose status is in ``through`` (the path taken when one click decides, e.g. a course's
    staff accepting a participant). Empty when there is none. Breadth first, in a fixed order."""
    allowed = set(through) | {status}
    queue: deque[list[State]] = deque([[start]])
    seen = {start}
    while queue:
        path = queue.popleft()
        if path[-1][1] == status and len(path) > 1:
            return path[1:]
        for following in sorted(table.get(path[-1], frozenset())):
            if following[1] in allowed and following not in seen:
                seen.add(following)
                queue.append([*path, following])
    return []


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SUBMITTED = "submitted", _("Review submitted")


ASSIGNMENT_TRANSITIONS: Mapping[str, frozenset[str]] = {
    AssignmentStatus.PROPOSED: frozenset({AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED}),
    AssignmentStatus.ACCEPTED: frozenset({AssignmentStatus.SUBMITTED, AssignmentStatus.DECLINED}),
    AssignmentStatus.DECLINED: frozenset(),
    AssignmentStatus.SUBMITTED: frozenset(),
}


#: How long a referee's private link stays valid after the call closes.
REFERENCE_GRACE_DAYS = 14
#: Statuses in which an application still takes a referee's letter (it is prepared or judged);
#: once it moves on (a later stage or a decision) the referee's link no longer works.
REFERENCE_LETTER_STATES: frozenset[str] = frozenset({S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.UNDER_REVIEW})
MAX_REFERENCE_LETTER_BYTES = 10 * 1024 * 1024

#: The background run kind of an engine reviewer assignment (core.runs; runner in matching_adapter).
REVIEWER_ASSIGNMENT_RUN = "calls.reviewer_assignment"
#: The background run that builds a reviewer's PDF packet (calls.packets).
REVIEW_PACKET_RUN = "calls.review_packet"


class PanelRole(models.TextChoices):
    """The roles calls knows on a call's (or a program cycle's) panel. Apps add their own through
    ``calls.roles.register_role``; the column stores the code, so it takes any registered one."""

    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Committee member")
    STAFF_REVIEWER = "staff_reviewer", _("Staff reviewer")
    EXTERNAL_REVIEWER = "external_reviewer", _("External reviewer")
    INTERVIEWER = "interviewer", _("Interviewer")


class PanelOutcome(models.TextChoices):
    """What the chair records for an application after the panel discussed it (advice to the
    decision; the application's own status changes only in ``transition_application``)."""

    FUND = "fund", _("Fund")
    WAIT_LIST = "wait_list", _("Wait list")
    DO_NOT_FUND = "do_not_fund", _("Do not fund")
    DISCUSS_AGAIN = "discuss", _("Discuss again")
