"""Cascade re-solve after declines: examples, invariants and optimality of the residual problem."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import (
    Candidate,
    Forbidden,
    IndexPairs,
    LeftItem,
    PairRef,
    Problem,
    RightItem,
    cascade,
    explain,
    prepare_round,
    solve,
)
from matching.candidates import Person, ScoringConfig, generate_candidates

from .helpers import reference_optimum, small_problem


def _refs(pairs: object) -> list[tuple[str, str]]:
    return [(p.left, p.right) for p in pairs]  # type: ignore[attr-defined]


def _mentoring() -> Problem:
    """Three mentees, three mentors of capacity 1; M3 is on no one's first choice."""
    scores = {
        ("A", "X"): 0.9,
        ("A", "Y"): 0.7,
        ("A", "Z"): 0.3,
        ("B", "Y"): 0.8,
        ("B", "X"): 0.6,
        ("C", "Z"): 0.5,
        ("C", "X"): 0.4,
    }
    return Problem(
        lefts=tuple(LeftItem(x) for x in "ABC"),
        rights=tuple(RightItem(x) for x in "XYZ"),
        candidates=tuple(Candidate(a, b, score=s) for (a, b), s in scores.items()),
    )


def test_the_one_left_alone_gets_the_next_best_partner_and_accepted_pairs_stay() -> None:
    problem = _mentoring()
    assert _refs(solve(problem).pairs) == [("A", "X"), ("B", "Y"), ("C", "Z")]
    # X declines A; B accepted; C-Z still pending
    out = cascade(
        problem,
        accepted=[PairRef("B", "Y")],
        pending=[PairRef("C", "Z")],
        declined=[PairRef("A", "X")],
    )
    # Y and Z are taken; X is free but declined A: A has nobody with room
    assert _refs(out.result.pairs) == [("B", "Y"), ("C", "Z")]
    assert out.proposed == ()
    (u,) = out.result.unmatched
    assert (u.left, u.reason) == ("A", "all_candidates_at_capacity")
    assert out.result.removed == (PairRef("A", "X"),)
    # X lost its mentee and got nobody: C is kept on Z (pending), B is accepted
    assert out.idle_rights == ("X",)


def test_freed_capacity_goes_to_the_best_mentee_and_pending_may_move_with_consent() -> None:
    problem = _mentoring()
    # A declines X (A leaves the round); C's pending pair may move: C-X (0.4) < C-Z (0.5) + bonus
    out = cascade(
        problem,
        accepted=[PairRef("B", "Y")],
        pending=[PairRef("C", "Z")],
        declined=[PairRef("A", "X")],
        inactive_left=["A"],
        move_pending=True,
    )
    assert _refs(out.result.pairs) == [("B", "Y"), ("C", "Z")]
    assert out.withdrawn == ()
    assert out.result.unmatched == ()  # A left the round: no reason owed


def test_a_pending_pair_moves_only_when_the_gain_beats_the_keep_bonus() -> None:
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(
            Candidate("A", "X", score=0.9),
            Candidate("B", "X", score=0.8),
            Candidate("B", "Y", score=0.2),
        ),
    )
    # A declined X; B is pending on Y; X is free
    kept = cascade(problem, pending=[PairRef("B", "Y")], declined=[PairRef("A", "X")])
    assert _refs(kept.result.pairs) == [("B", "Y")]
    assert kept.idle_rights == ("X",)
    moved = cascade(problem, pending=[PairRef("B", "Y")], declined=[PairRef("A", "X")], move_pending=True)
    assert _refs(moved.result.pairs) == [("B", "X")]
    assert moved.withdrawn == (PairRef("B", "Y"),)
    assert _refs(moved.proposed) == [("B", "X")]
    assert set(moved.result.removed) == {PairRef("A", "X"), PairRef("B", "Y")}
    tiny = cascade(
        problem, pending=[PairRef("B", "Y")], declined=[PairRef("A", "X")], move_pending=True, keep_bonus=0.7
    )
    assert _refs(tiny.result.pairs) == [("B", "Y")]


def test_a_waiting_mentee_can_take_the_freed_place_unless_scope_is_left_alone() -> None:
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("W")),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(
            Candidate("A", "X", score=0.9),
            Candidate("A", "Y", score=0.3),
            Candidate("W", "Y", score=0.6),
        ),
    )
    first = solve(dataclasses.replace(problem, rights=(RightItem("X"), RightItem("Y", capacity=0))))
    assert _refs(first.pairs) == [("A", "X")]
    # Y now has room (capacity 1); X declines A: W gains more from Y than A does
    out = cascade(problem, declined=[PairRef("A", "X")])
    assert _refs(out.proposed) == [("W", "Y")]
    assert [(u.left, u.reason) for u in out.result.unmatched] == [("A", "all_candidates_at_capacity")]
    alone = cascade(problem, declined=[PairRef("A", "X")], scope="left_alone")
    assert _refs(alone.proposed) == [("A", "Y")]


