"""Candidate generation: one example per scoring rule and per hard rule."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import RULE_REASONS, PairRef, explain, solve, with_history
from matching.candidates import (
    CandidateSet,
    Person,
    ScoringConfig,
    generate_candidates,
    topic_interest,
    work_start_utc,
)


def _one(left: Person, right: Person, cfg: ScoringConfig | None = None) -> CandidateSet:
    return generate_candidates([left], [right], cfg or ScoringConfig())


def _components(cs: CandidateSet) -> dict[str, float]:
    assert len(cs.edge_left) == 1
    names = ("interest", "language", "timezone", "preference", "continuity")
    return {k: round(float(v), 4) for k, v in zip(names, cs.edge_components[0], strict=True)}


def _rules(cs: CandidateSet) -> dict[str, int]:
    return {RULE_REASONS[k]: int(v) for k, v in enumerate(cs.rule_counts[0]) if v}


MENTEE = Person(
    "me",
    institution="I1",
    income_group="LMIC",
    languages=("es", "en"),
    utc_offset_hours=-5,
    tags=frozenset({"breast", "trials"}),
)
MENTOR = Person(
    "mo",
    institution="H1",
    income_group="HIC",
    languages=("en", "es"),
    utc_offset_hours=-5,
    tags=frozenset({"breast", "trials"}),
)


def test_identical_interests_languages_and_zone_score_full_marks_without_preference() -> None:
    comps = _components(_one(MENTEE, MENTOR))
    assert comps == {"interest": 1.0, "language": 1.0, "timezone": 1.0, "preference": 0.0, "continuity": 0.0}


def test_tag_interest_is_cosine_of_tag_sets() -> None:
    mentor = Person("mo", income_group="HIC", languages=("en",), tags=frozenset({"breast", "lung", "gi", "heme"}))
    comps = _components(_one(MENTEE, mentor))
    assert comps["interest"] == pytest.approx(1 / np.sqrt(2 * 4), abs=1e-4)


def test_free_text_similarity_blends_into_interest() -> None:
    a = Person("me", languages=("en",), text="radiotherapy for cervical cancer in rural clinics")
    b = Person("mo", income_group="HIC", languages=("en",), text="cervical cancer radiotherapy")
    c = Person("mo2", income_group="HIC", languages=("en",), text="paediatric leukaemia genomics")
    cs = generate_candidates([a], [b, c])
    by_right = dict(zip(cs.edge_right.tolist(), cs.edge_components[:, 0].tolist(), strict=True))
    assert by_right[0] > 0.2
    assert by_right[1] == pytest.approx(0.0)


def test_only_the_common_language_shared_scores_less() -> None:
    mentor = Person("mo", income_group="HIC", languages=("en",), utc_offset_hours=-5)
    assert _components(_one(MENTEE, mentor))["language"] == pytest.approx(0.6)


def test_working_hours_overlap_from_offsets() -> None:
    mentor = Person("mo", income_group="HIC", languages=("en",), utc_offset_hours=0)
    # 5 hours apart: 3 of 8 working hours overlap
    cs = _one(MENTEE, mentor)
    assert _components(cs)["timezone"] == pytest.approx(3 / 8)
    assert cs.evidence("me", "mo")["timezone"] == 3.0


def test_daylight_saving_changes_the_overlap() -> None:
    cfg_winter = ScoringConfig(on_date=date(2026, 1, 15))
    cfg_summer = ScoringConfig(on_date=date(2026, 7, 15))
    ny = Person("ny", timezone="America/New_York")
    bogota = Person("bo", timezone="America/Bogota")  # no DST, UTC-5 all year
    assert work_start_utc(ny, cfg_winter, {}) == 14.0
    assert work_start_utc(ny, cfg_summer, {}) == 13.0
    assert work_start_utc(bogota, cfg_summer, {}) == 14.0


def test_preference_rank_and_continuity() -> None:
    mentee = Person("me", languages=("en",), preferred=("mo2", "mo"), visited_by=frozenset({"mo"}))
    r1 = Person("mo", income_group="HIC", languages=("en",))
    r2 = Person("mo2", income_group="HIC", languages=("en",))
    cs = generate_candidates([mentee], [r1, r2], ScoringConfig(preference_decay=0.5))
    comps = {int(r): cs.edge_components[k] for k, r in enumerate(cs.edge_right.tolist())}
    assert comps[1][3] == pytest.approx(1.0)
    assert comps[0][3] == pytest.approx(0.5)
    assert comps[0][4] == 1.0
    assert comps[1][4] == 0.0
    assert cs.evidence("me", "mo2")["preference"] == 1


@pytest.mark.parametrize(
    ("left", "right", "cfg", "rule"),
    [
        (Person("x", languages=("en",)), Person("x", income_group="HIC", languages=("en",)), None, "self"),
        (
            Person("a", institution="I9", languages=("en",)),
            Person("b", institution="I9", income_group="HIC", languages=("en",)),
            None,
            "same_institution",
        ),
        (
            Person("a", country="KE", languages=("en",)),
            Person("b", country="KE", languages=("en",)),
            ScoringConfig.reviewing(),
            "same_country",
        ),
        (
            Person("a", languages=("en",), declared_conflicts=frozenset({"b"})),
            Person("b", income_group="HIC", languages=("en",)),
            None,
            "declared",
        ),
        (
            Person("a", languages=("en",)),
            Person("b", income_group="HIC", languages=("en",), coauthors=frozenset({"a"})),
            None,
            "coauthor",
        ),
        (
            Person("a", languages=("en",), past_mentorships=frozenset({"b"})),
            Person("b", income_group="HIC", languages=("en",)),
            None,
            "past_mentorship",
        ),
        (
            Person("a", languages=("en",)),
            Person("b", income_group="UMIC", languages=("en",)),
            None,
            "mentor_not_high_income",
        ),
        (
            Person("a", languages=("fr",)),
            Person("b", income_group="HIC", languages=("en",)),
            None,
            "no_shared_language",
        ),
        (
            Person("a", languages=("en",)),
            Person("b", income_group="HIC", languages=("en",)),
            ScoringConfig(min_score=0.99),
            "below_min_score",
        ),
    ],
)
def test_hard_rules_remove_pairs_with_their_reason(
    left: Person, right: Person, cfg: ScoringConfig | None, rule: str
) -> None:
    cs = _one(left, right, cfg)
    assert len(cs.edge_left) == 0
    assert _rules(cs) == {rule: 1}
    assert [RULE_REASONS[r] for r in cs.excluded_reason.tolist()] == [rule]
    result = solve(cs.to_problem())
    assert [u.reason for u in result.unmatched] == [
        "all_in_conflict"
        if rule in {"self", "same_institution", "same_country", "declared", "coauthor", "past_mentorship"}
        else "no_eligible_candidate"
    ]


def test_blocked_generation_equals_one_block_and_keeps_top_n() -> None:
    rng = np.random.default_rng(4)
    tags = [f"t{k}" for k in range(12)]
    langs = ["en", "fr", "es"]

    def person(pid: str, hic: bool) -> Person:
        return Person(
            pid,
            income_group="HIC" if hic else "LMIC",
            languages=tuple(sorted(set(rng.choice(langs, size=2).tolist()))),
            utc_offset_hours=float(rng.integers(-8, 9)),
            tags=frozenset(rng.choice(tags, size=3, replace=False).tolist()),
        )

    lefts = [person(f"L{i}", hic=False) for i in range(37)]
    rights = [person(f"R{j}", hic=bool(rng.random() < 0.9)) for j in range(23)]
    a = generate_candidates(lefts, rights, ScoringConfig(top_n=5, chunk_size=4))
    b = generate_candidates(lefts, rights, ScoringConfig(top_n=5, chunk_size=1000))
    assert a.edge_left.tolist() == b.edge_left.tolist()
    assert a.edge_right.tolist() == b.edge_right.tolist()
    assert a.edge_score.tolist() == b.edge_score.tolist()
    assert np.bincount(a.edge_left).max() <= 5
    # kept candidates are each left item's best eligible ones
    full = generate_candidates(lefts, rights, ScoringConfig(top_n=1000))
    for i in range(len(lefts)):
        kept = np.sort(a.edge_score[a.edge_left == i])[::-1]
        best = np.sort(full.edge_score[full.edge_left == i])[::-1][: len(kept)]
        assert kept.tolist() == best.tolist()


def test_explanation_in_words_with_codes() -> None:
    cs = _one(MENTEE, MENTOR)
    problem = cs.to_problem()
    result = solve(problem)
    (ex,) = explain(problem, result, ["me"], evidence=cs.evidence, weights=cs.config.weights)
    texts = [p.sentence.text for p in ex.components]
    assert texts[:3] == [
        "shared interests: breast, trials",
        "both speak Spanish and English",
        "8 working hours overlap",
    ]
    assert [p.sentence.code for p in ex.components][:3] == [
        "shared_interests",
        "shared_languages",
        "working_hours_overlap",
    ]
    assert ex.rank == 1


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12), m=st.integers(1, 9), chunk=st.integers(1, 5))
def test_generated_candidates_always_satisfy_the_hard_rules(seed: int, n: int, m: int, chunk: int) -> None:
    rng = np.random.default_rng(seed)

    def person(pid: str) -> Person:
        return Person(
            pid,
            institution=f"I{rng.integers(0, 3)}",
            income_group=str(rng.choice(["HIC", "UMIC"], p=[0.8, 0.2])),
            languages=tuple(sorted(set(rng.choice(["en", "fr", "es"], size=int(rng.integers(1, 3))).tolist()))),
            utc_offset_hours=float(rng.integers(-8, 9)),
            tags=frozenset(rng.choice([f"t{k}" for k in range(6)], size=2, replace=False).tolist()),
            declared_conflicts=frozenset({f"R{rng.integers(0, m)}"}),
        )

    lefts = [person(f"L{i}") for i in range(n)]
    rights = [person(f"R{j}") for j in range(m)]
    cs = generate_candidates(lefts, rights, ScoringConfig(top_n=3, chunk_size=chunk, min_score=0.2))
    for i, j, s in zip(cs.edge_left.tolist(), cs.edge_right.tolist(), cs.edge_score.tolist(), strict=True):
        a, b = lefts[i], rights[j]
        assert a.institution != b.institution
        assert set(a.languages) & set(b.languages)
        assert b.income_group == "HIC"
        assert b.id not in a.declared_conflicts
        assert s >= 0.2
    assert np.bincount(cs.edge_left, minlength=n).max(initial=0) <= 3
    # every pair is either a candidate, or counted under a rule, or below the top-3 cut
    counted = cs.rule_counts.sum(axis=1) + np.bincount(cs.edge_left, minlength=n)
    assert (counted <= m).all()


def test_resolve_from_generated_candidates_with_history() -> None:
    lefts = [Person(f"L{i}", languages=("en",), tags=frozenset({f"t{i % 3}"})) for i in range(6)]
    rights = [Person(f"R{j}", income_group="HIC", languages=("en",), tags=frozenset({f"t{j % 3}"})) for j in range(3)]
    problem = generate_candidates(lefts, rights).to_problem(capacity=[2, 2, 2])
    first = solve(problem)
    prev = [PairRef(p.left, p.right) for p in first.pairs]
    again = solve(with_history(problem, proposed=prev, keep_bonus=0.05, withdrawn_right=["R0"]))
    assert all(p.right != "R0" for p in again.pairs)
    assert {r.right for r in again.removed} == {"R0"}
    assert len(again.pairs) == 4


def test_mentor_pairing_preset_weights_and_topic_interest():
    config = ScoringConfig.mentor_pairing()
    assert dict(config.weights) == {"language": 0.2, "specialty": 0.4, "interest": 0.4}
    assert [topic_interest(n, config) for n in (0, 1, 2, 5)] == [0.0, 0.5, 1.0, 1.0]
    assert topic_interest(1, ScoringConfig.mentor_pairing(topics_target=1)) == 1.0
