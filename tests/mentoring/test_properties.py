"""Property tests of mentoring's engine set-up (the adapter's scoring config over generated people):
never a pair without a common language or a common hour, capacity never exceeded, and a cascade
never changes accepted pairs."""

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import IndexPairs, cascade, prepare_round, solve
from matching.availability import pair_overlap
from matching.candidates import Person, generate_candidates
from oncoreach.mentoring.matching_adapter import scoring_config
from oncoreach.mentoring.models import MentoringCycle

ZONES = ["Africa/Lagos", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "America/Bogota"]
LANGS = ["en", "es", "fr", "pt"]
CYCLE = MentoringCycle(term_start=dt.date(2027, 3, 1), term_months=12, mentor_outside_region=True)

window = st.tuples(st.integers(0, 6), st.integers(0, 40), st.integers(1, 16)).map(
    lambda t: (t[0], t[1] * 30, min(t[1] * 30 + t[2] * 30, 1440))
)


def person(prefix: str, i: int, data: tuple) -> Person:
    languages, zone, windows, region = data
    return Person(
        id=f"{prefix}{i}",
        country=f"{prefix}{region}",
        region=f"{prefix}-region-{region}",
        languages=tuple(sorted(languages)),
        timezone=zone,
        tags=frozenset({"breast_cancer"}),
        availability=tuple(sorted(set(windows))),
    )


people = st.lists(
    st.tuples(
        st.sets(st.sampled_from(LANGS), min_size=1, max_size=2),
        st.sampled_from(ZONES),
        st.lists(window, min_size=1, max_size=2),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=6,
)


def _non_overlapping(windows):
    out = []
    for w in sorted(set(windows)):
        if out and out[-1][0] == w[0] and w[1] < out[-1][2]:
            continue
        out.append(w)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mentees=people, mentors=people, capacities=st.lists(st.integers(1, 3), min_size=6, max_size=6), data=st.data())
def test_pairs_share_a_language_and_hours_capacity_holds_and_cascade_keeps_accepted(mentees, mentors, capacities, data):
    lefts = [person("e", i, (m[0], m[1], _non_overlapping(m[2]), m[3])) for i, m in enumerate(mentees)]
    rights = [person("r", j, (m[0], m[1], _non_overlapping(m[2]), m[3])) for j, m in enumerate(mentors)]
    config = scoring_config(CYCLE)
    cs = generate_candidates(lefts, rights, config)
    problem = cs.to_problem(capacity=capacities[: len(rights)])
    result = solve(problem)
    by_id = {p.id: p for p in (*lefts, *rights)}
    load: dict[str, int] = {}
    for pair in result.pairs:
        a, b = by_id[pair.left], by_id[pair.right]
        assert set(a.languages) & set(b.languages)
        assert pair_overlap(a.availability, a.timezone, b.availability, b.timezone, config.term).min_hours > 0
        load[pair.right] = load.get(pair.right, 0) + 1
    for j, r in enumerate(rights):
        assert load.get(r.id, 0) <= capacities[j]
    if not result.pairs:
        return
    # Some pairs accepted, some declined: the accepted ones never move.
    flags = data.draw(st.lists(st.booleans(), min_size=len(result.pairs), max_size=len(result.pairs)))
    lpos = {x: i for i, x in enumerate(problem.left_ids)}
    rpos = {x: j for j, x in enumerate(problem.right_ids)}
    accepted = [(lpos[p.left], rpos[p.right]) for p, keep in zip(result.pairs, flags, strict=True) if keep]
    declined = [(lpos[p.left], rpos[p.right]) for p, keep in zip(result.pairs, flags, strict=True) if not keep]

    def pairs(items):
        return IndexPairs(np.asarray([a for a, _ in items], np.int64), np.asarray([b for _, b in items], np.int64))

    out = cascade(prepare_round(problem), accepted=pairs(accepted), declined=pairs(declined), scope="left_alone")
    after = {(lpos[p.left], rpos[p.right]) for p in out.result.pairs}
    assert set(accepted) <= after
    assert not ({(lpos[p.left], rpos[p.right]) for p in out.proposed} & set(declined))
    final_load: dict[int, int] = {}
    for _, j in after:
        final_load[j] = final_load.get(j, 0) + 1
    assert all(final_load[j] <= capacities[j] for j in final_load)
