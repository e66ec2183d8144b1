"""What makes the full-size round fast keeps its meaning: the bulk read gives the same engine
people as the model path, mirrored mentees are what the services write, the sparse weekly overlap
equals the pair-by-pair one, and the engine's top-n pruning keeps the optimum on an instance
where it prunes (docs/mentoring.md says why it is not exact in general)."""

import dataclasses
import datetime as dt
import random
from collections import Counter

import numpy as np
import pytest

from matching import solve
from matching.availability import WeeklyOverlap, pair_overlap
from matching.candidates import Person, generate_candidates
from oncoreach.calls.models import Application, ApplicationSubmission
from oncoreach.core.models import AuditEvent
from oncoreach.demo.mentoring import add_mentees, add_mentors
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.models import MenteeRequest, MentoringCycle, MentorOffer
from oncoreach.mentoring.services.offers import withdraw_offer
from tests.factories.geo import CountryFactory
from tests.factories.mentoring import make_mentee, make_mentor
from tests.factories.people import PersonFactory

ZONES = ["Africa/Lagos", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"]
TERM = (dt.date(2027, 3, 1), dt.date(2028, 2, 29))


def _windows(rng: random.Random) -> tuple[tuple[int, int, int], ...]:
    start = rng.randint(6, 18)
    return tuple((d, start * 60, min(start + rng.randint(1, 5), 24) * 60) for d in sorted(rng.sample(range(5), 2)))


def _people(rng: random.Random, prefix: str, n: int, n_other: int) -> list[Person]:
    return [
        Person(
            id=f"{prefix}{i}",
            country=f"{prefix}{i % 4}",
            region=f"{prefix}-region",
            languages=tuple(rng.sample(["en", "es", "fr"], rng.randint(1, 2))),
            timezone=rng.choice(ZONES),
            tags=frozenset(rng.sample(["breast", "lung", "trials", "palliative", "surgery", "career"], 2)),
            preferred=tuple(f"o{j}" for j in rng.sample(range(n_other), 2)) if prefix == "q" else (),
            availability=_windows(rng),
        )
        for i in range(n)
    ]


def test_sparse_weekly_overlap_equals_the_pair_by_pair_overlap():
    rng = random.Random(3)
    lefts = [(_windows(rng), rng.choice(ZONES)) for _ in range(40)]
    rights = [(_windows(rng), rng.choice(ZONES)) for _ in range(30)]
    weekly = WeeklyOverlap(
        [w for w, _ in lefts], [z for _, z in lefts], [w for w, _ in rights], [z for _, z in rights], TERM
    )
    block = weekly.block(0, len(lefts))
    for i, (lw, lz) in enumerate(lefts):
        for j, (rw, rz) in enumerate(rights):
            summary = pair_overlap(lw, lz, rw, rz, TERM)
            assert block.min_hours[i, j] == pytest.approx(summary.min_hours)
            assert block.max_hours[i, j] == pytest.approx(summary.max_hours)


def test_top_n_pruning_keeps_the_optimum_where_it_prunes():
    """Every mentee keeps only its 20 best candidates (of up to ~90 allowed), yet the optimum
    equals the one over all candidates. Top-n is not exact in general (a mentee's best mentors
    may all be taken by others): docs/mentoring.md gives the gap measured at 20,000 x 5,000."""
    rng = random.Random(11)
    mentors = _people(rng, "o", 300, 0)
    mentees = _people(rng, "q", 500, 300)
    capacity = [rng.choice([1, 2, 3]) for _ in mentors]
    config = matching_adapter.scoring_config(
        MentoringCycle(term_start=TERM[0], term_months=12, mentor_outside_region=True)
    )
    pruned = generate_candidates(mentees, mentors, dataclasses.replace(config, top_n=20)).to_problem(capacity=capacity)
    full = generate_candidates(mentees, mentors, dataclasses.replace(config, top_n=len(mentors))).to_problem(
        capacity=capacity
    )
    assert np.bincount(full.edge_left).max() > 20 >= np.bincount(pruned.edge_left).max()  # it does prune
    best_pruned, best_full = solve(pruned), solve(full)
    assert sum(p.score for p in best_pruned.pairs) == pytest.approx(sum(p.score for p in best_full.pairs), abs=1e-9)


@pytest.mark.django_db
def test_bulk_read_gives_the_people_the_model_path_gives(mentoring):
    first = make_mentor(mentoring, windows=[(0, 9 * 60, 12 * 60), (2, 8 * 60, 10 * 60)], languages=["en", "es"])
    second = make_mentor(mentoring, capacity=3, time_zone="Europe/London")
    gone = make_mentor(mentoring)
    make_mentee(mentoring, preferences=[second.pk, gone.pk, first.pk], languages=["es"], time_zone="America/Lima")
    make_mentee(mentoring, windows=[(4, 13 * 60, 15 * 60)], goal_type="both")
    withdraw_offer(offer=gone, actor=None)
    people = matching_adapter.read_people(mentoring)
    requests = list(MenteeRequest.objects.filter(cycle=mentoring).order_by("pk"))
    active = {first.pk, second.pk}
    assert people.lefts == [matching_adapter.mentee_person(r, active=active, past=set()) for r in requests]
    offers = MentorOffer.objects.filter(pk__in=active).order_by("pk")
    assert people.rights == [matching_adapter.mentor_person(o) for o in offers]
    assert people.capacity == [2, 3]
    assert people.lefts[0].preferred == (f"o{second.pk}", f"o{first.pk}")
    assert people.ignored_preferences == {
        str(requests[0].pk): [{"rank": 2, "offer": gone.pk, "reason": "mentor_withdrew"}]
    }


@pytest.mark.django_db
def test_mirrored_mentees_are_what_the_services_write(mentoring):
    countries = [CountryFactory(region="SSA"), CountryFactory(region="LCN")]
    mentors = [PersonFactory(is_volunteer=True, country_of_practice=CountryFactory(region="NAC")) for _ in range(3)]
    mentees = [PersonFactory(country_of_practice=countries[i % 2]) for i in range(8)]
    rng = random.Random(5)
    offers = add_mentors(mentoring, 3, rng, people=mentors)
    requests = add_mentees(mentoring, 8, rng, offers, people=mentees, through_services=1)
    assert len(requests) == 8
    apps = list(Application.objects.filter(mentee_request__in=requests).order_by("pk"))
    serviced = {apps[0].applicant_id, apps[1].applicant_id}  # the first of each country
    assert {a.applicant.country_of_practice_id for a in apps[:2]} == {c.pk for c in countries}
    for app in apps:
        assert (app.status, app.current_stage_id, app.submitted_at is not None) == (
            apps[0].status,
            apps[0].current_stage_id,
            True,
        )
        assert ApplicationSubmission.objects.filter(application=app, submitted_at__isnull=False).count() == 1
        actions = Counter(
            AuditEvent.objects.filter(target_id=str(app.pk), target_type__model="application").values_list(
                "action", flat=True
            )
        )
        assert actions == Counter({"calls.application.transition": 2, "calls.application.start": 1})
        assert AuditEvent.objects.filter(
            action="mentoring.request.submit",
            target_id=str(app.mentee_request.pk),
            target_repr__contains=str(app.applicant),
        ).exists()
    assert serviced < {a.applicant_id for a in apps}
    people = matching_adapter.read_people(mentoring)
    assert len(people.lefts) == 8
    assert all(p.availability for p in people.lefts)
