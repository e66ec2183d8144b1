"""The bridge between mentoring and the matching engine (the only module here that imports it).

``build_round`` reads a cycle's eligible mentee requests and active mentor offers into the
engine's people (languages, focus areas and goals as tags, goals as text, ranked shortlist, IANA
zone and weekly windows, country and region, past mentorships) and lets
``generate_candidates(ScoringConfig.mentoring(...))`` score them with the hard rules: a shared
language, some common hour in every week of the term (``no_common_hours``), and — when the cycle
says so — a mentor outside the mentee's country and region. ``run_round`` (the worker) solves,
explains every pair and unmatched mentee through the engine and writes the run; ``run_cascade``
proposes next-best partners after declines and expiries (``cascade(scope="left_alone")``).
The adapter keeps no weights or formula of its own.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from matching import IndexPairs, PairRef, cascade, explain, prepare_round, solve, with_history
from matching.availability import pair_overlap, shared_slots_utc
from matching.candidates import CandidateSet, Person, ScoringConfig, evidence_lookup, generate_candidates
from matching.model import ArrayProblem
from oncoreach.calls.enums import ApplicationStatus
from oncoreach.core.models import BackgroundRun
from oncoreach.core.runs import report_progress
from oncoreach.mentoring import selectors
from oncoreach.mentoring.enums import (
    LIVE_MATCH_STATUSES,
    AdjustmentKind,
    MatchStatus,
    OfferStatus,
    RoundStatus,
)
from oncoreach.mentoring.models import (
    Match,
    MatchRound,
    MatchRun,
    MenteeRequest,
    MentoringCycle,
    MentorOffer,
    Mentorship,
    OfferWindow,
    Preference,
    RequestWindow,
    RoundAdjustment,
    RunPair,
    RunSnapshot,
    RunUnmatched,
)
from oncoreach.mentoring.services.consent import transition_matches
from oncoreach.mentoring.services.rounds import create_proposals
from oncoreach.volunteers.fit_words import explanation_record

#: Mentee requests the engine considers: submitted and judged eligible by the call's rules.
MATCHABLE = (ApplicationStatus.ELIGIBLE,)
Slot = tuple[dt.datetime, dt.datetime]


def scoring_config(mentoring: MentoringCycle) -> ScoringConfig:
    rules = {"self", "past_mentorship", "no_shared_language", "no_common_hours", "declared"}
    if mentoring.mentor_outside_region:
        rules |= {"same_country", "same_region"}
    return ScoringConfig.mentoring(
        rules=frozenset(rules),
        term=(mentoring.term_start, mentoring.term_end),
        on_date=mentoring.term_start,
        preference_decay=0.15,
    )


def mentee_key(request_id: int) -> str:
    return f"q{request_id}"


def mentor_key(offer_id: int) -> str:
    return f"o{offer_id}"


def _key_id(key: str) -> int:
    return int(key[1:])


def _goal_tags(goal_type: str) -> set[str]:
    return (
        {"goal:clinical", "goal:research"} if goal_type == "both" else ({f"goal:{goal_type}"} if goal_type else set())
    )


def _past_mentors(mentee_ids: Iterable[int] | QuerySet[Any]) -> dict[int, set[int]]:
    past: dict[int, set[int]] = defaultdict(set)
    ids = mentee_ids if isinstance(mentee_ids, QuerySet) else list(mentee_ids)
    for mentee_id, mentor_id in Mentorship.objects.filter(mentee_id__in=ids).values_list("mentee_id", "mentor_id"):
        past[mentee_id].add(mentor_id)
    return past


@dataclass(frozen=True)
class RoundPeople:
    mentoring: MentoringCycle
    lefts: list[Person]
    rights: list[Person]
    capacity: list[int]
    ignored_preferences: dict[str, list[dict[str, Any]]]


def mentee_person(request: MenteeRequest, *, active: set[int], past: set[int]) -> Person:
    applicant = request.application.applicant
    country = applicant.country_of_practice
    return Person(
        id=mentee_key(request.pk),
        person_key=f"p{applicant.pk}",
        country=country.iso2 if country else None,
        region=country.region or None if country else None,
        languages=tuple(request.languages),
        timezone=request.time_zone or None,
        tags=frozenset(request.focus_areas) | _goal_tags(request.goal_type),
        text=request.goals,
        preferred=tuple(mentor_key(p.offer_id) for p in request.preferences.all() if p.offer_id in active),
        past_mentorships=frozenset(f"p{mentor}" for mentor in past),
        availability=tuple(w.as_tuple for w in request.windows.all()),
    )


def mentor_person(offer: MentorOffer) -> Person:
    country = offer.person.country_of_practice
    return Person(
        id=mentor_key(offer.pk),
        person_key=f"p{offer.person_id}",
        country=country.iso2 if country else None,
        region=country.region or None if country else None,
        languages=tuple(offer.languages),
        timezone=offer.time_zone,
        tags=frozenset(offer.focus_areas) | {"goal:clinical", "goal:research"},
        text=offer.about,
        availability=tuple(w.as_tuple for w in offer.windows.all()),
    )


def _windows_by(windows: QuerySet[Any], owner: str) -> dict[int, tuple]:
    """Each owner's windows as tuples in (weekday, start) order, in one query; equal window sets
    share one tuple."""
    out: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for owner_id, day, start, end in windows.values_list(f"{owner}_id", "weekday", "start_minute", "end_minute"):
        out[owner_id].append((day, start, end))
    shared: dict[tuple, tuple] = {}
    return {key: shared.setdefault(t := tuple(sorted(v)), t) for key, v in out.items()}


def read_people(mentoring: MentoringCycle, round_: MatchRound | None = None) -> RoundPeople:
    """The round's mentees and mentors as the engine's people, with each mentor's free places.

    Read in bulk (``values_list``, a few queries whatever the size) into the same people that
    ``mentee_person`` and ``mentor_person`` build from model instances."""
    busy = Match.objects.filter(request__cycle=mentoring, status__in=LIVE_MATCH_STATUSES)
    if round_ is not None:
        busy = busy.exclude(round=round_, status=MatchStatus.PROPOSED)
    requests = list(
        MenteeRequest.objects.filter(cycle=mentoring, application__status__in=MATCHABLE)
        .exclude(pk__in=busy.values("request_id"))
        .order_by("pk")
        .values_list(
            "pk",
            "application__applicant_id",
            "application__applicant__country_of_practice__iso2",
            "application__applicant__country_of_practice__region",
            "languages",
            "time_zone",
            "focus_areas",
            "goal_type",
            "goals",
        )
    )
    offers = list(
        MentorOffer.objects.filter(cycle=mentoring, status=OfferStatus.ACTIVE)
        .order_by("pk")
        .values_list(
            "pk",
            "person_id",
            "person__country_of_practice__iso2",
            "person__country_of_practice__region",
            "languages",
            "time_zone",
            "focus_areas",
            "about",
            "capacity",
        )
    )
    active = {o[0] for o in offers}
    past = _past_mentors(
        MenteeRequest.objects.filter(cycle=mentoring).values("application__applicant_id")
    )  # the conflicts: past mentorships of these mentees
    preferences: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for request_id, rank, offer_id in (
        Preference.objects.filter(request__cycle=mentoring)
        .order_by("rank")
        .values_list("request_id", "rank", "offer_id")
    ):
        preferences[request_id].append((rank, offer_id))
    request_windows = _windows_by(RequestWindow.objects.filter(request__cycle=mentoring), "request")
    offer_windows = _windows_by(OfferWindow.objects.filter(offer__cycle=mentoring), "offer")
    taken: dict[int, int] = defaultdict(int)
    busy_offers = Match.objects.filter(offer__cycle=mentoring, status__in=LIVE_MATCH_STATUSES)
    if round_ is not None:
        busy_offers = busy_offers.exclude(round=round_, status=MatchStatus.PROPOSED)
    for offer_id in busy_offers.values_list("offer_id", flat=True):
        taken[offer_id] += 1
    ignored: dict[str, list[dict[str, Any]]] = {}
    lefts = []
    for pk, applicant_id, iso2, region, languages, zone, focus, goal_type, goals in requests:
        ranked = preferences.get(pk, [])
        gone = [(rank, offer) for rank, offer in ranked if offer not in active]
        if gone:
            ignored[str(pk)] = [{"rank": rank, "offer": offer, "reason": "mentor_withdrew"} for rank, offer in gone]
        lefts.append(
            Person(
                id=mentee_key(pk),
                person_key=f"p{applicant_id}",
                country=iso2,
                region=region or None,
                languages=tuple(languages),
                timezone=zone or None,
                tags=frozenset(focus) | _goal_tags(goal_type),
                text=goals,
                preferred=tuple(mentor_key(offer) for _rank, offer in ranked if offer in active),
                past_mentorships=frozenset(f"p{mentor}" for mentor in past.get(applicant_id, ())),
                availability=request_windows.get(pk, ()),
            )
        )
    rights = [
        Person(
            id=mentor_key(pk),
            person_key=f"p{person_id}",
            country=iso2,
            region=region or None,
            languages=tuple(languages),
            timezone=zone,
            tags=frozenset(focus) | {"goal:clinical", "goal:research"},
            text=about,
            availability=offer_windows.get(pk, ()),
        )
        for pk, person_id, iso2, region, languages, zone, focus, about, _capacity in offers
    ]
    return RoundPeople(
        mentoring=mentoring,
        lefts=lefts,
        rights=rights,
        capacity=[max(o[8] - taken[o[0]], 0) for o in offers],
        ignored_preferences=ignored,
    )


def _drop_pairs(problem: ArrayProblem, pairs: Iterable[tuple[str, str]]) -> ArrayProblem:
    """Remove staff's excluded pairs from the candidate edges."""
    lpos = {x: i for i, x in enumerate(problem.left_ids)}
    rpos = {x: j for j, x in enumerate(problem.right_ids)}
    keys = {lpos[a] * problem.n_right + rpos[b] for a, b in pairs if a in lpos and b in rpos}
    if not keys:
        return problem
    edge_keys = problem.edge_left.astype(np.int64) * problem.n_right + problem.edge_right
    keep = ~np.isin(edge_keys, np.fromiter(keys, np.int64))
    components = problem.edge_components[keep] if problem.edge_components is not None else None
    return replace(
        problem,
        edge_left=problem.edge_left[keep],
        edge_right=problem.edge_right[keep],
        edge_score=problem.edge_score[keep],
        edge_components=components,
    )


