"""The reviewer-assignment problem builder: plain data in, the engine's problem out (no database)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncoreach.calls.review_matching import (
    ApplicationInput,
    ReviewerInput,
    ReviewRound,
    build_review_problem,
    changes,
    explain_cascade,
    explain_pairs,
    next_best,
    result_pairs,
    solve_review,
)

TOPICS = ("breast cancer", "lung cancer", "palliative care", "radiotherapy", "cervical cancer")
LANGS = ("en", "es", "fr", "pt")


def app(i: int, topic: str = "breast cancer", languages: tuple[str, ...] = ("en",)) -> ApplicationInput:
    return ApplicationInput(i, topics=(topic,), text=f"a project on {topic}", languages=languages)


def reviewer(i: int, keyword: str = "breast cancer", languages: tuple[str, ...] = ("en",), **kw: int) -> ReviewerInput:
    return ReviewerInput(i, specialty="medical_oncology", keywords=(keyword,), languages=languages, **kw)  # type: ignore[arg-type]


@st.composite
def rounds(draw: st.DrawFn) -> ReviewRound:
    n_apps = draw(st.integers(1, 12))
    n_revs = draw(st.integers(1, 8))
    apps = [
        app(i, draw(st.sampled_from(TOPICS)), tuple(draw(st.sets(st.sampled_from(LANGS), min_size=1))))
        for i in range(1, n_apps + 1)
    ]
    revs = [
        reviewer(100 + j, draw(st.sampled_from(TOPICS)), tuple(draw(st.sets(st.sampled_from(LANGS), min_size=1))))
        for j in range(n_revs)
    ]
    pairs = st.tuples(st.integers(1, n_apps), st.integers(100, 99 + n_revs))
    conflicts = [
        (a, r, draw(st.sampled_from(["same_institution", "same_country", "declared"])))
        for a, r in draw(st.sets(pairs, max_size=10))
    ]
    return ReviewRound(
        applications=apps,
        reviewers=revs,
        reviews_per_application=draw(st.integers(1, 3)),
        conflicts=conflicts,
        require_shared_language=draw(st.booleans()),
        fair=draw(st.booleans()),
    )


@settings(max_examples=60, deadline=None)
@given(rounds())
def test_the_builder_never_assigns_a_conflict_and_respects_k_loads_and_languages(rnd: ReviewRound) -> None:
    problem = build_review_problem(rnd)
    result = solve_review(problem)
    pairs = result_pairs(result)
    conflicted = {(a, r) for a, r, _w in rnd.conflicts}
    assert not set(pairs) & conflicted
    per_app = Counter(a for a, _r in pairs)
    assert max(per_app.values(), default=0) <= rnd.reviews_per_application
    per_reviewer = Counter(r for _a, r in pairs)
    capacity = dict(zip(problem.problem.right_ids, problem.problem.capacity.tolist(), strict=True))
    assert all(n <= capacity[f"r{r}"] for r, n in per_reviewer.items())
    if rnd.require_shared_language:
        langs_a = {a.id: set(a.languages) for a in rnd.applications}
        langs_r = {r.id: set(r.languages) for r in rnd.reviewers}
        assert all(langs_a[a] & langs_r[r] for a, r in pairs)
    assert len(set(pairs)) == len(pairs)


def test_expertise_fit_prefers_the_reviewer_who_knows_the_topic() -> None:
    rnd = ReviewRound(
        applications=[app(1, "palliative care")],
        reviewers=[reviewer(10, "lung cancer"), reviewer(11, "palliative care")],
        reviews_per_application=1,
    )
    problem = build_review_problem(rnd)
    result = solve_review(problem)
    assert result_pairs(result) == [(1, 11)]
    explanation = explain_pairs(problem, result)[(1, 11)]
    assert explanation.components[0].sentence.code == "shared_interests"
    assert "palliative care" in explanation.components[0].sentence.params["tags"]  # type: ignore[operator]


def test_reason_words_live_declined_pins_and_exclusions() -> None:
    rnd = ReviewRound(
        applications=[app(1), app(2)],
        reviewers=[reviewer(10), reviewer(11), reviewer(12), reviewer(13)],
        reviews_per_application=2,
        conflicts=[(1, 10, "same_institution")],
        live=[(2, 10)],
        declined=[(2, 11)],
        pins=[(1, 13)],
        exclusions=[(1, 12)],
    )
    problem = build_review_problem(rnd)
    assert problem.reasons[(1, 10)] == ("same_institution",)
    assert problem.reasons[(1, 12)] == ("excluded",)
    assert problem.reasons[(2, 10)] == ("already_assigned",)
    assert problem.reasons[(2, 11)] == ("declined",)
    result = solve_review(problem)
    pairs = set(result_pairs(result))
    assert (1, 13) in pairs
    assert not pairs & {(1, 10), (1, 12), (2, 10), (2, 11)}
    # application 2 already has one review: it needs one more
    assert sum(1 for a, _r in pairs if a == 2) == 1


def test_a_pin_in_conflict_is_refused() -> None:
    rnd = ReviewRound(
        applications=[app(1)],
        reviewers=[reviewer(10)],
        reviews_per_application=1,
        conflicts=[(1, 10, "same_country")],
        pins=[(1, 10)],
    )
    with pytest.raises(ValueError, match="same_country"):
        build_review_problem(rnd)


def test_min_and_max_loads_are_the_engines_capacities() -> None:
    rnd = ReviewRound(
        applications=[app(i) for i in range(1, 7)],
        reviewers=[reviewer(10, max_load=1), reviewer(11, "lung cancer", min_load=4), reviewer(12)],
        reviews_per_application=1,
    )
    result = solve_review(build_review_problem(rnd))
    loads = Counter(r for _a, r in result_pairs(result))
    assert loads[10] <= 1
    assert loads[11] >= 4
    assert result.under_loaded == ()


def test_a_rerun_keeps_proposals_unless_a_move_gains_more_than_the_bonus() -> None:
    apps = [app(1, "lung cancer"), app(2, "breast cancer")]
    revs = [reviewer(10, "lung cancer"), reviewer(11, "breast cancer")]
    # the previous run paired them the wrong way round; a small bonus does not keep that
    rnd = ReviewRound(apps, revs, 1, keep=[(1, 11), (2, 10)], keep_bonus=0.01)
    result = solve_review(build_review_problem(rnd))
    diff = changes([(1, 11), (2, 10)], result_pairs(result))
    assert (diff.added, diff.removed, diff.kept) == (((1, 10), (2, 11)), ((1, 11), (2, 10)), ())
    # a large bonus keeps them
    rnd = ReviewRound(apps, revs, 1, keep=[(1, 11), (2, 10)], keep_bonus=1.0)
    result = solve_review(build_review_problem(rnd))
    assert changes([(1, 11), (2, 10)], result_pairs(result)).kept == ((1, 11), (2, 10))


@settings(max_examples=40, deadline=None)
@given(rounds(), st.data())
def test_the_cascade_never_changes_accepted_or_pending_pairs(rnd: ReviewRound, data: st.DataObject) -> None:
    first = result_pairs(solve_review(build_review_problem(rnd)))
    if not first:
        return
    declined = data.draw(st.sets(st.sampled_from(first), min_size=1, max_size=3))
    standing = [p for p in first if p not in declined]
    accepted = [p for p in standing if data.draw(st.booleans())]
    pending = [p for p in standing if p not in accepted]
    again = ReviewRound(
        rnd.applications,
        rnd.reviewers,
        rnd.reviews_per_application,
        conflicts=rnd.conflicts,
        declined=declined,
        keep=standing,
        require_shared_language=rnd.require_shared_language,
        fair=rnd.fair,
    )
    problem = build_review_problem(again)
    outcome = next_best(problem, accepted=accepted, pending=pending, declined=declined)
    if outcome is None:
        assert not len(problem.problem.edge_left)
        return
    after = set(result_pairs(outcome.result))
    assert set(standing) <= after
    new = {(int(p.left[1:]), int(p.right[1:])) for p in outcome.proposed}
    assert not new & set(declined)
    assert not new & {(a, r) for a, r, _w in rnd.conflicts}
    assert {a for a, _r in new} <= {a for a, _r in declined}  # only the applications left alone
    assert set(explain_cascade(problem, outcome)) == new
