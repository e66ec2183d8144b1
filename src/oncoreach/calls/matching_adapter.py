"""The bridge between calls and the matching engine: reads the database, writes the result.

``build_problem`` reads the call's applications (topics and text from their answers, the
applicant's specialty and languages), its reviewer panel (specialty, expertise keywords,
biography, languages), the conflicts of interest (``conflicts_for_call``) and the assignments that
exist, and hands them as plain data to ``review_matching.build_review_problem``, which builds the
engine's problem with the engine's own candidate generation. The engine solves and explains
(``matching.explain``), ``apply_result`` writes in one transaction (``services_review``), and
``run_reviewer_assignment`` is the background runner (a request only queues it; see
``services.start_reviewer_assignment``). ``run_decline_cascade`` proposes the next best reviewer
after a decline without moving anyone else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from matching import Result
from oncoreach.calls import review_matching as rm
from oncoreach.calls.conflicts import conflicts_for_call
from oncoreach.calls.enums import AssignmentStatus
from oncoreach.calls.models import Application, Call, ReviewAssignment
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


def read_applications(*, call: Call) -> list[rm.ApplicationInput]:
    """Reviewable applications as plain data: two queries however many there are."""
    rows = list(
        Application.objects.filter(call=call, status__in=REVIEWABLE)
        .order_by("id")
        .values_list(
            "id",
            "response_set_id",
            "applicant__specialty",
            "applicant__languages",
            "applicant__country_of_practice__iso2",
        )
    )
    topics: dict[int, list[str]] = defaultdict(list)
    texts: dict[int, list[str]] = defaultdict(list)
    for response_set_id, key, value in Answer.objects.filter(
        response_set__application__call=call,
        response_set__application__status__in=REVIEWABLE,
        question_key__in=TOPIC_KEYS + TEXT_KEYS,
    ).values_list("response_set_id", "question_key", "value"):
        if key in TOPIC_KEYS:
            for word in _words(value):
                topics[response_set_id].extend(t.strip() for t in word.split(",") if t.strip())
        texts[response_set_id].extend(_words(value))
    return [
        rm.ApplicationInput(
            id=pk,
            topics=(*topics.get(rs, ()), *([specialty] if specialty else [])),
            text=" ".join(texts.get(rs, ())),
            languages=tuple(languages or ()),
            country=country,
        )
        for pk, rs, specialty, languages, country in rows
    ]


def read_reviewers(*, call: Call) -> list[rm.ReviewerInput]:
    """The call's reviewer panel as plain data (loads: an even share; see review_matching)."""
    rows = list(call.reviewers.order_by("id").values_list("id", "specialty", "languages", "bio"))
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


def read_round(*, call: Call, options: RunOptions = RunOptions(), standing_as_keep: bool = False) -> rm.ReviewRound:
    """Everything a run needs from the database. ``standing_as_keep``: every assignment that
    stands is a candidate kept as it is (for a cascade) rather than an existing one to add to."""
    applications = read_applications(call=call)
    reviewers = read_reviewers(call=call)
    conflicts = conflicts_for_call(call=call, reviewer_ids={r.id for r in reviewers})
    live: list[tuple[int, int]] = []
    keep: list[tuple[int, int]] = []
    declined: list[tuple[int, int]] = []
    for application_id, reviewer_id, status in ReviewAssignment.objects.filter(application__call=call).values_list(
        "application_id", "reviewer_id", "status"
    ):
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
        reviews_per_application=call.reviews_per_application,
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


def build_problem(*, call: Call, options: RunOptions = RunOptions()) -> rm.ReviewProblem:
    """The reviewer-assignment problem for a call, from the database."""
    return rm.build_review_problem(read_round(call=call, options=options))


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
) -> dict[str, Any]:
    """Write the engine's pairs (proposals taken back when a re-run moved them, new ones proposed)
    and return the run's outcome: each new pair explained by the engine, the applications still
    short with why, and what changed against the previous proposals."""
    pairs = rm.result_pairs(result)
    diff = rm.changes(previous or (), pairs)
    withdraw_proposals(call=call, pairs=diff.removed, actor=actor)
    scores = {rm.pair_ids(p.left, p.right): p.score for p in result.pairs}
    new = [pair for pair in pairs if pair not in set(diff.kept)]
    written = propose_assignments(call=call, pairs=[(a, r, scores[(a, r)]) for a, r in new], actor=actor)
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
    *, call: Call, actor: Any, run: BackgroundRun | None = None, options: RunOptions = RunOptions()
) -> EngineSummary:
    """Propose reviewers for every application still short of reviews. The engine runs outside any
    transaction; writing its pairs is one."""
    if run is not None:
        report_progress(run=run, progress=10, message=_("Reading the applications and the reviewer panel…"))
    rnd = read_round(call=call, options=options)
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
        call=call, problem=problem, result=result, actor=actor, previous=list(rnd.keep) if options.rerun else None
    )
    return EngineSummary(created=len(outcome["pairs"]), unmatched=len(result.unmatched), result=result, outcome=outcome)


def run_reviewer_assignment(*, run: BackgroundRun) -> dict[str, Any]:
    """The background runner for ``REVIEWER_ASSIGNMENT_RUN`` (registered in apps.py)."""
    call = Call.objects.get(pk=int(run.params["call_id"]))
    return assign_reviewers(
        call=call, actor=run.started_by, run=run, options=RunOptions.from_params(run.params)
    ).outcome


def propose_after_decline(*, call: Call, declined: Iterable[tuple[int, int]], actor: Any) -> dict[str, Any]:
    """The next best reviewer for each application that lost one to the given declines, without
    moving any accepted or pending assignment (the engine's cascade, ``scope="left_alone"``)."""
    rnd = read_round(call=call, standing_as_keep=True)
    problem = rm.build_review_problem(rnd)
    standing = list(rnd.keep)
    statuses = {
        (a, r): s
        for a, r, s in ReviewAssignment.objects.filter(application__call=call).values_list(
            "application_id", "reviewer_id", "status"
        )
    }
    accepted = [p for p in standing if statuses.get(p) != AssignmentStatus.PROPOSED]
    pending = [p for p in standing if statuses.get(p) == AssignmentStatus.PROPOSED]
    outcome = rm.next_best(problem, accepted=accepted, pending=pending, declined=declined)
    if outcome is None:
        return {"pairs": [], "unmatched": [], "notes": [reason_record(code="no_candidates", params={})]}
    scores = {rm.pair_ids(p.left, p.right): p.score for p in outcome.proposed}
    written = propose_assignments(call=call, pairs=[(a, r, s) for (a, r), s in sorted(scores.items())], actor=actor)
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
    return propose_after_decline(call=call, declined=declined, actor=None)