def test_reviewing_replaces_a_declining_reviewer_without_repeating_one() -> None:
    problem = Problem(
        lefts=(LeftItem("P", demand=2),),
        rights=tuple(RightItem(x, capacity=1) for x in "RST"),
        candidates=(Candidate("P", "R", score=0.9), Candidate("P", "S", score=0.8), Candidate("P", "T", score=0.1)),
        forbidden=(),
        coverage="required",
    )
    assert _refs(solve(problem).pairs) == [("P", "R"), ("P", "S")]
    out = cascade(problem, accepted=[PairRef("P", "R")], declined=[PairRef("P", "S")])
    assert _refs(out.result.pairs) == [("P", "R"), ("P", "T")]
    assert [p.pinned for p in out.result.pairs] == [True, False]
    assert out.proposed_score == pytest.approx(0.1)


def test_declined_everywhere_gives_a_declined_reason() -> None:
    problem = Problem(lefts=(LeftItem("A"),), rights=(RightItem("X"),), candidates=(Candidate("A", "X", score=0.9),))
    out = cascade(problem, declined=[PairRef("A", "X")])
    (u,) = out.result.unmatched
    assert u.reason == "no_eligible_candidate"
    assert u.params["rules"] == {"declined": 1}


def test_an_accepted_pair_that_became_a_conflict_is_kept_and_reported() -> None:
    problem = dataclasses.replace(_mentoring(), forbidden=(Forbidden("B", "Y", "declared"),))
    out = cascade(problem, accepted=[PairRef("B", "Y")], declined=[PairRef("A", "X")])
    assert ("B", "Y") in _refs(out.result.pairs)
    assert out.conflicts == (Forbidden("B", "Y", "declared"),)


def test_index_pairs_and_a_kept_prepared_round_give_the_same_answer() -> None:
    problem = _mentoring()
    rnd = prepare_round(problem)
    by_ref = cascade(problem, accepted=[PairRef("B", "Y")], declined=[PairRef("A", "X")])
    by_index = cascade(
        rnd,
        accepted=IndexPairs(np.array([1]), np.array([1])),
        declined=IndexPairs(np.array([0]), np.array([0])),
    )
    assert _refs(by_index.result.pairs) == _refs(by_ref.result.pairs)
    assert by_index.result.stats == by_ref.result.stats


