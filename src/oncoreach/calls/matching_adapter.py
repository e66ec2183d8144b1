"""The bridge between calls and the matching engine (the only module here that imports it).

Applications demand the reviews they still lack; the call's reviewer panel offers capacity;
conflicts of interest from ``conflicts_for_call`` become the engine's forbidden pairs. Like the
workshops adapter: ``build_problem`` reads, the engine solves and explains
(``matching.explain``), ``apply_result`` writes in one transaction, and ``run_reviewer_assignment``
is the background runner (a request only queues it; see ``services.start_reviewer_assignment``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matching import Candidate, Forbidden, LeftItem, PairExplanation, Problem, Result, RightItem, explain, solve
from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.enums import READY_STATUS, AssignmentStatus
from oncoreach.calls.models import Application, Call, CallStage, ReviewAssignment
from oncoreach.calls.roles import roles_assessing
from oncoreach.calls.selectors import panel_people
from oncoreach.calls.services import REVIEWABLE, assign_reviewer
from oncoreach.core.models import BackgroundRun
from oncoreach.core.runs import report_progress
from oncoreach.people.models import Person
from oncoreach.volunteers.fit_words import explanation_record, reason_record

#: A reviewer takes at most this many more applications than an even share.
CAPACITY_SLACK = 1


def _stage(call: Call, stage: CallStage | None) -> CallStage | None:
    return stage or call.first_review_stage


def stage_applications(*, call: Call, stage: CallStage) -> list[Application]:
    """The applications reviewed in a stage: those in it, and those ready to enter it (eligible
    after the submission stage before it, or through the assessment stage before it)."""
    stages = call.stage_list
    position = next(i for i, item in enumerate(stages) if item.pk == stage.pk)
    before = stages[position - 1] if position else None
    found = Application.objects.filter(call=call, status__in=REVIEWABLE).select_related("applicant").order_by("id")
    return [
        application
        for application in found
        if application.current_stage_id == stage.pk
        or (
            before is not None
            and application.current_stage_id == before.pk
            and application.status == READY_STATUS[before.kind]
        )
    ]


def stage_reviewers(*, call: Call, stage: CallStage) -> list[Person]:
    """The panel of a stage: people whose role on the call (or its cycle) assesses this kind of
    stage, call-wide or on this stage."""
    people = panel_people(call=call, stage=stage).filter(call_roles__role__in=roles_assessing(stage.kind))
    return list(people.distinct().order_by("id"))


def _live_assignments(call: Call, stage: CallStage) -> list[tuple[int, int]]:
    return list(
        ReviewAssignment.objects.filter(application__call=call, stage=stage)
        .exclude(status=AssignmentStatus.DECLINED)
        .values_list("application_id", "reviewer_id")
    )


def build_problem(*, call: Call, stage: CallStage | None = None) -> Problem:
    """The reviewer-assignment problem for one review stage of a call (its first unless named),
    from the database."""
    stage = _stage(call, stage)
    if stage is None:
        return Problem(lefts=(), rights=(), candidates=(), forbidden=(), weights={"specialty": 1.0}, seed=call.pk)
    applications = stage_applications(call=call, stage=stage)
    reviewers = stage_reviewers(call=call, stage=stage)
    live = _live_assignments(call, stage)
    declined = set(
        ReviewAssignment.objects.filter(
            application__call=call, stage=stage, status=AssignmentStatus.DECLINED
        ).values_list("application_id", "reviewer_id")
    )
    taken = set(live) | declined
    have: dict[int, int] = {}
    load: dict[int, int] = {}
    for application_id, reviewer_id in live:
        have[application_id] = have.get(application_id, 0) + 1
        load[reviewer_id] = load.get(reviewer_id, 0) + 1
    k = stage.reviews_per_application
    demand = {a.pk: max(k - have.get(a.pk, 0), 0) for a in applications}
    total = sum(demand.values())
    share = math.ceil(total / len(reviewers)) + CAPACITY_SLACK if reviewers else 0
    conflicts = conflict_index(call=call, stage=stage, reviewer_ids={r.pk for r in reviewers})
    forbidden = tuple(
        Forbidden(left=f"a{application_id}", right=f"r{reviewer_id}", reason=reason)
        for application_id, reviewer_id, reason in sorted((c.application_id, c.reviewer_id, c.code) for c in conflicts)
        if application_id in demand
    )
    candidates = tuple(
        Candidate(
            left=f"a{application.pk}",
            right=f"r{reviewer.pk}",
            components={"specialty": _specialty_fit(application.applicant, reviewer)},
            evidence={"specialty": application.applicant.specialty or ""},
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
        weights={"specialty": 1.0},
        seed=call.pk,
    )


def _specialty_fit(applicant: Person, reviewer: Person) -> float:
    """The one component: same specialty scores best; any reviewer is still better than none."""
    if applicant.specialty and applicant.specialty == reviewer.specialty:
        return 1.0
    return 0.5


@dataclass(frozen=True)
class AssignmentOutcome:
    created: list[ReviewAssignment]
    explanations: list[PairExplanation]
    skipped: list[tuple[Application, str]]


@transaction.atomic
def apply_result(
    *, call: Call, problem: Problem, result: Result, actor: Any, stage: CallStage | None = None
) -> AssignmentOutcome:
    """Write the engine's pairs as proposed assignments (through the one service), in one
    transaction, each explained by the engine. An application that changed while the engine ran
    (withdrawn, decided, assigned by hand) is left as it is and reported."""
    applications = {f"a{a.pk}": a for a in Application.objects.filter(call=call).select_related("call", "applicant")}
    stage = _stage(call, stage)
    reviewers = {f"r{p.pk}": p for p in (stage_reviewers(call=call, stage=stage) if stage is not None else [])}
    explanations = {(e.left, e.right): e for e in explain(problem, result, sorted({p.left for p in result.pairs}))}
    created: list[ReviewAssignment] = []
    used: list[PairExplanation] = []
    skipped: list[tuple[Application, str]] = []
    for pair in result.pairs:
        application, reviewer = applications.get(pair.left), reviewers.get(pair.right)
        if application is None or reviewer is None:
            continue
        application.refresh_from_db(fields=["status", "current_stage"])
        try:
            with transaction.atomic():
                assignment = assign_reviewer(
                    application=application,
                    reviewer=reviewer,
                    actor=actor,
                    by_engine=True,
                    score=pair.score,
                    stage=stage,
                )
        except ValidationError:
            skipped.append((application, "changed_meanwhile"))
            continue
        created.append(assignment)
        used.append(explanations[(pair.left, pair.right)])
    return AssignmentOutcome(created=created, explanations=used, skipped=skipped)


@dataclass(frozen=True)
class EngineSummary:
    created: int
    unmatched: int
    result: Result
    outcome: dict[str, Any]


def _application_label(application: Application) -> str:
    return f"{application.applicant.full_name} (#{application.pk})"


def assign_reviewers(
    *, call: Call, actor: Any, run: BackgroundRun | None = None, stage: CallStage | None = None
) -> EngineSummary:
    """Propose reviewers for every application still short of reviews, optimally and fairly.
    The engine runs outside any transaction; writing its pairs is one."""
    if run is not None:
        report_progress(run=run, progress=10, message=_("Reading the applications and the reviewer panel…"))
    problem = build_problem(call=call, stage=stage)
    if run is not None:
        report_progress(
            run=run,
            progress=30,
            message=_("The engine is matching %(reviewers)s reviewers to %(applications)s applications…")
            % {"reviewers": len(problem.rights), "applications": len(problem.lefts)},
        )
    result = solve(problem, objective="fair")
    if run is not None:
        report_progress(run=run, progress=80, message=_("Writing the assignments…"))
    written = apply_result(call=call, problem=problem, result=result, actor=actor, stage=stage)
    applications = {f"a{a.pk}": a for a in Application.objects.filter(call=call).select_related("applicant")}
    outcome = {
        "pairs": [
            {
                "left": _application_label(assignment.application),
                "right": assignment.reviewer.full_name,
                **explanation_record(explanation),
            }
            for assignment, explanation in zip(written.created, written.explanations, strict=True)
        ],
        "unmatched": [
            {
                "item": _application_label(applications[item.left]) if item.left in applications else item.left,
                **reason_record(code=item.reason, params=item.params),
            }
            for item in result.unmatched
        ]
        + [
            {"item": _application_label(application), **reason_record(code=code, params={})}
            for application, code in written.skipped
        ],
        "notes": [] if result.stats.optimal else [reason_record(code="time_limit", params={})],
    }
    return EngineSummary(created=len(written.created), unmatched=len(result.unmatched), result=result, outcome=outcome)


def run_reviewer_assignment(*, run: BackgroundRun) -> dict[str, Any]:
    """The background runner for ``REVIEWER_ASSIGNMENT_RUN`` (registered in apps.py)."""
    call = Call.objects.get(pk=int(run.params["call_id"]))
    stage_id = run.params.get("stage_id")
    stage = CallStage.objects.filter(pk=int(stage_id), call=call).first() if stage_id else None
    return assign_reviewers(call=call, actor=run.started_by, run=run, stage=stage).outcome