def _progress(run: BackgroundRun | None, progress: int, message: str) -> None:
    if run is not None:
        report_progress(run=run, progress=progress, message=message)


def _snapshot(problem: ArrayProblem) -> bytes:
    buffer = io.BytesIO()
    arrays = {
        name: getattr(problem, name)
        for name in (
            "demand",
            "capacity",
            "min_load",
            "edge_left",
            "edge_right",
            "edge_score",
            "excluded_left",
            "excluded_right",
            "excluded_reason",
            "excluded_score",
        )
    }
    meta = {
        "left_ids": list(problem.left_ids),
        "right_ids": list(problem.right_ids),
        "reasons": list(problem.reasons),
        "min_score": problem.min_score,
    }
    np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
    return zlib.compress(buffer.getvalue(), 1)


def load_snapshot(data: bytes | memoryview) -> ArrayProblem:
    with np.load(io.BytesIO(zlib.decompress(bytes(data))), allow_pickle=False) as npz:
        meta = json.loads(npz["meta"].tobytes().decode())
        arrays = {name: npz[name] for name in npz.files if name != "meta"}
    return ArrayProblem(
        left_ids=tuple(meta["left_ids"]),
        right_ids=tuple(meta["right_ids"]),
        reasons=tuple(meta["reasons"]),
        min_score=meta["min_score"],
        **arrays,
    )


