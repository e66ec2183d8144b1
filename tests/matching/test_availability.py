"""Weekly availability overlap across a term: real zones, daylight saving, the 15-minute grid."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import RULE_REASONS, explain, solve
from matching.availability import (
    WeeklyOverlap,
    check_window,
    default_windows,
    pair_overlap,
    shared_slots_utc,
    slot_vector,
    zone_key,
)
from matching.candidates import Person, ScoringConfig, generate_candidates
from matching.explain import describe_component

TERM = (date(2026, 3, 2), date(2027, 2, 28))
MONDAY_AFTERNOON_LAGOS = ((0, 14 * 60, 17 * 60),)
MONDAY_MORNING_NEW_YORK = ((0, 9 * 60, 12 * 60),)


def test_overlap_follows_daylight_saving_through_the_term() -> None:
    summary = pair_overlap(MONDAY_AFTERNOON_LAGOS, "Africa/Lagos", MONDAY_MORNING_NEW_YORK, "America/New_York", TERM)
    # Lagos 13-16 UTC all year; New York 14-17 UTC in winter, 13-16 UTC in summer time.
    assert [(p.start, p.end, p.hours) for p in summary.periods] == [
        (date(2026, 3, 2), date(2026, 3, 7), 2.0),
        (date(2026, 3, 8), date(2026, 10, 31), 3.0),
        (date(2026, 11, 1), date(2027, 2, 28), 2.0),
    ]
    assert (summary.min_hours, summary.max_hours) == (2.0, 3.0)


def test_a_quarter_hour_zone_counts_quarter_hours() -> None:
    # Kathmandu is UTC+5:45: Monday 09:00-10:00 there is 03:15-04:15 UTC.
    summary = pair_overlap(((0, 9 * 60, 10 * 60),), "Asia/Kathmandu", ((0, 3 * 60 + 30, 5 * 60),), "UTC", TERM)
    assert (summary.min_hours, summary.max_hours) == (0.75, 0.75)


def test_windows_wrap_around_the_week_in_utc() -> None:
    # Sunday 20:00-24:00 in Tokyo (UTC+9) is Sunday 11:00-15:00 UTC; Monday 00:00-02:00 in Tokyo
    # is Sunday 15:00-17:00 UTC.
    vec = slot_vector(((0, 0, 120),), 9 * 60)
    assert int(vec.sum()) == 8
    assert np.flatnonzero(vec).tolist() == list(range(6 * 96 + 60, 6 * 96 + 68))


def test_three_offset_combinations_between_hemispheres() -> None:
    # Sydney Monday 07-10 and New York Sunday 14-17: both zones change clocks, on different days.
    summary = pair_overlap(
        ((0, 7 * 60, 10 * 60),), "Australia/Sydney", ((6, 14 * 60, 17 * 60),), "America/New_York", TERM
    )
    assert [p.hours for p in summary.periods] == [2.0, 1.0, 0.0, 1.0, 2.0]
    assert (summary.min_hours, summary.max_hours) == (0.0, 2.0)


def test_check_window_refuses_bad_windows() -> None:
    for bad in ((7, 0, 60), (0, 60, 60), (0, 0, 1500), (0, 10, 70)):
        with pytest.raises(ValueError, match=r"window|weekday"):
            check_window(bad)
    check_window((6, 0, 1440))


def test_default_windows_are_the_working_week() -> None:
    assert default_windows(9, 17) == tuple((d, 540, 1020) for d in range(5))


def test_zone_key_for_a_bare_offset() -> None:
    assert zone_key(None, 5.75) == "+05:45"
    assert zone_key(None, -3.5) == "-03:30"
    assert zone_key("Europe/Paris", 1) == "Europe/Paris"


def test_shared_slots_of_one_week_in_utc() -> None:
    slots = shared_slots_utc(
        MONDAY_AFTERNOON_LAGOS, "Africa/Lagos", MONDAY_MORNING_NEW_YORK, "America/New_York", date(2026, 6, 10)
    )
    assert slots == ((datetime(2026, 6, 8, 13, tzinfo=UTC), datetime(2026, 6, 8, 16, tzinfo=UTC)),)


ZONES = ["Africa/Lagos", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kathmandu", "America/Santiago"]
window = st.tuples(st.integers(0, 6), st.integers(0, 94), st.integers(1, 24)).map(
    lambda t: (t[0], t[1] * 15, min(t[1] * 15 + t[2] * 15, 1440))
)
person = st.tuples(st.lists(window, min_size=1, max_size=3), st.sampled_from(ZONES))


@settings(max_examples=25, deadline=None)
@given(lefts=st.lists(person, min_size=1, max_size=4), rights=st.lists(person, min_size=1, max_size=4))
def test_block_overlap_equals_the_pair_by_pair_overlap(lefts, rights) -> None:
    term = (date(2026, 3, 1), date(2026, 11, 30))
    weekly = WeeklyOverlap(
        [w for w, _ in lefts], [z for _, z in lefts], [w for w, _ in rights], [z for _, z in rights], term
    )
    block = weekly.block(0, len(lefts))
    for i, (lw, lz) in enumerate(lefts):
        for j, (rw, rz) in enumerate(rights):
            summary = pair_overlap(lw, lz, rw, rz, term)
            assert block.min_hours[i, j] == pytest.approx(summary.min_hours)
            assert block.max_hours[i, j] == pytest.approx(summary.max_hours)


def _mentoring(**overrides: object) -> ScoringConfig:
    rules = frozenset({"same_country", "same_region", "no_shared_language", "no_common_hours"})
    return ScoringConfig.mentoring(term=TERM, rules=rules, **overrides)


MENTEE = Person(
    "me", country="NGA", region="SSA", languages=("en",), timezone="Africa/Lagos", availability=MONDAY_AFTERNOON_LAGOS
)


def test_weekly_overlap_scores_the_worst_week_and_is_explained() -> None:
    mentor = Person(
        "mo",
        country="USA",
        region="NA",
        languages=("en",),
        timezone="America/New_York",
        availability=MONDAY_MORNING_NEW_YORK,
    )
    cs = generate_candidates([MENTEE], [mentor], _mentoring())
    assert float(cs.edge_components[0][2]) == pytest.approx(2.0 / 4.0)
    assert cs.evidence("me", "mo")["timezone"] == (2.0, 3.0)
    result = solve(cs.to_problem())
    (explanation,) = explain(cs.to_problem(), result, ["me"], evidence=cs.evidence)
    sentence = next(part.sentence for part in explanation.components if part.component == "timezone")
    assert (sentence.code, sentence.params) == ("weekly_overlap", {"hours": 2.0, "max_hours": 3.0})


def test_no_common_hour_in_some_week_removes_the_pair() -> None:
    # New York 08:00-09:00: 13-14 UTC in winter (Lagos 14-15: shared), 12-13 UTC in summer (not).
    mentor = Person(
        "mo", country="USA", region="NA", languages=("en",), timezone="America/New_York", availability=((0, 480, 540),)
    )
    cs = generate_candidates([MENTEE], [mentor], _mentoring())
    assert len(cs.edge_left) == 0
    assert [RULE_REASONS[r] for r in cs.excluded_reason.tolist()] == ["no_common_hours"]


def test_same_region_is_a_hard_rule() -> None:
    mentor = Person(
        "mo",
        country="GHA",
        region="SSA",
        languages=("en",),
        timezone="Africa/Lagos",
        availability=MONDAY_AFTERNOON_LAGOS,
    )
    cs = generate_candidates([MENTEE], [mentor], _mentoring())
    assert [RULE_REASONS[r] for r in cs.excluded_reason.tolist()] == ["same_region"]


def test_without_windows_a_person_counts_as_the_working_week() -> None:
    mentor = Person("mo", country="GBR", region="ECA", languages=("en",), timezone="Europe/London")
    cs = generate_candidates([MENTEE], [mentor], _mentoring())
    # Lagos Monday 14-17 (13-16 UTC) against London 9-17 (8-16 or 9-17 UTC): three hours all year.
    assert cs.evidence("me", "mo")["timezone"] == (3.0, 3.0)


def test_weekly_overlap_sentence_without_a_range() -> None:
    sentence = describe_component("timezone", 1.0, (4.0, 4.0))
    assert (sentence.code, sentence.text) == ("weekly_overlap", "4 hours a week in common")


# --- The meeting planner's week, exact across clock changes -------------------------------------

EVERY_DAY_9_TO_12 = tuple((d, 9 * 60, 12 * 60) for d in range(7))


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_sunday_change_moves_that_sundays_slots_in_the_same_week() -> None:
    # London goes from GMT to BST at 01:00 UTC on Sunday 29 March 2026; Lagos stays at UTC+1.
    # London 9-12 is 9-12 UTC Monday to Saturday and 8-11 UTC on Sunday; Lagos 9-12 is 8-11 UTC.
    slots = shared_slots_utc(EVERY_DAY_9_TO_12, "Europe/London", EVERY_DAY_9_TO_12, "Africa/Lagos", date(2026, 3, 25))
    assert slots == (
        *((_utc(2026, 3, day, 9), _utc(2026, 3, day, 11)) for day in range(23, 29)),
        (_utc(2026, 3, 29, 8), _utc(2026, 3, 29, 11)),
    )


def test_the_us_change_back_on_1_november_against_kolkata() -> None:
    # New York Sunday 08:00-10:00 is 12-14 UTC in summer time but 13-15 UTC after 1 November's
    # change; Kolkata (UTC+5:30, no change) Sunday 18:30-20:30 is 13-15 UTC.
    new_york = ((6, 8 * 60, 10 * 60),)
    kolkata = ((6, 18 * 60 + 30, 20 * 60 + 30),)
    slots = shared_slots_utc(new_york, "America/New_York", kolkata, "Asia/Kolkata", date(2026, 10, 26))
    assert slots == ((_utc(2026, 11, 1, 13), _utc(2026, 11, 1, 15)),)
    # and on 8 March, when New York moves forward, the Sunday's shared hours shrink the other way
    slots = shared_slots_utc(new_york, "America/New_York", kolkata, "Asia/Kolkata", date(2026, 3, 2))
    assert slots == ((_utc(2026, 3, 8, 13), _utc(2026, 3, 8, 14)),)


def test_a_change_on_a_friday_moves_only_the_days_after_it() -> None:
    # Cairo moves from UTC+2 to UTC+3 at midnight starting Friday 24 April 2026. Cairo 14-18 is
    # 12-16 UTC until Thursday and 11-15 UTC from Friday; New York 9-12 (EDT) is 13-16 UTC.
    weekdays_cairo = tuple((d, 14 * 60, 18 * 60) for d in range(5))
    weekdays_new_york = tuple((d, 9 * 60, 12 * 60) for d in range(5))
    slots = shared_slots_utc(weekdays_cairo, "Africa/Cairo", weekdays_new_york, "America/New_York", date(2026, 4, 22))
    assert slots == (
        *((_utc(2026, 4, day, 13), _utc(2026, 4, day, 16)) for day in range(20, 24)),
        (_utc(2026, 4, 24, 13), _utc(2026, 4, 24, 15)),
    )


def test_a_window_in_the_skipped_hour_loses_it() -> None:
    # Cairo's clocks jump from 00:00 to 01:00 on Friday 24 April 2026: a Friday 00:00-02:00
    # window is only 01:00-02:00 (UTC+3), that is Thursday 22:00-23:00 UTC.
    slots = shared_slots_utc(((4, 0, 120),), "Africa/Cairo", ((3, 20 * 60, 24 * 60),), "UTC", date(2026, 4, 20))
    assert slots == ((_utc(2026, 4, 23, 22), _utc(2026, 4, 23, 23)),)


def test_a_window_over_the_repeated_hour_has_it_twice() -> None:
    # Cairo's clocks go back from 24:00 to 23:00 on Thursday 29 October 2026: a Thursday 23:00-24:00
    # window is open while the clock shows 23:xx, both times, 20:00-22:00 UTC.
    slots = shared_slots_utc(
        ((3, 23 * 60, 24 * 60),), "Africa/Cairo", ((3, 18 * 60, 24 * 60),), "UTC", date(2026, 10, 28)
    )
    assert slots == ((_utc(2026, 10, 29, 20), _utc(2026, 10, 29, 22)),)


def test_a_bare_utc_offset_has_no_changes() -> None:
    slots = shared_slots_utc(((6, 9 * 60, 12 * 60),), "+05:45", ((6, 0, 24 * 60),), "UTC", date(2026, 3, 25))
    assert slots == ((_utc(2026, 3, 29, 3, 15), _utc(2026, 3, 29, 6, 15)),)


@settings(max_examples=25, deadline=None)
@given(left=person, right=person, on=st.sampled_from([date(2026, 1, 14), date(2026, 6, 10)]))
def test_a_steady_weeks_slots_add_up_to_the_terms_weekly_hours(left, right, on) -> None:
    # The planner and the matching's term-wide summary agree on every week with no clock change.
    (lw, lz), (rw, rz) = left, right
    slots = shared_slots_utc(lw, lz, rw, rz, on)
    hours = sum((b - a).total_seconds() for a, b in slots) / 3600
    summary = pair_overlap(lw, lz, rw, rz, (date(2025, 12, 1), date(2026, 7, 31)))
    (period,) = (p for p in summary.periods if p.start <= on <= p.end)
    assert hours == pytest.approx(period.hours)
