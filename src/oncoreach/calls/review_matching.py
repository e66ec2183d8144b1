"""The reviewer-assignment problem from plain data, in the engine's own terms (no Django).

:func:`build_review_problem` turns applications, reviewers, k, loads and conflicts into the
engine's array problem with the engine's own candidate generation and text similarity
(``matching.candidates.generate_candidates`` with ``ScoringConfig.reviewing()``): the ``interest``
component is the cosine of the tag sets (the reviewer's specialty and keywords against the
application's topics and the applicant's specialty) blended with the hashed TF-IDF cosine of the
texts (reviewer: keywords and biography; application: title, summary and topics). There is no
other scoring formula here.

Hard rules: every conflict of interest (whatever its reason words), every pair staff excluded,
pairs already assigned and pairs declined never become pairs. Conflicts and exclusions go through
the engine's ``declared`` rule (so they are removed before the best candidates are kept), then the
removed pairs are labelled with their real reason; already assigned and declined pairs are removed
afterwards (a handful per application). ``require_shared_language`` adds the engine's
``no_shared_language`` rule. Loads are the engine's capacities and minimum loads (lower bounds are
hard in the engine: met first, then the score; ``Result.under_loaded`` lists any it cannot meet).
Staff pins are the engine's pinned pairs; a re-run keeps the previous proposals with a keep bonus
(the engine's ``proposed`` pairs). The database side (``matching_adapter``) only reads and writes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from matching import ArrayProblem, PairExplanation, PairRef, Result, explain, solve
from matching.candidates import Person, ScoringConfig, evidence_lookup, generate_candidates
from matching.cascade import CascadeResult, cascade, prepare_round
from matching.model import EvidenceValue, Objective

#: A reviewer without a maximum load takes at most this many more than an even share.
CAPACITY_SLACK = 1
#: Default score bonus for keeping a previous proposal on a re-run.
KEEP_BONUS = 0.05
#: Reason word of a pair staff excluded.
EXCLUDED = "excluded"
#: Reason words of pairs removed because they already exist or were declined.
ASSIGNED = "already_assigned"
DECLINED = "declined"

Pair = tuple[int, int]  # (application id, reviewer id)


@dataclass(frozen=True, slots=True)
class ApplicationInput:
    id: int
    topics: tuple[str, ...] = ()
    text: str = ""
    languages: tuple[str, ...] = ()
    country: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewerInput:
    id: int
    specialty: str = ""
    keywords: tuple[str, ...] = ()
    text: str = ""
    languages: tuple[str, ...] = ()
    min_load: int = 0
    max_load: int | None = None  # None: an even share of the reviews + CAPACITY_SLACK


@dataclass(frozen=True)
class ReviewRound:
    """Everything one assignment run needs, as plain data."""

    applications: Sequence[ApplicationInput]
    reviewers: Sequence[ReviewerInput]
    reviews_per_application: int
    conflicts: Iterable[tuple[int, int, str]] = ()  # (application, reviewer, reason words)
    live: Iterable[Pair] = ()  # assignments that stand (accepted, submitted, or proposed and not re-run)
    declined: Iterable[Pair] = ()
    pins: Iterable[Pair] = ()  # staff: must be in the result
    exclusions: Iterable[Pair] = ()  # staff: never
    keep: Iterable[Pair] = ()  # previous proposals the engine may move, kept with keep_bonus
    keep_bonus: float = KEEP_BONUS
    require_shared_language: bool = False
    fair: bool = False
    seed: int = 0


@dataclass(frozen=True, eq=False)
class ReviewProblem:
    """The engine's problem plus what explaining and cascading it needs."""

    problem: ArrayProblem
    objective: Objective
    evidence: Callable[[str, str], Mapping[str, EvidenceValue]]
    weights: Mapping[str, float]
    reasons: Mapping[Pair, tuple[str, ...]] = field(default_factory=dict)  # removed pairs -> words


def left_id(application_id: int) -> str:
    return f"a{application_id}"


def right_id(reviewer_id: int) -> str:
    return f"r{reviewer_id}"


def pair_ids(left: str, right: str) -> Pair:
    return int(left[1:]), int(right[1:])


def _tag(word: str) -> str:
    return " ".join(word.replace("_", " ").lower().split())


def _config(require_shared_language: bool) -> ScoringConfig:
    rules = {"declared"} | ({"no_shared_language"} if require_shared_language else set())
    return ScoringConfig.reviewing(rules=frozenset(rules), top_n=200)