def _pair_row(cs_evidence: Any, explanation: Any) -> dict[str, Any]:
    evidence = cs_evidence(explanation.left, explanation.right)
    overlap = evidence.get("timezone")
    low, high = overlap if isinstance(overlap, tuple) and len(overlap) == 2 else (0.0, 0.0)
    rank = evidence.get("preference")
    return {
        "request_id": _key_id(explanation.left),
        "offer_id": _key_id(explanation.right),
        "score": explanation.score,
        "rank": explanation.rank,
        "candidates": explanation.n_candidates,
        "preference_rank": rank if isinstance(rank, int) and rank > 0 else None,
        "overlap_hours": float(low),
        "overlap_max_hours": float(high),
        "explanation": explanation_record(explanation),
    }


def compute_run(match_run: MatchRun, run: BackgroundRun | None = None) -> dict[str, Any]:
    """Build, solve, explain and write one engine run of a round."""
    round_ = match_run.round
    mentoring = round_.cycle
    if round_.status != RoundStatus.DRAFT or match_run.finished_at is not None:
        return dict(match_run.stats)  # published meanwhile, or already done (a retried task)
    laps = Laps()
    _progress(run, 5, _("Reading the mentees and mentors…"))
    people = read_people(mentoring, round_)
    laps.lap("read")
    config = scoring_config(mentoring)
    _progress(
        run,
        20,
        _("Scoring %(mentees)s mentees against %(mentors)s mentors across the term…")
        % {"mentees": len(people.lefts), "mentors": len(people.rights)},
    )
    cs: CandidateSet = generate_candidates(people.lefts, people.rights, config)
    problem = cs.to_problem(capacity=people.capacity)
    adjustments = list(RoundAdjustment.objects.filter(round=round_))
    problem = _drop_pairs(
        problem,
        ((mentee_key(a.request_id), mentor_key(a.offer_id)) for a in adjustments if a.kind == AdjustmentKind.EXCLUDE),
    )
    known_l, known_r = set(problem.left_ids), set(problem.right_ids)
    pins = [
        PairRef(mentee_key(a.request_id), mentor_key(a.offer_id))
        for a in adjustments
        if a.kind == AdjustmentKind.PIN and mentee_key(a.request_id) in known_l and mentor_key(a.offer_id) in known_r
    ]
    proposed: list[PairRef] = []
    if match_run.based_on is not None:
        pinned_left = {p.left for p in pins}
        proposed = [
            PairRef(mentee_key(r), mentor_key(o))
            for r, o in match_run.based_on.pairs.values_list("request_id", "offer_id")
            if mentee_key(r) in known_l and mentor_key(o) in known_r and mentee_key(r) not in pinned_left
        ]
    problem = with_history(problem, pinned=pins, proposed=proposed, keep_bonus=match_run.keep_bonus)
    laps.lap("candidates")
    _progress(run, 55, _("Solving the round…"))
    result = solve(problem, objective="fair" if match_run.objective == "fair" else "total")
    laps.lap("solve")
    _progress(run, 75, _("Explaining the pairs…"))
    explanations = explain(
        problem, result, [p.left for p in result.pairs], evidence=cs.evidence, weights=config.weights
    )
    rows = [_pair_row(cs.evidence, e) for e in explanations]
    laps.lap("explain")
    pinned_pairs = {(p.left, p.right) for p in pins}
    _progress(run, 85, _("Writing the proposals…"))
    with transaction.atomic():
        MatchRun.objects.select_for_update().get(pk=match_run.pk)
        match_run.pairs.all().delete()
        match_run.unmatched.all().delete()
        RunPair.objects.bulk_create(
            (
                RunPair(
                    run=match_run,
                    pinned=(mentee_key(row["request_id"]), mentor_key(row["offer_id"])) in pinned_pairs,
                    **{k: row[k] for k in row},
                )
                for row in rows
            ),
            batch_size=2000,
        )
        RunUnmatched.objects.bulk_create(
            (
                RunUnmatched(run=match_run, request_id=_key_id(u.left), code=u.reason, params=_json(u.params))
                for u in result.unmatched
            ),
            batch_size=2000,
        )
        RunSnapshot.objects.update_or_create(run=match_run, defaults={"data": _snapshot(problem)})
        stats = {
            "mentees": len(people.lefts),
            "mentors": len(people.rights),
            "candidates": len(problem.edge_left),
            "pairs": len(result.pairs),
            "unmatched": len(result.unmatched),
            "total_score": round(float(sum(p.score for p in result.pairs)), 4),
            "min_score": round(float(min((p.score for p in result.pairs), default=0.0)), 4),
            "optimal": bool(result.stats.optimal),
        }
        match_run.stats, match_run.ignored_preferences = stats, people.ignored_preferences
        match_run.finished_at = timezone.now()
        match_run.save(update_fields=["stats", "ignored_preferences", "finished_at"])
    laps.lap("write")
    return {**stats, "seconds": laps.wall, "cpu_seconds": laps.cpu}


