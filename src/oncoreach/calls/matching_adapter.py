"""The bridge between calls and the matching engine (the only module here that imports it).

Applications demand the reviews they still lack; the call's reviewer panel offers capacity;
conflicts of interest from ``conflicts_for_call`` become the engine's forbidden pairs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from matching import Candidate, Forbidden, LeftItem, Problem, Result, RightItem, solve
from oncoreach.calls.conflicts import conflicts_for_call
from oncoreach.calls.enums import AssignmentStatus
from oncoreach.calls.models import Application, Call, ReviewAssignment
from oncoreach.calls.services import REVIEWABLE, assign_reviewer
from oncoreach.people.models import Person

#: A reviewer takes at most this many more applications than an even share.
CAPACITY_SLACK = 1


@dataclass(frozen=True)
class EngineSummary:
    created: int
    unmatched: int
    result: Result


def _live_assignments(call: Call) -> list[tuple[int, int]]:
    return list(
        ReviewAssignment.objects.filter(application__call=call)
        .exclude(status=AssignmentStatus.DECLINED)
        .values_list("application_id", "reviewer_id")
    )


def build_problem(*, call: Call) -> Problem:
    """The reviewer-assignment problem for a call, from the database."""
    applications = list(
        Application.objects.filter(call=call, status__in=REVIEWABLE).select_related("applicant").order_by("id")
    )
    reviewers = list(call.reviewers.order_by("id"))
    live = _live_assignments(call)
    declined = set(
        ReviewAssignment.objects.filter(application__call=call, status=AssignmentStatus.DECLINED).values_list(
            "application_id", "reviewer_id"
        )
    )
    taken = set(live) | declined
    have: dict[int, int] = {}
    load: dict[int, int] = {}
    for application_id, reviewer_id in live:
        have[application_id] = have.get(application_id, 0) + 1
        load[reviewer_id] = load.get(reviewer_id, 0) + 1
    k = call.reviews_per_application
    demand = {a.pk: max(k - have.get(a.pk, 0), 0) for a in applications}
    total = sum(demand.values())
    share = math.ceil(total / len(reviewers)) + CAPACITY_SLACK if reviewers else 0
    conflicts = conflicts_for_call(call=call, reviewer_ids={r.pk for r in reviewers})
    forbidden = tuple(
        Forbidden(left=f"a{application_id}", right=f"r{reviewer_id}", reason=reason)
        for application_id, reviewer_id, reason in sorted(conflicts)
        if application_id in demand
    )
    candidates = tuple(
        Candidate(
            left=f"a{application.pk}",
            right=f"r{reviewer.pk}",
            components={"interest": _interest(application.applicant, reviewer)},
        )
        for application in applications
        if demand[application.pk]
        for reviewer in reviewers
        if (application.pk, reviewer.pk) not in taken
    )
    return Problem(
        lefts=tuple(LeftItem(id=f"a{a.pk}", demand=demand[a.pk]) for a in applications if demand[a.pk]),
        rights=tuple(RightItem(id=f"r{r.pk}", capacity=max(share - load.get(r.pk, 0), 0)) for r in reviewers),
        candidates=candidates,
        forbidden=forbidden,
        weights={"interest": 1.0},
        seed=call.pk,
    )


def _interest(applicant: Person, reviewer: Person) -> float:
    """Same specialty scores best; any reviewer is still better than none."""
    if applicant.specialty and applicant.specialty == reviewer.specialty:
        return 1.0
    return 0.5


@transaction.atomic
def apply_result(*, call: Call, result: Result, actor: Any) -> int:
    """Write the engine's pairs as proposed assignments (through the one service); returns how many."""
    applications = {f"a{a.pk}": a for a in Application.objects.filter(call=call).select_related("call", "applicant")}
    reviewers = {f"r{p.pk}": p for p in call.reviewers.all()}
    created = 0
    for pair in result.pairs:
        application, reviewer = applications.get(pair.left), reviewers.get(pair.right)
        if application is None or reviewer is None:
            continue
        application.refresh_from_db(fields=["status"])
        assign_reviewer(application=application, reviewer=reviewer, actor=actor, by_engine=True, score=pair.score)
        created += 1
    return created


def assign_reviewers_with_engine(*, call: Call, actor: Any) -> EngineSummary:
    """Propose reviewers for every application still short of reviews, optimally and fairly."""
    problem = build_problem(call=call)
    result = solve(problem, objective="fair")
    created = apply_result(call=call, result=result, actor=actor)
    return EngineSummary(created=created, unmatched=len(result.unmatched), result=result)