def build_review_problem(rnd: ReviewRound) -> ReviewProblem:  # noqa: PLR0912, PLR0915 - one flat build, read top to bottom
    """The engine's problem for one run (see the module docstring). Raises ``ValueError`` for a
    pin that a conflict, an exclusion or a decline forbids, or for a negative k."""
    k = rnd.reviews_per_application
    if k < 0:
        msg = "reviews per application must be zero or more"
        raise ValueError(msg)
    applications = sorted(rnd.applications, key=lambda a: a.id)
    reviewers = sorted(rnd.reviewers, key=lambda r: r.id)
    app_ids = {a.id for a in applications}
    rev_ids = {r.id for r in reviewers}
    words: dict[Pair, list[str]] = defaultdict(list)
    for application_id, reviewer_id, reason in rnd.conflicts:
        if application_id in app_ids and reviewer_id in rev_ids and reason not in words[(application_id, reviewer_id)]:
            words[(application_id, reviewer_id)].append(reason)
    for pair in rnd.exclusions:
        words[pair].append(EXCLUDED)
    live = [p for p in rnd.live if p[0] in app_ids and p[1] in rev_ids]
    declined = {p for p in rnd.declined if p[0] in app_ids and p[1] in rev_ids}
    pins = sorted(set(rnd.pins) - set(live))
    keep = sorted(set(rnd.keep) - set(live) - set(pins))
    for pair in pins:
        if pair in words or pair in declined:
            msg = f"pinned pair {pair} is forbidden: {', '.join(words.get(pair, [DECLINED]))}"
            raise ValueError(msg)
    blocked = {pair: tuple(reasons) for pair, reasons in words.items() if reasons}

    have: dict[int, int] = defaultdict(int)
    load: dict[int, int] = defaultdict(int)
    for application_id, reviewer_id in live:
        have[application_id] += 1
        load[reviewer_id] += 1
    demand = [max(k - have[a.id], 0) for a in applications]
    share = math.ceil(sum(demand) / len(reviewers)) + CAPACITY_SLACK if reviewers else 0
    capacity = [
        max(r.max_load - load[r.id], 0) if r.max_load is not None else max(share, r.min_load - load[r.id])
        for r in reviewers
    ]
    min_load = [min(max(r.min_load - load[r.id], 0), c) for r, c in zip(reviewers, capacity, strict=True)]

    declared: dict[int, set[str]] = defaultdict(set)
    for application_id, reviewer_id in blocked:
        declared[application_id].add(right_id(reviewer_id))
    lefts = [
        Person(
            id=left_id(a.id),
            country=a.country,
            languages=tuple(a.languages),
            tags=frozenset(_tag(t) for t in a.topics if t.strip()),
            text=a.text,
            declared_conflicts=frozenset(declared.get(a.id, ())),
        )
        for a in applications
    ]
    rights = [
        Person(
            id=right_id(r.id),
            languages=tuple(r.languages),
            tags=frozenset(_tag(t) for t in (r.specialty, *r.keywords) if t.strip()),
            text=r.text,
        )
        for r in reviewers
    ]
    config = _config(rnd.require_shared_language)
    cands = generate_candidates(lefts, rights, config)
    ap = cands.to_problem(demand=demand, capacity=capacity, min_load=min_load)

    # label pairs removed by the "declared" rule with their real reason words
    reasons = list(ap.reasons)

    def code(word: str) -> int:
        if word not in reasons:
            reasons.append(word)
        return reasons.index(word)

    declared_code = reasons.index("declared")
    x_reason = ap.excluded_reason.copy()
    for x in np.flatnonzero(x_reason == declared_code).tolist():
        pair = (applications[int(ap.excluded_left[x])].id, reviewers[int(ap.excluded_right[x])].id)
        x_reason[x] = code(blocked[pair][0])
    # already assigned and declined pairs: out of the candidates, into the excluded pairs
    lpos = {a.id: i for i, a in enumerate(applications)}
    rpos = {r.id: j for j, r in enumerate(reviewers)}
    m = max(len(reviewers), 1)
    gone = [(p, ASSIGNED) for p in live] + [(p, DECLINED) for p in sorted(declined)]
    gone_keys = np.asarray([lpos[p[0]] * m + rpos[p[1]] for p, _w in gone], np.int64)
    edge_keys = ap.edge_left.astype(np.int64) * m + ap.edge_right
    drop = np.isin(edge_keys, gone_keys)
    counts = np.zeros((ap.n_left, len(reasons) + 2), np.int64)
    if ap.rule_counts is not None:
        counts[:, : ap.rule_counts.shape[1]] = ap.rule_counts
        counts[:, declared_code] = 0
    for pair, reason_words in blocked.items():
        counts[lpos[pair[0]], code(reason_words[0])] += 1
    for _p, word in gone:
        code(word)
    counts = counts[:, : len(reasons)]
    for pair, word in gone:
        counts[lpos[pair[0]], reasons.index(word)] += 1
    keep_cols = [0, 1] if rnd.require_shared_language else [0]  # interest (and language when it is a rule)
    components = ap.edge_components[:, keep_cols] if ap.edge_components is not None else None
    ap = replace(
        ap,
        edge_left=ap.edge_left[~drop],
        edge_right=ap.edge_right[~drop],
        edge_score=ap.edge_score[~drop],
        component_names=tuple(ap.component_names[c] for c in keep_cols),
        edge_components=components[~drop] if components is not None else None,
        excluded_left=np.concatenate([ap.excluded_left, [lpos[p[0]] for p, _w in gone]]).astype(np.int32),
        excluded_right=np.concatenate([ap.excluded_right, [rpos[p[1]] for p, _w in gone]]).astype(np.int32),
        excluded_reason=np.concatenate([x_reason, [reasons.index(w) for _p, w in gone]]).astype(np.int16),
        excluded_score=np.concatenate([ap.excluded_score, np.full(len(gone), np.nan)]),
        reasons=tuple(reasons),
        rule_counts=counts,
        pinned_left=np.asarray([lpos[a] for a, _r in pins], np.int32),
        pinned_right=np.asarray([rpos[r] for _a, r in pins], np.int32),
        proposed_left=np.asarray([lpos[a] for a, _r in keep], np.int32),
        proposed_right=np.asarray([rpos[r] for _a, r in keep], np.int32),
        keep_bonus=rnd.keep_bonus if keep else 0.0,
        seed=rnd.seed,
    )
    all_reasons = dict(blocked)
    all_reasons.update({p: (w,) for p, w in gone})
    return ReviewProblem(
        problem=ap,
        objective="fair" if rnd.fair else "total",
        evidence=evidence_lookup(lefts, rights, config),
        weights=dict(config.weights),
        reasons=all_reasons,
    )