class Laps:
    """Wall and CPU seconds per phase of a run (the benchmark prints them)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._at = (time.monotonic(), time.process_time())

    def lap(self, name: str) -> None:
        now = (time.monotonic(), time.process_time())
        self.wall[name] = round(now[0] - self._at[0], 2)
        self.cpu[name] = round(now[1] - self._at[1], 2)
        self._at = now


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def run_round(*, run: BackgroundRun) -> dict[str, Any]:
    """The background runner for ROUND_RUN (registered in apps.py)."""
    match_run = MatchRun.objects.select_related("round__cycle", "based_on").get(pk=int(run.params["run_id"]))
    return compute_run(match_run, run)


# --- The cascade after declines and expiries ----------------------------------------------------


def _round_problem(round_: MatchRound) -> ArrayProblem:
    snapshot = RunSnapshot.objects.filter(run_id=round_.published_run_id).values_list("data", flat=True).first()
    if snapshot is not None:
        return load_snapshot(snapshot)
    people = read_people(round_.cycle, round_)
    cs = generate_candidates(people.lefts, people.rights, scoring_config(round_.cycle))
    return cs.to_problem(capacity=people.capacity)


def compute_cascade(round_: MatchRound, run: BackgroundRun | None = None, actor: Any = None) -> dict[str, Any]:
    """Propose next-best partners for those a decline or expiry left alone, keeping every
    accepted and pending pair; new proposals go out at once."""
    _progress(run, 10, _("Reading the answers so far…"))
    problem = _round_problem(round_)
    prepared = prepare_round(problem)
    lpos, rpos = prepared.left_pos, prepared.right_pos
    rows = list(
        Match.objects.filter(round=round_).values_list(
            "request_id", "offer_id", "status", "leaves_round", "declined_by"
        )
    )
    accepted_l: list[int] = []
    accepted_r: list[int] = []
    pending_l: list[int] = []
    pending_r: list[int] = []
    declined_l: list[int] = []
    declined_r: list[int] = []
    inactive_left: set[str] = set()
    inactive_right: set[str] = set()
    for request_id, offer_id, status, leaves, declined_by in rows:
        left, right = mentee_key(request_id), mentor_key(offer_id)
        if left not in lpos or right not in rpos:
            continue
        i, j = lpos[left], rpos[right]
        if status == MatchStatus.ACCEPTED:
            accepted_l.append(i)
            accepted_r.append(j)
        elif status in (MatchStatus.APPROVED, MatchStatus.PROPOSED):
            pending_l.append(i)
            pending_r.append(j)
        else:
            declined_l.append(i)
            declined_r.append(j)
            if leaves and declined_by == "mentee":
                inactive_left.add(left)
            elif leaves and declined_by == "mentor":
                inactive_right.add(right)
            elif leaves:  # expired with neither answer: both leave
                inactive_left.add(left)
                inactive_right.add(right)
    # Mentors who withdrew or whose offer ended take nobody new.
    live = set(MentorOffer.objects.filter(cycle=round_.cycle, status=OfferStatus.ACTIVE).values_list("pk", flat=True))
    inactive_right |= {r for r in problem.right_ids if _key_id(r) not in live}

    def pairs(ls: list[int], rs: list[int]) -> IndexPairs:
        return IndexPairs(np.asarray(ls, np.int64), np.asarray(rs, np.int64))

    _progress(run, 40, _("Finding the next best partners…"))
    out = cascade(
        prepared,
        accepted=pairs(accepted_l, accepted_r),
        pending=pairs(pending_l, pending_r),
        declined=pairs(declined_l, declined_r),
        inactive_left=inactive_left,
        inactive_right=inactive_right,
        scope="left_alone",
    )
    new_lefts = sorted({p.left for p in out.proposed})
    written = _write_cascade(round_, out, new_lefts, actor)
    return {"proposed": written, "unmatched": len(out.result.unmatched)}


def _write_cascade(round_: MatchRound, out: Any, new_lefts: Sequence[str], actor: Any) -> int:
    if not out.proposed:
        return 0
    requests = {mentee_key(r.pk): r for r in selectors.requests_in_cycle(round_.cycle, [_key_id(x) for x in new_lefts])}
    offer_ids = sorted({_key_id(p.right) for p in out.proposed})
    offers = {mentor_key(o.pk): o for o in selectors.offers_by_id(offer_ids)}
    active = {_key_id(k) for k in offers}
    lefts = [mentee_person(r, active=active, past=set()) for r in requests.values()]
    rights = [mentor_person(o) for o in offers.values()]
    config = scoring_config(round_.cycle)
    evidence = evidence_lookup(lefts, rights, config)
    explanations = explain(out.problem, out.result, list(new_lefts), evidence=evidence, weights=config.weights)
    new = {(p.left, p.right) for p in out.proposed}
    rows = [_pair_row(evidence, e) for e in explanations if (e.left, e.right) in new]
    with transaction.atomic():
        round_ = MatchRound.objects.select_for_update().select_related("cycle").get(pk=round_.pk)
        if round_.status != RoundStatus.PUBLISHED:
            return 0
        busy = set(
            Match.objects.filter(
                request_id__in=[r["request_id"] for r in rows], status__in=LIVE_MATCH_STATUSES
            ).values_list("request_id", flat=True)
        )
        rows = [r for r in rows if r["request_id"] not in busy]
        matches = create_proposals(round_=round_, pairs=rows, by_cascade=True)
        for match in matches:
            match.round = round_
        transition_matches(matches=matches, to=MatchStatus.APPROVED, actor=actor)
    return len(matches)


def run_cascade(*, run: BackgroundRun) -> dict[str, Any]:
    """The background runner for CASCADE_RUN (registered in apps.py)."""
    round_ = MatchRound.objects.select_related("cycle").get(pk=int(run.params["round_id"]))
    return compute_cascade(round_, run, actor=run.started_by)


def weekly_overlap_hours(
    mentee: tuple[str, Sequence[tuple[int, int, int]]],
    mentor: tuple[str, Sequence[tuple[int, int, int]]],
    mentoring: MentoringCycle,
) -> float:
    """The hours a week two people's windows share in the worst week of the term (forms use it)."""
    config = scoring_config(mentoring)
    assert config.term is not None
    summary = pair_overlap(mentee[1], mentee[0], mentor[1], mentor[0], config.term)
    return float(summary.min_hours)


def meeting_slots(mentorship: Mentorship, *, first_day: dt.date, weeks: int) -> list[tuple[dt.date, list[Slot]]]:
    """The pair's shared working hours (aware UTC start and end) week by week from the week of
    ``first_day``: the engine's own overlap (``matching.availability``, real IANA zones, so
    daylight saving counts), for the meeting planner."""
    match = mentorship.match
    mentee = [w.as_tuple for w in match.request.windows.all()]
    mentor = [w.as_tuple for w in match.offer.windows.all()]
    monday = first_day - dt.timedelta(days=first_day.weekday())
    out = []
    for week in range(weeks):
        day = monday + dt.timedelta(weeks=week)
        slots = shared_slots_utc(mentee, match.request.time_zone, mentor, match.offer.time_zone, day)
        out.append((day, list(slots)))
    return out
