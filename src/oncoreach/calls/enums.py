"""Choices and the allowed-transitions tables of calls (ARCHITECTURE.md §3). Imports nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

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
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    UNDER_REVIEW = "under_review", _("Under review")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    INTERVIEW = "interview", _("Interview")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not selected")
    DECLINED = "declined", _("Offer declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus

#: Stages a call may add between "under review" and "shortlisted", in the order they run.
EXTRA_STAGES: tuple[str, ...] = (S.LETTER_OF_INTENT, S.INTERVIEW)

#: States from which an applicant may still withdraw.
OPEN_STATES: frozenset[str] = frozenset(
    {S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.UNDER_REVIEW, S.LETTER_OF_INTENT, S.INTERVIEW, S.SHORTLISTED}
)

#: The base table (a call without extra stages). "Rejected" is the society's decision and may
#: end any review stage; "declined" is the applicant turning an accepted offer down.
ALLOWED_TRANSITIONS: Mapping[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN}),
    S.ELIGIBLE: frozenset({S.UNDER_REVIEW, S.WITHDRAWN}),
    S.INELIGIBLE: frozenset(),
    S.UNDER_REVIEW: frozenset({S.SHORTLISTED, S.REJECTED, S.WITHDRAWN}),
    S.LETTER_OF_INTENT: frozenset(),
    S.INTERVIEW: frozenset(),
    S.SHORTLISTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.DECLINED}),
    S.REJECTED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

#: Statuses that end an application (a decision was made or the applicant left).
FINAL_STATES: frozenset[str] = frozenset({S.INELIGIBLE, S.REJECTED, S.DECLINED, S.WITHDRAWN})

#: Statuses staff move applications to by hand (decisions are separate: DECISIONS).
STAFF_MOVES: frozenset[str] = frozenset({S.UNDER_REVIEW, *EXTRA_STAGES, S.SHORTLISTED})
#: The society's decisions on an application.
DECISIONS: frozenset[str] = frozenset({S.ACCEPTED, S.REJECTED})


class InvalidStageConfiguration(ValueError):  # noqa: N818 — names the problem, as staff read it
    """A call's ``extra_stages`` names an unknown stage, repeats one, or is out of order."""


def validate_extra_stages(stages: Iterable[str]) -> tuple[str, ...]:
    """Check a call's extra stages against the table: known, not repeated, in running order."""
    stages = tuple(stages)
    unknown = [stage for stage in stages if stage not in EXTRA_STAGES]
    if unknown:
        raise InvalidStageConfiguration(f"Unknown stages: {', '.join(map(str, unknown))}")
    if len(set(stages)) != len(stages):
        raise InvalidStageConfiguration("A stage is listed twice.")
    if list(stages) != sorted(stages, key=EXTRA_STAGES.index):
        raise InvalidStageConfiguration("Stages must be in this order: " + ", ".join(EXTRA_STAGES))
    return stages


def transitions_for(extra_stages: Iterable[str] = ()) -> dict[str, frozenset[str]]:
    """The table for a call: the base table with its extra stages chained in after review.

    With stages [letter_of_intent, interview]: under_review → letter_of_intent → interview →
    shortlisted; each stage may also end in rejected or withdrawn.
    """
    stages = validate_extra_stages(extra_stages)
    table = {state: set(targets) for state, targets in ALLOWED_TRANSITIONS.items()}
    if stages:
        chain = [S.UNDER_REVIEW.value, *stages, S.SHORTLISTED.value]
        table[S.UNDER_REVIEW].discard(S.SHORTLISTED)
        for before, after in pairwise(chain):
            table[before].add(after)
        for stage in stages:
            table[stage] |= {S.REJECTED, S.WITHDRAWN}
    return {state: frozenset(targets) for state, targets in table.items()}


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


class ConflictReason(models.TextChoices):
    """Why a reviewer may not review an application (codes match the matching engine's)."""

    SELF = "self", _("The reviewer is the applicant")
    SAME_INSTITUTION = "same_institution", _("Same organization as the applicant")
    SAME_COUNTRY = "same_country", _("Same country of practice as the applicant")
    DECLARED = "declared", _("Conflict declared")


#: How long a referee's private link stays valid after the call closes.
REFERENCE_GRACE_DAYS = 14
#: Statuses in which an application still takes a referee's letter (it is prepared or judged);
#: once it moves on (a later stage or a decision) the referee's link no longer works.
REFERENCE_LETTER_STATES: frozenset[str] = frozenset({S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.UNDER_REVIEW})
MAX_REFERENCE_LETTER_BYTES = 10 * 1024 * 1024

#: The background run kind of an engine reviewer assignment (core.runs; runner in matching_adapter).
REVIEWER_ASSIGNMENT_RUN = "calls.reviewer_assignment"


class PanelOutcome(models.TextChoices):
    """What the chair records for an application after the panel discussed it (advice to the
    decision; the application's own status changes only in ``transition_application``)."""

    FUND = "fund", _("Fund")
    WAIT_LIST = "wait_list", _("Wait list")
    DO_NOT_FUND = "do_not_fund", _("Do not fund")
    DISCUSS_AGAIN = "discuss", _("Discuss again")
