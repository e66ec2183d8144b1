"""Solver: examples, optimality against an integer program, invariants (hypothesis)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Candidate, Forbidden, LeftItem, PairRef, Problem, RightItem, solve
from matching.solver import prepare

from .helpers import reference_optimum, small_problem


def _pairs(result: object) -> list[tuple[str, str]]:
    return [(p.left, p.right) for p in result.pairs]  # type: ignore[attr-defined]


def test_total_mode_picks_the_best_total_not_the_greedy_choice() -> None:
    # greedy would give A-X (0.9) and leave B unmatched; optimum is A-Y + B-X = 1.6
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(Candidate("A", "X", score=0.9), Candidate("A", "Y", score=0.8), Candidate("B", "X", score=0.8)),
    )
    result = solve(problem)
    assert _pairs(result) == [("A", "Y"), ("B", "X")]
    assert result.stats.total_score == pytest.approx(1.6)
    assert result.unmatched == ()


def test_scores_differing_in_the_sixth_decimal_are_not_truncated() -> None:
    problem = Problem(
        lefts=(LeftItem("A"),),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(Candidate("A", "X", score=0.500001), Candidate("A", "Y", score=0.500002)),
    )
    assert _pairs(solve(problem)) == [("A", "Y")]


def test_weights_combine_components() -> None:
    problem = Problem(
        lefts=(LeftItem("A"),),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(
            Candidate("A", "X", components={"interest": 1.0, "language": 0.0}),
            Candidate("A", "Y", components={"interest": 0.0, "language": 1.0}),
        ),
        weights={"interest": 0.3, "language": 0.7},
    )
    result = solve(problem)
    assert _pairs(result) == [("A", "Y")]
    assert result.pairs[0].score == pytest.approx(0.7)


def test_conflict_is_never_assigned_and_reason_is_all_in_conflict() -> None:
    problem = Problem(
        lefts=(LeftItem("A"),),
        rights=(RightItem("X"),),
        candidates=(Candidate("A", "X", score=0.9),),
        forbidden=(Forbidden("A", "X", "same_institution"),),
    )
    result = solve(problem)
    assert result.pairs == ()
    assert [u.reason for u in result.unmatched] == ["all_in_conflict"]
    assert result.unmatched[0].params["rules"] == {"same_institution": 1}


def test_ineligible_right_item_gives_no_eligible_candidate() -> None:
    problem = Problem(
        lefts=(LeftItem("A"),),
        rights=(RightItem("X"),),
        candidates=(Candidate("A", "X", score=0.9),),
        forbidden=(Forbidden(None, "X", "mentor_not_high_income"),),
    )
    result = solve(problem)
    assert [u.reason for u in result.unmatched] == ["no_eligible_candidate"]
    assert "mentor not high income" in result.unmatched[0].message


def test_min_score_rule_and_no_candidates() -> None:
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X"),),
        candidates=(Candidate("A", "X", score=0.1),),
        min_score=0.2,
    )
    result = solve(problem)
    assert [(u.left, u.reason) for u in result.unmatched] == [("A", "no_eligible_candidate"), ("B", "no_candidates")]
    assert result.unmatched[0].params["rules"] == {"below_min_score": 1}


def test_at_capacity_reason_names_who_took_the_place() -> None:
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X"),),
        candidates=(Candidate("A", "X", score=0.9), Candidate("B", "X", score=0.5)),
    )
    result = solve(problem)
    assert _pairs(result) == [("A", "X")]
    (u,) = result.unmatched
    assert (u.left, u.reason) == ("B", "all_candidates_at_capacity")
    assert u.params["taken_by"] == [("A", 0.9)]


def test_min_load_is_hard() -> None:
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X", capacity=2), RightItem("Y", capacity=1, min_load=1)),
        candidates=(Candidate("A", "X", score=0.9), Candidate("B", "X", score=0.9), Candidate("B", "Y", score=0.1)),
    )
    result = solve(problem)
    assert _pairs(result) == [("A", "X"), ("B", "Y")]
    assert result.under_loaded == ()


def test_required_coverage_maximises_pairs_first() -> None:
    # total mode with optional coverage would take A-X (1.0) only
    base = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(Candidate("A", "X", score=1.0), Candidate("A", "Y", score=0.0), Candidate("B", "X", score=0.0)),
    )
    required = dataclasses.replace(base, coverage="required")
    assert _pairs(solve(required)) == [("A", "Y"), ("B", "X")]


def test_fair_mode_raises_the_worst_pair_and_keeps_the_count() -> None:
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(
            Candidate("A", "X", score=1.0),
            Candidate("A", "Y", score=0.5),
            Candidate("B", "X", score=0.5),
            Candidate("B", "Y", score=0.2),
        ),
    )
    total = solve(problem)
    fair = solve(problem, objective="fair")
    assert _pairs(total) == [("A", "X"), ("B", "Y")]
    assert _pairs(fair) == [("A", "Y"), ("B", "X")]
    assert fair.stats.min_pair_score == pytest.approx(0.5)
    assert fair.stats.n_pairs == total.stats.n_pairs


def test_resolve_keeps_pins_and_reports_changes() -> None:
    lefts = tuple(LeftItem(x) for x in "ABC")
    rights = (RightItem("X"), RightItem("Y"), RightItem("Z"))
    cands = tuple(
        Candidate(a, b, score=s)
        for a, b, s in [
            ("A", "X", 0.9),
            ("A", "Y", 0.5),
            ("B", "Y", 0.8),
            ("B", "Z", 0.7),
            ("C", "Z", 0.6),
            ("C", "X", 0.95),
        ]
    )
    first = solve(Problem(lefts=lefts, rights=rights, candidates=cands))
    previous = tuple(PairRef(p.left, p.right) for p in first.pairs)
    # X withdraws: capacity 0; A is pinned to nothing; B's pair is accepted (pinned)
    rights2 = (RightItem("X", capacity=0), RightItem("Y"), RightItem("Z"))
    pinned = tuple(r for r in previous if r.left == "B")
    proposed = tuple(r for r in previous if r.left != "B")
    second = solve(
        Problem(lefts=lefts, rights=rights2, candidates=cands, pinned=pinned, proposed=proposed, keep_bonus=0.05)
    )
    assert set(pinned) <= {PairRef(p.left, p.right) for p in second.pairs}
    assert all(p.pinned == (p.left == "B") for p in second.pairs)
    assert {r.right for r in second.removed} == {"X"}
    assert all(r.right != "X" for r in second.added)


def test_a_pin_that_became_a_conflict_is_dropped_and_reported() -> None:
    problem = Problem(
        lefts=(LeftItem("A"),),
        rights=(RightItem("X"), RightItem("Y")),
        candidates=(Candidate("A", "X", score=0.9), Candidate("A", "Y", score=0.4)),
        forbidden=(Forbidden("A", "X", "declared"),),
        pinned=(PairRef("A", "X"),),
    )
    result = solve(problem)
    assert _pairs(result) == [("A", "Y")]
    assert result.removed == (PairRef("A", "X"),)
    assert result.added == (PairRef("A", "Y"),)


def test_keep_bonus_prefers_the_previous_pair_on_ties() -> None:
    lefts = (LeftItem("A"),)
    rights = (RightItem("X"), RightItem("Y"))
    cands = (Candidate("A", "X", score=0.5), Candidate("A", "Y", score=0.52))
    result = solve(
        Problem(lefts=lefts, rights=rights, candidates=cands, proposed=(PairRef("A", "X"),), keep_bonus=0.05)
    )
    assert _pairs(result) == [("A", "X")]
    assert result.added == ()
    assert result.removed == ()


def test_unknown_ids_are_rejected() -> None:
    problem = Problem(lefts=(LeftItem("A"),), rights=(RightItem("X"),), candidates=(Candidate("A", "Q", score=0.5),))
    with pytest.raises(ValueError, match="unknown id"):
        solve(problem)


def test_empty_problem() -> None:
    result = solve(Problem(lefts=(), rights=(), candidates=()))
    assert result.pairs == ()
    assert result.stats.total_score == 0


# ---------------------------------------------------------------- properties


def _check_invariants(problem: Problem, objective: str) -> None:
    ap = problem.to_arrays()
    result = solve(ap, objective=objective)  # type: ignore[arg-type]
    prep = prepare(ap)
    lpos = {x: i for i, x in enumerate(ap.left_ids)}
    rpos = {x: j for j, x in enumerate(ap.right_ids)}
    left_load = np.zeros(ap.n_left, int)
    right_load = np.zeros(ap.n_right, int)
    forbidden = {(f.left, f.right) for f in problem.forbidden}
    cand = {(c.left, c.right) for c in problem.candidates}
    for p in result.pairs:
        assert (p.left, p.right) not in forbidden
        assert (p.left, p.right) in cand
        left_load[lpos[p.left]] += 1
        right_load[rpos[p.right]] += 1
    assert (left_load <= ap.demand).all()
    assert (right_load <= ap.capacity).all()
    assert len(set(_pairs(result))) == len(result.pairs)
    short = {ap.left_ids[i] for i in np.flatnonzero(left_load < ap.demand)}
    assert {u.left for u in result.unmatched} == short
    assert all(u.reason and u.message for u in result.unmatched)
    # deterministic
    again = solve(ap, objective=objective)  # type: ignore[arg-type]
    assert _pairs(again) == _pairs(result)
    # optimal (total mode) against an integer program
    if objective == "total":
        ref = reference_optimum(ap, prep.removed_reason >= 0)
        if ref is not None:
            assert result.stats.total_score_micro == ref
            assert result.under_loaded == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 7),
    m=st.integers(0, 6),
    min_load=st.booleans(),
    objective=st.sampled_from(["total", "fair"]),
)
def test_invariants_and_optimality(seed: int, n: int, m: int, min_load: bool, objective: str) -> None:
    problem = small_problem(np.random.default_rng(seed), n=n, m=m, with_min_load=min_load)
    _check_invariants(problem, objective)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 7), m=st.integers(1, 6))
def test_required_coverage_optimal_when_feasible(seed: int, n: int, m: int) -> None:
    problem = dataclasses.replace(
        small_problem(np.random.default_rng(seed), n=n, m=m, density=0.9, max_cap=4), coverage="required"
    )
    ap = problem.to_arrays()
    result = solve(ap)
    ref = reference_optimum(ap, prepare(ap).removed_reason >= 0)
    if ref is not None:  # full coverage is feasible: the engine covers everything, optimally
        assert result.unmatched == ()
        assert result.stats.total_score_micro == ref


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6), m=st.integers(1, 5))
def test_fair_mode_is_fair_optimal(seed: int, n: int, m: int) -> None:
    """Brute force: no solution with as many pairs has a larger minimum pair score."""
    problem = small_problem(np.random.default_rng(seed), n=n, m=m, max_demand=1, max_cap=2)
    ap = problem.to_arrays()
    total = solve(ap)
    fair = solve(ap, objective="fair")
    assert fair.stats.n_pairs == total.stats.n_pairs
    if fair.stats.n_pairs == 0:
        return
    prep = prepare(ap)
    micro = np.round(ap.edge_score * 1_000_000)
    fair_min = round(fair.stats.min_pair_score * 1_000_000)  # type: ignore[operator]
    better = dataclasses.replace(ap, min_score=(fair_min + 1) / 1_000_000)
    alt = solve(better)
    # with every pair strictly above the fair minimum, fewer pairs are possible
    assert alt.stats.n_pairs < fair.stats.n_pairs or (micro[prep.edges] > fair_min).sum() == 0


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 7), m=st.integers(1, 6))
def test_resolve_keeps_pins_and_never_exceeds_capacity(seed: int, n: int, m: int) -> None:
    rng = np.random.default_rng(seed)
    problem = small_problem(rng, n=n, m=m)
    first = solve(problem)
    refs = [PairRef(p.left, p.right) for p in first.pairs]
    pinned = tuple(r for r in refs if rng.random() < 0.4)
    proposed = tuple(r for r in refs if r not in pinned)
    gone = {r.id for r in problem.rights if rng.random() < 0.3}
    rights = tuple(dataclasses.replace(r, capacity=0) if r.id in gone else r for r in problem.rights)
    again = dataclasses.replace(problem, rights=rights, pinned=pinned, proposed=proposed, keep_bonus=0.05)
    result = solve(again)
    got = {PairRef(p.left, p.right) for p in result.pairs}
    assert set(pinned) <= got
    load: dict[str, int] = {}
    for p in result.pairs:
        if not p.pinned:
            load[p.right] = load.get(p.right, 0) + 1
            assert p.right not in gone
    assert set(result.added) == got - set(refs)
    assert set(result.removed) == set(refs) - got
