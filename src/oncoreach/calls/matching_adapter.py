"""The bridge between calls and the matching engine: reads the database, writes the result.

``build_problem`` reads one review stage of a call (its first unless named): the stage's
applications (in it, or ready to enter it; topics and text from their answers, the applicant's
specialty and languages), its panel (``stage_reviewers``: roles assessing that kind of stage;
specialty, expertise keywords, biography, languages), the conflict index of the stage
(``conflicts.conflict_index``), its ``reviews_per_application`` and the stage's assignments, and hands them as plain data to ``review_matching.build_review_problem``, which builds the
engine's problem with the engine's own candidate generation. The engine solves and explains
(``matching.explain``), ``apply_result`` writes in one transaction (``services_review``), and
``run_reviewer_assignment`` is the background runner (a request only queues it; see
``services_review.start_assignment_run``). ``run_decline_cascade`` proposes the next best reviewer
after a decline without moving anyone else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from matching import Result
from oncoreach.calls import review_matching as rm
from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.enums import READY_STATUS, AssignmentStatus
from oncoreach.calls.models import Application, Call, CallStage, ReviewAssignment
from oncoreach.calls.selectors import stage_panel
from oncoreach.calls.services import REVIEWABLE
from oncoreach.calls.services_review import propose_assignments, withdraw_proposals
from oncoreach.core.models import BackgroundRun
from oncoreach.core.runs import report_progress
from oncoreach.people.models import Person
from oncoreach.programs.models import Answer
from oncoreach.volunteers.fit_words import explanation_record, reason_record
from oncoreach.volunteers.models import VolunteerProfile

#: Answers (by the form engine's stable question key) that say what an application is about.
TOPIC_KEYS: tuple[str, ...] = ("topic", "topics", "keywords")
TEXT_KEYS: tuple[str, ...] = ("project_title", "title", "summary", "project_summary", "abstract")


@dataclass(frozen=True)
class RunOptions:
    """What staff chose for a run (stored in the background run's params)."""

    pins: tuple[tuple[int, int], ...] = ()
    exclusions: tuple[tuple[int, int], ...] = ()
    rerun: bool = False  # let the engine move unanswered proposals (kept with the keep bonus)
    keep_bonus: float = rm.KEEP_BONUS
    require_shared_language: bool = False
    fair: bool = True

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> RunOptions:
        def pairs(key: str) -> tuple[tuple[int, int], ...]:
            return tuple((int(a), int(r)) for a, r in params.get(key, []))

        return cls(
            pins=pairs("pins"),
            exclusions=pairs("exclusions"),
            rerun=bool(params.get("rerun", False)),
            keep_bonus=float(params.get("keep_bonus", rm.KEEP_BONUS)),
            require_shared_language=bool(params.get("require_shared_language", False)),
            fair=bool(params.get("fair", True)),
        )


def _words(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    if isinstance(value, str):
        return [value]
    return []


def review_stage(call: Call, stage: CallStage | None = None) -> CallStage | None:
    """The stage named, else the call's first assessment stage (None: the call has none)."""
    return stage or call.first_review_stage


def _stage_filter(call: Call, stage: CallStage) -> Q:
    """Applications reviewed in a stage: those in it, and those ready to enter it (eligible after
    the submission stage before it, or through the assessment stage before it)."""
    stages = call.stage_list
    position = next(i for i, item in enumerate(stages) if item.pk == stage.pk)
    wanted = Q(current_stage=stage)
    if position:
        before = stages[position - 1]
        wanted |= Q(current_stage=before, status=READY_STATUS[before.kind])
    return wanted


def stage_reviewers(*, call: Call, stage: CallStage) -> list[Person]:
    """The panel of a stage (``selectors.stage_panel``)."""
    return list(stage_panel(call=call, stage=stage))


def read_applications(*, call: Call, stage: CallStage) -> list[rm.ApplicationInput]:
    """A stage's reviewable applications as plain data: two queries however many there are. The
    words come from every submission the application made so far (a letter of intent and a full
    application both say what it is about)."""
    rows = list(
        Application.objects.filter(_stage_filter(call, stage), call=call, status__in=REVIEWABLE)
        .order_by("id")
        .values_list(
            "id",
            "applicant__specialty",
            "applicant__languages",
            "applicant__country_of_practice__iso2",
        )
    )
    topics: dict[int, list[str]] = defaultdict(list)
    texts: dict[int, list[str]] = defaultdict(list)
    for owner_id, key, value in Answer.objects.filter(
        response_set__application_submission__application_id__in=[row[0] for row in rows],
        question_key__in=TOPIC_KEYS + TEXT_KEYS,
    ).values_list("response_set__application_submission__application_id", "question_key", "value"):
        if key in TOPIC_KEYS:
            for word in _words(value):
                topics[owner_id].extend(t.strip() for t in word.split(",") if t.strip())
        texts[owner_id].extend(_words(value))
    return [
        rm.ApplicationInput(
            id=pk,
            topics=(*topics.get(pk, ()), *([specialty] if specialty else [])),
            text=" ".join(texts.get(pk, ())),
            languages=tuple(languages or ()),
            country=country,
        )
        for pk, specialty, languages, country in rows
    ]


def read_reviewers(*, call: Call, stage: CallStage) -> list[rm.ReviewerInput]:
    """A stage's panel as plain data (loads: an even share; see review_matching)."""
    rows = list(stage_panel(call=call, stage=stage).values_list("id", "specialty", "languages", "bio"))
    expertise = dict(
        VolunteerProfile.objects.filter(person_id__in=[r[0] for r in rows]).values_list("person_id", "expertise")
    )
    return [
        rm.ReviewerInput(
            id=pk,
            specialty=specialty or "",
            keywords=tuple(_words(expertise.get(pk))),
            text=" ".join([bio or "", *_words(expertise.get(pk))]).strip(),
            languages=tuple(languages or ()),
        )
        for pk, specialty, languages, bio in rows
    ]


def read_round(
    *, call: Call, stage: CallStage | None = None, options: RunOptions = RunOptions(), standing_as_keep: bool = False
) -> rm.ReviewRound:
    """Everything a run on one review stage needs from the database (the call's first review stage
    unless named; an empty round when the call has none). ``standing_as_keep``: every assignment
    that stands is a candidate kept as it is (for a cascade) rather than an existing one to add to."""
    stage = review_stage(call, stage)
    if stage is None:
        return rm.ReviewRound(applications=[], reviewers=[], reviews_per_application=0, seed=call.pk)
    applications = read_applications(call=call, stage=stage)
    reviewers = read_reviewers(call=call, stage=stage)
    index = conflict_index(call=call, stage=stage, reviewer_ids={r.id for r in reviewers})
    conflicts = {(c.application_id, c.reviewer_id, c.code) for c in index}
    live: list[tuple[int, int]] = []
    keep: list[tuple[int, int]] = []
    declined: list[tuple[int, int]] = []
    for application_id, reviewer_id, status in ReviewAssignment.objects.filter(
        application__call=call, stage=stage
    ).values_list("application_id", "reviewer_id", "status"):
        pair = (application_id, reviewer_id)
        if status == AssignmentStatus.DECLINED:
            declined.append(pair)
        elif standing_as_keep or (options.rerun and status == AssignmentStatus.PROPOSED):
            keep.append(pair)
        else:
            live.append(pair)
    return rm.ReviewRound(
        applications=applications,
        reviewers=reviewers,
        reviews_per_application=stage.reviews_per_application,
        conflicts=sorted(conflicts),
        live=live,
        declined=declined,
        pins=options.pins,
        exclusions=options.exclusions,
        keep=keep,
        keep_bonus=options.keep_bonus,
        require_shared_language=options.require_shared_language,
        fair=options.fair,
        seed=call.pk,
    )


def build_problem(
    *, call: Call, stage: CallStage | None = None, options: RunOptions = RunOptions()
) -> rm.ReviewProblem:
    """The reviewer-assignment problem for one review stage of a call, from the database."""
    return rm.build_review_problem(read_round(call=call, stage=stage, options=options))


def _labels(call: Call) -> dict[int, str]:
    return {
        pk: f"{given} {family}".strip() + f" (#{pk})"
        for pk, given, family in Application.objects.filter(call=call).values_list(
            "pk", "applicant__given_name", "applicant__family_name"
        )
    }


def _names(ids: Iterable[int]) -> dict[int, str]:
    return {p.pk: p.full_name for p in Person.objects.filter(pk__in=set(ids))}


@dataclass(frozen=True)
class EngineSummary:
    created: int
    unmatched: int
    result: Result
    outcome: dict[str, Any]


def apply_result(
    *,
    call: Call,
    problem: rm.ReviewProblem,
    result: Result,
    actor: Any,
    previous: Iterable[tuple[int, int]] | None = None,
    stage: CallStage | None = None,
) -> dict[str, Any]:
    """Write the engine's pairs (proposals taken back when a re-run moved them, new ones proposed)
    and return the run's outcome: each new pair explained by the engine, the applications still
    short with why, and what changed against the previous proposals."""
    pairs = rm.result_pairs(result)
    diff = rm.changes(previous or (), pairs)
    stage = review_stage(call, stage)
    withdraw_proposals(call=call, pairs=diff.removed, actor=actor, stage=stage)
    scores = {rm.pair_ids(p.left, p.right): p.score for p in result.pairs}
    new = [pair for pair in pairs if pair not in set(diff.kept)]
    written = propose_assignments(call=call, pairs=[(a, r, scores[(a, r)]) for a, r in new], actor=actor, stage=stage)
    explanations = rm.explain_pairs(problem, result)
    labels = _labels(call)
    names = _names({r for _a, r in pairs} | {r for _a, r in diff.removed})
    created = sorted((row.application_id, row.reviewer_id) for row in written.created)
    outcome: dict[str, Any] = {
        "pairs": [
            {"left": labels.get(a, f"#{a}"), "right": names.get(r, f"#{r}"), **explanation_record(explanations[(a, r)])}
            for a, r in created
        ],
        "unmatched": [
            {
                "item": labels.get(rm.pair_ids(item.left, "r0")[0], item.left),
                **reason_record(code=item.reason, params=item.params),
            }
            for item in result.unmatched
        ]
        + [
            {"item": labels.get(a, f"#{a}"), **reason_record(code="changed_meanwhile", params={})}
            for a, _r, _code in written.skipped
        ],
        "notes": [] if result.stats.optimal else [reason_record(code="time_limit", params={})],
    }
    if previous is not None:  # a re-run: what changed against the previous proposals
        outcome["changes"] = {
            "added": [[labels.get(a, f"#{a}"), names.get(r, f"#{r}")] for a, r in diff.added],
            "removed": [[labels.get(a, f"#{a}"), names.get(r, f"#{r}")] for a, r in diff.removed],
            "kept": len(diff.kept),
        }
    return outcome


def assign_reviewers(
    *,
    call: Call,
    actor: Any,
    run: BackgroundRun | None = None,
    options: RunOptions = RunOptions(),
    stage: CallStage | None = None,
) -> EngineSummary:
    """Propose reviewers for every application still short of reviews. The engine runs outside any
    transaction; writing its pairs is one."""
    if run is not None:
        report_progress(run=run, progress=10, message=_("Reading the applications and the reviewer panel…"))
    stage = review_stage(call, stage)
    rnd = read_round(call=call, stage=stage, options=options)
    problem = rm.build_review_problem(rnd)
    if run is not None:
        report_progress(
            run=run,
            progress=30,
            message=_("The engine is matching %(reviewers)s reviewers to %(applications)s applications…")
            % {"reviewers": problem.problem.n_right, "applications": problem.problem.n_left},
        )
    result = rm.solve_review(problem)
    if run is not None:
        report_progress(run=run, progress=80, message=_("Writing the assignments…"))
    outcome = apply_result(
        call=call,
        problem=problem,
        result=result,
        actor=actor,
        previous=list(rnd.keep) if options.rerun else None,
        stage=stage,
    )
    return EngineSummary(created=len(outcome["pairs"]), unmatched=len(result.unmatched), result=result, outcome=outcome)


def run_reviewer_assignment(*, run: BackgroundRun) -> dict[str, Any]:
    """The background runner for ``REVIEWER_ASSIGNMENT_RUN`` (registered in apps.py)."""
    call = Call.objects.get(pk=int(run.params["call_id"]))
    return assign_reviewers(
        call=call,
        actor=run.started_by,
        run=run,
        options=RunOptions.from_params(run.params),
        stage=_run_stage(call, run),
    ).outcome


def _run_stage(call: Call, run: BackgroundRun) -> CallStage | None:
    stage_id = run.params.get("stage_id")
    return CallStage.objects.filter(pk=int(stage_id), call=call).first() if stage_id else None


def propose_after_decline(
    *, call: Call, declined: Iterable[tuple[int, int]], actor: Any, stage: CallStage | None = None
) -> dict[str, Any]:
    """The next best reviewer for each application that lost one to the given declines, without
    moving any accepted or pending assignment (the engine's cascade, ``scope="left_alone"``)."""
    stage = review_stage(call, stage)
    rnd = read_round(call=call, stage=stage, standing_as_keep=True)
    problem = rm.build_review_problem(rnd)
    standing = list(rnd.keep)
    statuses = {
        (a, r): s
        for a, r, s in ReviewAssignment.objects.filter(application__call=call, stage=stage).values_list(
            "application_id", "reviewer_id", "status"
        )
    }
    accepted = [p for p in standing if statuses.get(p) != AssignmentStatus.PROPOSED]
    pending = [p for p in standing if statuses.get(p) == AssignmentStatus.PROPOSED]
    outcome = rm.next_best(problem, accepted=accepted, pending=pending, declined=declined)
    if outcome is None:
        return {"pairs": [], "unmatched": [], "notes": [reason_record(code="no_candidates", params={})]}
    scores = {rm.pair_ids(p.left, p.right): p.score for p in outcome.proposed}
    written = propose_assignments(
        call=call, pairs=[(a, r, s) for (a, r), s in sorted(scores.items())], actor=actor, stage=stage
    )
    explained = rm.explain_cascade(problem, outcome)
    labels = _labels(call)
    names = _names(r for _a, r in scores)
    return {
        "pairs": [
            {
                "left": labels.get(row.application_id, ""),
                "right": names.get(row.reviewer_id, ""),
                **explanation_record(explained[(row.application_id, row.reviewer_id)]),
            }
            for row in written.created
        ],
        "unmatched": [
            {
                "item": labels.get(rm.pair_ids(item.left, "r0")[0], item.left),
                **reason_record(code=item.reason, params=item.params),
            }
            for item in outcome.result.unmatched
        ],
        "notes": [],
    }


def run_decline_cascade(*, run: BackgroundRun) -> dict[str, Any]:
    """The background runner for ``DECLINE_CASCADE_RUN`` (registered in apps.py)."""
    call = Call.objects.get(pk=int(run.params["call_id"]))
    declined = [(int(a), int(r)) for a, r in run.params["declined"]]
    report_progress(run=run, progress=20, message=_("Looking for the next best reviewer…"))
    # the engine proposes on the program's behalf, not the declining reviewer's
    return propose_after_decline(call=call, declined=declined, actor=None, stage=_run_stage(call, run))