def test_explanations_of_new_proposals_name_the_declined_partner() -> None:
    problem = Problem(
        lefts=(LeftItem("A"),),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(Candidate("A", "X", score=0.9), Candidate("A", "Y", score=0.5)),
    )
    out = cascade(problem, declined=[PairRef("A", "X")])
    (ex,) = explain(out.problem, out.result, ["A"])
    assert ex.right == "Y"
    assert [(a.right, a.status, a.sentence.params) for a in ex.alternatives] == [
        ("X", "ineligible", {"rule": "declined"})
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"accepted": [PairRef("A", "X")], "declined": [PairRef("A", "X")]}, "declined pair is also"),
        ({"accepted": [PairRef("A", "X")], "pending": [PairRef("A", "X")]}, "both accepted and pending"),
        ({"declined": [PairRef("A", "X"), PairRef("A", "X")]}, "duplicate declined"),
        ({"accepted": [PairRef("A", "Q")]}, "unknown id"),
        ({"inactive_right": ["Q"]}, "unknown id"),
        ({"pending": IndexPairs(np.array([0]), np.array([7]))}, "out of range"),
    ],
)
def test_bad_input_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cascade(_mentoring(), **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties


def _residual_optimum(problem: Problem, fixed: set[tuple[str, str]], declined: set[tuple[str, str]]) -> int | None:
    """Independent reference: the residual problem as a plain Problem, solved by an integer program."""
    lefts = tuple(
        dataclasses.replace(x, demand=max(x.demand - sum(1 for a, _ in fixed if a == x.id), 0)) for x in problem.lefts
    )
    rights = tuple(
        dataclasses.replace(x, capacity=max(x.capacity - sum(1 for _, b in fixed if b == x.id), 0), min_load=0)
        for x in problem.rights
    )
    forbidden = {(f.left, f.right) for f in problem.forbidden}
    cands = tuple(
        c
        for c in problem.candidates
        if (c.left, c.right) not in fixed | declined and (c.left, c.right) not in forbidden
    )
    ap = dataclasses.replace(problem, lefts=lefts, rights=rights, candidates=cands, forbidden=()).to_arrays()
    return reference_optimum(ap, np.zeros(len(ap.edge_left), bool))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 7),
    m=st.integers(1, 6),
    move_pending=st.booleans(),
    objective=st.sampled_from(["total", "fair"]),
    coverage=st.sampled_from(["optional", "required"]),
)
def test_cascade_invariants_and_optimality(
    *, seed: int, n: int, m: int, move_pending: bool, objective: str, coverage: str
) -> None:
    rng = np.random.default_rng(seed)
    problem = dataclasses.replace(small_problem(rng, n=n, m=m), coverage=coverage)  # type: ignore[arg-type]
    first = solve(problem)
    refs = [PairRef(p.left, p.right) for p in first.pairs]
    fate = rng.integers(0, 3, size=len(refs))  # 0 accepted, 1 pending, 2 declined
    accepted = [r for r, f in zip(refs, fate, strict=True) if f == 0]
    pending = [r for r, f in zip(refs, fate, strict=True) if f == 1]
    declined = [r for r, f in zip(refs, fate, strict=True) if f == 2]
    # a declined pair that is not in the round, and a conflict declared after acceptance
    extra = [PairRef(c.left, c.right) for c in problem.candidates if PairRef(c.left, c.right) not in refs][
        : int(rng.integers(0, 2))
    ]
    declined += extra
    out = cascade(
        problem,
        accepted=accepted,
        pending=pending,
        declined=declined,
        move_pending=move_pending,
        objective=objective,  # type: ignore[arg-type]
    )
    got = {(p.left, p.right) for p in out.result.pairs}
    assert len(got) == len(out.result.pairs)
    # accepted pairs never change; pending stay unless allowed to move
    assert {(r.left, r.right) for r in accepted} <= got
    if not move_pending:
        assert {(r.left, r.right) for r in pending} <= got
        assert out.withdrawn == ()
    # declined never re-proposed; forbidden and non-candidate pairs never proposed
    forbidden = {(f.left, f.right) for f in problem.forbidden}
    cands = {(c.left, c.right) for c in problem.candidates}
    for p in out.proposed:
        assert (p.left, p.right) not in {(r.left, r.right) for r in declined}
        assert (p.left, p.right) not in forbidden
        assert (p.left, p.right) in cands
        assert not p.pinned
    # capacities and demands never exceeded
    cap = {r.id: r.capacity for r in problem.rights}
    dem = {x.id: x.demand for x in problem.lefts}
    for right, limit in cap.items():
        assert sum(1 for _, b in got if b == right) <= limit
    for left, limit in dem.items():
        assert sum(1 for a, _ in got if a == left) <= limit
    # the result lists what changed
    before = {(r.left, r.right) for r in accepted + pending}
    assert {(r.left, r.right) for r in out.result.added} == got - before
    assert {(r.left, r.right) for r in out.result.removed} == (before | {(r.left, r.right) for r in declined}) - got
    # deterministic, and the same from a prepared round with index pairs
    again = cascade(
        prepare_round(problem),
        accepted=accepted,
        pending=pending,
        declined=declined,
        move_pending=move_pending,
        objective=objective,  # type: ignore[arg-type]
    )
    assert _refs(again.result.pairs) == _refs(out.result.pairs)
    # only the ones left alone get partners when the scope says so
    alone = cascade(problem, accepted=accepted, pending=pending, declined=declined, scope="left_alone")
    assert {p.left for p in alone.proposed} <= {r.left for r in declined}
    # optimal for the residual problem (total mode, pending kept)
    if objective == "total" and not move_pending:
        fixed = {(r.left, r.right) for r in accepted + pending}
        ref = _residual_optimum(problem, fixed, {(r.left, r.right) for r in declined})
        if coverage == "optional":
            assert ref is not None
        if ref is not None:  # (required coverage: when the residual demand can all be met)
            assert round(out.proposed_score * 1_000_000) == ref


def test_a_round_from_candidate_generation_cascades_with_its_rule_counts() -> None:
    mentees = [
        Person("me1", institution="I1", income_group="LMIC", languages=("es",), tags=frozenset({"breast"})),
        Person("me2", institution="I2", income_group="LMIC", languages=("es",), tags=frozenset({"breast"})),
    ]
    mentors = [
        Person("mo1", institution="H1", income_group="HIC", languages=("es",), tags=frozenset({"breast"})),
        Person("mo2", institution="H2", income_group="UMIC", languages=("es",), tags=frozenset({"breast"})),
    ]
    problem = generate_candidates(mentees, mentors, ScoringConfig.mentoring()).to_problem()
    first = solve(problem)
    (pair,) = first.pairs
    out = cascade(problem, declined=[PairRef(pair.left, pair.right)])
    # the freed mentor goes to the other mentee; the one left alone has no eligible mentor left
    assert _refs(out.proposed) == [("me2" if pair.left == "me1" else "me1", "mo1")]
    (u,) = out.result.unmatched
    assert u.reason == "no_eligible_candidate"
    assert u.params["rules"] == {"mentor_not_high_income": 1, "declined": 1}