def solve_review(rp: ReviewProblem) -> Result:
    return solve(rp.problem, objective=rp.objective)


def explain_pairs(rp: ReviewProblem, result: Result) -> dict[Pair, PairExplanation]:
    """Each pair of the result in the engine's words, keyed by (application id, reviewer id)."""
    lefts = sorted({p.left for p in result.pairs})
    return {
        pair_ids(e.left, e.right): e
        for e in explain(rp.problem, result, lefts, evidence=rp.evidence, weights=rp.weights)
    }


@dataclass(frozen=True, slots=True)
class Changes:
    added: tuple[Pair, ...]
    removed: tuple[Pair, ...]
    kept: tuple[Pair, ...]


def changes(previous: Iterable[Pair], current: Iterable[Pair]) -> Changes:
    """What a re-run changed: pairs added, removed and kept (each sorted)."""
    before, after = set(previous), set(current)
    return Changes(tuple(sorted(after - before)), tuple(sorted(before - after)), tuple(sorted(before & after)))


def result_pairs(result: Result) -> list[Pair]:
    return [pair_ids(p.left, p.right) for p in result.pairs]


def next_best(
    rp: ReviewProblem, *, accepted: Iterable[Pair], pending: Iterable[Pair], declined: Iterable[Pair]
) -> CascadeResult | None:
    """The next best reviewers for applications that lost one to a decline, without moving any
    accepted or pending pair (the engine's cascade, ``scope="left_alone"``).

    ``rp`` is the round built with the standing pairs as ``keep`` (so they are candidates, not
    already-assigned exclusions) and ``k`` as demand. ``None`` when no candidate pair is left at
    all (nobody to propose; the engine's cascade needs at least one candidate pair)."""
    if not len(rp.problem.edge_left):
        return None
    known_l = set(rp.problem.left_ids)
    known_r = set(rp.problem.right_ids)

    def refs(pairs: Iterable[Pair]) -> list[PairRef]:
        return [
            PairRef(left_id(a), right_id(r))
            for a, r in sorted(set(pairs))
            if left_id(a) in known_l and right_id(r) in known_r
        ]

    return cascade(
        prepare_round(rp.problem),
        accepted=refs(accepted),
        pending=refs(pending),
        declined=refs(declined),
        scope="left_alone",
        objective=rp.objective,
    )


def explain_cascade(rp: ReviewProblem, outcome: CascadeResult) -> dict[Pair, PairExplanation]:
    """The cascade's new proposals in the engine's words, keyed by (application id, reviewer id)."""
    lefts = sorted({p.left for p in outcome.proposed})
    new = {(p.left, p.right) for p in outcome.proposed}
    return {
        pair_ids(e.left, e.right): e
        for e in explain(outcome.problem, outcome.result, lefts, evidence=rp.evidence, weights=rp.weights)
        if (e.left, e.right) in new
    }
