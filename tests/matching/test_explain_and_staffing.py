"""Explanations of alternatives, and the season staffing integer program."""

from __future__ import annotations

from datetime import date

import pytest

from matching import (
    Candidate,
    Forbidden,
    LeftItem,
    Problem,
    RightItem,
    explain,
    explain_staffing,
    rank_volunteers,
    solve,
)
from matching.staffing import Course, Slot, StaffingProblem, Volunteer, solve_staffing


def test_alternatives_say_why_better_candidates_were_not_chosen() -> None:
    problem = Problem(
        lefts=(LeftItem("A"), LeftItem("B")),
        rights=(RightItem("X"), RightItem("Y"), RightItem("Z")),
        candidates=(
            Candidate("A", "X", score=0.9),
            Candidate("A", "Y", score=0.8),
            Candidate("A", "Z", score=0.5),
            Candidate("B", "Y", score=0.95),
        ),
        forbidden=(Forbidden("A", "X", "coauthor"),),
    )
    result = solve(problem)
    assert [(p.left, p.right) for p in result.pairs] == [("A", "Z"), ("B", "Y")]
    (ex,) = explain(problem, result, ["A"])
    assert [(a.right, a.status) for a in ex.alternatives] == [("X", "conflict"), ("Y", "at_capacity")]
    assert ex.alternatives[0].sentence.text == "conflict of interest: coauthor"
    assert ex.alternatives[1].sentence.params["taken_by"] == [("B", 0.95)]
    assert ex.rank == 2
    assert ex.n_candidates == 2


def _season() -> StaffingProblem:
    courses = (
        Course("C1", date(2026, 3, 2), date(2026, 3, 6), site="Nairobi", languages=frozenset({"en"})),
        Course("C2", date(2026, 3, 5), date(2026, 3, 9), site="Dakar", languages=frozenset({"fr"})),
        Course("C3", date(2026, 4, 1), date(2026, 4, 3), site="Lima", languages=frozenset({"es"})),
    )
    slots = (
        Slot("C1-lead", "C1", "lead", expertise=frozenset({"breast"})),
        Slot("C2-lead", "C2", "lead", language="fr", expertise=frozenset({"breast"})),
        Slot("C3-lead", "C3", "lead", language="es"),
        Slot("C3-nurse", "C3", "nurse"),
    )
    vols = (
        # the best lead for everything, but C1 and C2 overlap and she takes 2 trips at most
        Volunteer("V1", frozenset({"lead"}), frozenset({"en", "fr", "es"}), frozenset({"breast"}), max_trips=2),
        Volunteer("V2", frozenset({"lead"}), frozenset({"en"}), frozenset({"breast"}), max_trips=3),
        Volunteer(
            "V3",
            frozenset({"lead"}),
            frozenset({"es"}),
            max_trips=1,
            available=((date(2026, 3, 20), date(2026, 4, 30)),),
        ),
    )
    return StaffingProblem(courses, slots, vols, time_limit_s=10)


def test_staffing_respects_overlaps_and_trips_and_explains_unfilled() -> None:
    result = solve_staffing(_season())
    got = {a.slot: a.volunteer for a in result.assignments}
    assert got == {"C1-lead": "V2", "C2-lead": "V1", "C3-lead": "V3"}
    assert result.stats.optimal
    (unfilled,) = result.unfilled
    assert (unfilled.slot, unfilled.reason) == ("C3-nurse", "no_eligible_volunteer")
    assert result.uncovered_languages == ()


def test_staffing_reports_candidates_committed_elsewhere() -> None:
    season = _season()
    vols = (season.volunteers[0],)
    result = solve_staffing(StaffingProblem(season.courses, season.slots[:2], vols))
    assert len(result.assignments) == 1
    (unfilled,) = result.unfilled
    assert unfilled.reason == "candidates_committed_elsewhere"
    assert unfilled.params["on_overlapping_course"] == 1
    assert result.uncovered_languages == (("C2", "fr"), ("C3", "es"))


def test_staffing_is_deterministic() -> None:
    assert solve_staffing(_season()) == solve_staffing(_season())


@pytest.mark.parametrize("trips", [1, 2])
def test_max_trips(trips: int) -> None:
    courses = tuple(Course(f"C{k}", date(2026, 5, 1 + 3 * k), date(2026, 5, 2 + 3 * k)) for k in range(3))
    slots = tuple(Slot(f"S{k}", f"C{k}", "lead") for k in range(3))
    vols = (Volunteer("V", frozenset({"lead"}), max_trips=trips),)
    result = solve_staffing(StaffingProblem(courses, slots, vols))
    assert len(result.assignments) == trips


def _two_leads(*, interested: frozenset[str] = frozenset()) -> StaffingProblem:
    course = Course("C1", date(2026, 3, 2), date(2026, 3, 6), site="Lusaka", languages=frozenset({"en"}))
    slot = Slot("C1-lead", "C1", "lead", expertise=frozenset({"breast", "cervix", "lung"}))
    vols = (
        Volunteer("A", frozenset({"lead"}), frozenset({"en"}), frozenset({"breast", "cervix"})),
        Volunteer("B", frozenset({"lead"}), frozenset({"en"}), frozenset({"breast"}), interested_slots=interested),
    )
    return StaffingProblem((course,), (slot,), vols, time_limit_s=10)


def test_a_volunteer_who_raised_a_hand_weighs_in() -> None:
    assert [a.volunteer for a in solve_staffing(_two_leads()).assignments] == ["A"]
    season = _two_leads(interested=frozenset({"C1-lead"}))
    result = solve_staffing(season)
    assert [a.volunteer for a in result.assignments] == ["B"]
    (explanation,) = explain_staffing(season, result)
    parts = {part.component: (part.value, part.sentence.code) for part in explanation.components}
    assert parts == {
        "expertise": (0.3333, "shared_expertise"),
        "language": (1.0, "speaks_course_languages"),
        "continuity": (0.0, "no_previous_visit"),
        "volunteered": (1.0, "volunteered"),
    }
    assert explanation.score == result.assignments[0].fit == round(0.48 / 3 + 0.2 + 0.2, 6)
    assert (explanation.rank, explanation.n_candidates) == (1, 2)


def test_rank_volunteers_explains_the_best_free_ones_first() -> None:
    season = _two_leads()
    ranked = rank_volunteers(season, "C1-lead", exclude={"B"})
    assert [(r.right, r.rank) for r in ranked] == [("A", 1)]
    assert ranked[0].components[0].sentence.params == {"topics": ["breast", "cervix"], "n": 2, "wanted": 3}


def test_a_language_the_team_already_speaks_needs_no_one_new() -> None:
    course = Course("C1", date(2026, 3, 2), date(2026, 3, 6), languages=frozenset({"fr"}))
    slots = (Slot("S1", "C1", "lead"),)
    vols = (Volunteer("A", frozenset({"lead"}), frozenset({"en"})),)
    assert solve_staffing(StaffingProblem((course,), slots, vols)).uncovered_languages == (("C1", "fr"),)
    covered = Course(
        "C1", date(2026, 3, 2), date(2026, 3, 6), languages=frozenset({"fr"}), covered_languages=frozenset({"fr"})
    )
    assert solve_staffing(StaffingProblem((covered,), slots, vols)).uncovered_languages == ()
