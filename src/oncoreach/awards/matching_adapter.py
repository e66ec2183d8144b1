"""The bridge between awards and the matching engine (the only module here that imports it):
proposing a mentor for each awardee of a track who has the mentor benefit.

The mentor pool comes from the volunteer layer (``selectors.mentor_pool``: the track's own pool,
or every volunteer who offers to mentor), never from the mentoring app. Each candidate pair is
scored on three components the engine weighs (``ScoringConfig.mentor_pairing``) and puts into
words: a shared language, the same specialty, and the mentor's expertise topics found in the
awardee's project or expertise. The hard rules
(same person, no language in common, conflicts of interest found by calls) come from
``selectors.mentor_pair_blocks``, the one home the confirming service checks too. Staff pins stay
in the answer; staff exclusions are removed as a rule of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from matching import Candidate, Forbidden, LeftItem, PairRef, Problem, RightItem, explain, solve
from matching.candidates import ScoringConfig, topic_interest
from oncoreach.awards import selectors
from oncoreach.awards.models import Benefit, Track
from oncoreach.people.models import Person
from oncoreach.volunteers.fit_words import explanation_record, parts_in_words, reason_in_words
from oncoreach.volunteers.models import VolunteerProfile

EXCLUDED_BY_STAFF = "excluded_by_staff"


def left_key(benefit_id: int) -> str:
    return f"b{benefit_id}"


def right_key(person_id: int) -> str:
    return f"p{person_id}"


@dataclass(frozen=True)
class ProposedPair:
    benefit: Benefit
    mentor: Person
    score: float
    pinned: bool
    parts: list[dict[str, Any]]

    @property
    def value(self) -> str:
        """The pair as a form value: ``<benefit id>:<mentor person id>``."""
        return f"{self.benefit.pk}:{self.mentor.pk}"


@dataclass(frozen=True)
class MentorProposal:
    pairs: list[ProposedPair] = field(default_factory=list)
    unmatched: list[tuple[Benefit, str]] = field(default_factory=list)
    pool_size: int = 0


def _topics(profile: VolunteerProfile | None) -> list[str]:
    return [str(topic).strip() for topic in (profile.expertise if profile else []) if str(topic).strip()]


def _candidate(benefit: Benefit, mentor: VolunteerProfile, config: ScoringConfig) -> Candidate:
    awardee = benefit.award.person
    shared = tuple(sorted(set(awardee.languages or []) & set(mentor.person.languages or [])))
    awardee_text = " ".join(
        [benefit.award.project_title, *_topics(getattr(awardee, "volunteer_profile", None))]
    ).casefold()
    topics = tuple(topic for topic in _topics(mentor) if topic.casefold() in awardee_text)
    specialty = mentor.specialty or mentor.person.specialty
    same = bool(specialty) and specialty == awardee.specialty
    return Candidate(
        left=left_key(benefit.pk),
        right=right_key(mentor.person_id),
        components={
            "language": 1.0 if shared else 0.0,
            "specialty": 1.0 if same else 0.0,
            "interest": topic_interest(len(topics), config),
        },
        evidence={"language": shared, "specialty": specialty or "", "interest": topics},
    )


def propose_mentors(
    *,
    track: Track,
    pinned: Iterable[tuple[int, int]] = (),
    excluded: Iterable[tuple[int, int]] = (),
    config: ScoringConfig | None = None,
) -> MentorProposal:
    """The engine's proposal for the track's awardees waiting for a mentor (nothing is written).
    Scores are the engine's: ``config`` (``ScoringConfig.mentor_pairing()`` by default) holds
    the weights and the topic target; this adapter only maps awardees and mentors to data."""
    config = config or ScoringConfig.mentor_pairing()
    benefits = list(selectors.mentor_benefits_to_pair(track=track))
    profiles = selectors.mentor_pool(track=track)
    if not benefits:
        return MentorProposal(pool_size=len(profiles))
    mentors = {profile.person_id: profile for profile in profiles}
    loads = selectors.mentor_loads(cycle=track.cycle)
    blocks = selectors.mentor_pair_blocks(benefits=benefits, mentors=[p.person for p in profiles])
    excluded_pairs = set(excluded)
    forbidden = [Forbidden(left_key(b), right_key(p), reason) for (b, p), reason in sorted(blocks.items())]
    forbidden += [Forbidden(left_key(b), right_key(p), EXCLUDED_BY_STAFF) for b, p in sorted(excluded_pairs)]
    known = {(b.pk, p) for b in benefits for p in mentors}
    pins = sorted(pair for pair in set(pinned) if pair in known and pair not in blocks and pair not in excluded_pairs)
    problem = Problem(
        lefts=tuple(LeftItem(left_key(b.pk)) for b in benefits),
        rights=tuple(
            RightItem(right_key(pid), capacity=max(0, selectors.MENTEES_PER_MENTOR - loads.get(pid, 0)))
            for pid in mentors
        ),
        candidates=tuple(_candidate(b, profile, config) for b in benefits for profile in profiles),
        forbidden=tuple(forbidden),
        weights=dict(config.weights),
        pinned=tuple(PairRef(left_key(b), right_key(p)) for b, p in pins),
    )
    result = solve(problem)
    by_key = {left_key(b.pk): b for b in benefits}
    explanations = {(e.left, e.right): e for e in explain(problem, result, [left_key(b.pk) for b in benefits])}
    pairs = []
    for pair in result.pairs:
        record = explanation_record(explanations[(pair.left, pair.right)])
        mentor = mentors[int(pair.right[1:])].person
        pairs.append(
            ProposedPair(
                benefit=by_key[pair.left],
                mentor=mentor,
                score=pair.score,
                pinned=pair.pinned,
                parts=parts_in_words(record["parts"]),
            )
        )
    unmatched = [(by_key[u.left], reason_in_words(u.reason, u.params)) for u in result.unmatched]
    return MentorProposal(pairs=pairs, unmatched=unmatched, pool_size=len(profiles))
