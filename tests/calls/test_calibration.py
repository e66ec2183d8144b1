"""Calibration of review scores: a pure function, tested with examples and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncoreach.calls.calibration import HIGH_SPREAD_Z, calibrate, competition_ranks

# A stage: up to 8 reviewers, up to 12 applications, integer rubric scores 0..20.
reviews_strategy = st.lists(
    st.tuples(st.integers(1, 8), st.integers(1, 12), st.integers(0, 20)),
    min_size=1,
    max_size=60,
    unique_by=lambda t: (t[0], t[1]),
)


def test_a_harsh_and_a_lenient_reviewer_agree_after_calibration() -> None:
    # Harsh reviewer 1 scores 1..3, lenient reviewer 2 scores 8..10: same order.
    rows = [(1, "a", 1), (1, "b", 2), (1, "c", 3), (2, "a", 8), (2, "b", 9), (2, "c", 10)]
    result = calibrate(rows)
    z = {(r.reviewer_id, r.application_id): r.z for r in result.reviews}
    assert z[(1, "a")] == pytest.approx(z[(2, "a")])
    assert z[(1, "c")] == pytest.approx(math.sqrt(1.5))
    assert [a.application_id for a in result.applications] == ["c", "b", "a"]


def test_calibration_moves_an_application_reviewed_by_a_harsh_reviewer_up() -> None:
    # "x" got 6 from a harsh reviewer (their best); "y" got 7 from a lenient one (their worst).
    rows = [(1, "x", 6), (1, "p", 2), (1, "q", 3), (2, "y", 7), (2, "r", 9), (2, "s", 10)]
    apps = {a.application_id: a for a in calibrate(rows).applications}
    assert apps["y"].rank_raw < apps["x"].rank_raw
    assert apps["x"].rank_calibrated < apps["y"].rank_calibrated
    assert apps["x"].rank_change > 0
    assert apps["y"].rank_change < 0


def test_one_review_and_equal_scores_give_zero_z_and_no_nan() -> None:
    rows = [(1, "a", 5), (2, "a", 4), (2, "b", 4), (2, "c", 4)]
    result = calibrate(rows)
    assert all(r.z == 0 for r in result.reviews)
    # reviewer 1 has a single review: the robust score is the global standardisation
    lone = next(r for r in result.reviews if r.reviewer_id == 1)
    assert lone.robust > 0
    assert all(math.isfinite(a.mean_robust) for a in result.applications)


def test_every_score_the_same_everywhere() -> None:
    result = calibrate([(1, "a", 3), (2, "a", 3), (1, "b", 3)])
    assert {a.rank_calibrated for a in result.applications} == {1}
    assert all(r.robust == 0 for r in result.reviews)


def test_disagreement_is_flagged_from_the_documented_threshold() -> None:
    # Reviewer 1 puts "a" at their top, reviewer 2 at their bottom.
    rows = [(1, "a", 10), (1, "b", 5), (1, "c", 0), (2, "a", 0), (2, "b", 5), (2, "c", 10)]
    apps = {a.application_id: a for a in calibrate(rows).applications}
    assert apps["a"].spread >= HIGH_SPREAD_Z
    assert apps["a"].high_spread
    assert not apps["b"].high_spread


def test_competition_ranking_shares_ranks_and_skips() -> None:
    assert competition_ranks([3.0, 5.0, 5.0, 1.0]) == [3, 1, 1, 4]
    assert competition_ranks([0.1 + 0.2, 0.3]) == [1, 1]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(1, "a", float("nan"))], "not a number"),
        ([(1, "a", 1), (1, "a", 2)], "twice"),
    ],
)
def test_bad_input_is_refused(rows: list[tuple[int, str, float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        calibrate(rows)


def test_no_reviews() -> None:
    result = calibrate([])
    assert result.reviews == ()
    assert result.applications == ()


@settings(max_examples=150, deadline=None)
@given(reviews_strategy, st.integers(1, 8), st.integers(1, 5), st.integers(-10, 10))
def test_z_and_calibrated_ranks_ignore_a_reviewers_affine_shift(
    rows: list[tuple[int, int, int]], who: int, stretch: int, shift: int
) -> None:
    before = calibrate(rows)
    shifted = [(r, a, stretch * s + shift if r == who else s) for r, a, s in rows]
    after = calibrate(shifted)
    for x, y in zip(before.reviews, after.reviews, strict=True):
        assert x.z == pytest.approx(y.z, abs=1e-9)
    ranks_before = {a.application_id: a.rank_calibrated for a in before.applications}
    ranks_after = {a.application_id: a.rank_calibrated for a in after.applications}
    assert ranks_before == ranks_after


@settings(max_examples=150, deadline=None)
@given(reviews_strategy)
def test_ranks_are_a_permutation_with_ties_and_nothing_is_nan(rows: list[tuple[int, int, int]]) -> None:
    result = calibrate(rows)
    n = len(result.applications)
    assert n == len({a for _r, a, _s in rows})
    for field in ("rank_raw", "rank_calibrated", "rank_robust"):
        ranks = sorted(getattr(a, field) for a in result.applications)
        # competition ranking: each rank r is shared by c items, and the next rank is r + c
        position = 0
        while position < n:
            rank = ranks[position]
            assert rank == position + 1
            position += ranks.count(rank)
    for review in result.reviews:
        assert all(math.isfinite(v) for v in (review.raw, review.z, review.robust))
    for app in result.applications:
        assert all(math.isfinite(v) for v in (app.mean_raw, app.mean_calibrated, app.mean_robust, app.spread))
        assert app.rank_change == app.rank_raw - app.rank_calibrated
        assert app.spread >= 0
