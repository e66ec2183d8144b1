"""Mentoring data built through mentoring's (and calls') services: a cycle, mentors' offers and
mentees' submitted applications, at any size (the benchmark builds 20,000 x 5,000).

People are bulk-inserted (people have no lifecycle); every offer goes through
``save_offer`` and every mentee through ``start_request`` / ``save_request`` / ``submit_request``
(so through calls' ``start_application`` / ``save_draft`` / ``submit_application``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from oncoreach.accounts.enums import Role
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import World
from oncoreach.geo.models import Country
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.enums import FOCUS_AREA_CHOICES, GoalType, Side
from oncoreach.mentoring.models import Evaluation, Match, MatchRun, MentoringCycle, MentorOffer
from oncoreach.mentoring.services import consent, rounds
from oncoreach.mentoring.services.cycle import CycleSetup, create_cycle
from oncoreach.mentoring.services.evaluations import end_terms, evaluation_form, freeze_due_evaluations, save_evaluation
from oncoreach.mentoring.services.offers import OfferData, save_offer
from oncoreach.mentoring.services.requests import RequestData, save_request, start_request, submit_request
from oncoreach.people.enums import LANGUAGE_CODES
from oncoreach.people.models import Person
from oncoreach.programs.forms_engine import questions_for
from oncoreach.programs.models import Cycle, Program

FOCUS = [code for code, _label in FOCUS_AREA_CHOICES]
MENTOR_ZONES = {
    "USA": "America/New_York",
    "CAN": "America/Toronto",
    "GBR": "Europe/London",
    "DEU": "Europe/Berlin",
    "ESP": "Europe/Madrid",
    "FRA": "Europe/Paris",
    "AUS": "Australia/Sydney",
}
MENTEE_ZONES = {
    "NGA": "Africa/Lagos",
    "KEN": "Africa/Nairobi",
    "GHA": "Africa/Accra",
    "IND": "Asia/Kolkata",
    "PER": "America/Lima",
    "COL": "America/Bogota",
    "BRA": "America/Sao_Paulo",
    "VNM": "Asia/Ho_Chi_Minh",
}
LANGUAGES = {
    "ESP": ["es", "en"],
    "FRA": ["fr", "en"],
    "PER": ["es"],
    "COL": ["es", "en"],
    "BRA": ["pt", "en"],
    "DEU": ["de", "en"],
}


def _windows(rng: random.Random, start_hour: int, span: int) -> list[tuple[int, int, int]]:
    days = sorted(rng.sample(range(5), rng.randint(1, 3)))
    start = max(0, min(22, start_hour + rng.randint(-2, 2)))
    return [(d, start * 60, min(start + rng.randint(1, span), 24) * 60) for d in days]


def _people(rng: random.Random, countries: list[Country], n: int, *, volunteer: bool, prefix: str) -> list[Person]:
    rows = []
    for i in range(n):
        country = countries[i % len(countries)]
        rows.append(
            Person(
                given_name=f"{prefix.title()}{i}",
                family_name=rng.choice(["Okafor", "Smith", "García", "Mensah", "Nguyen", "Silva", "Kumar", "Müller"]),
                email=f"{prefix}{i}@mentoring.demo.oncoreach.org",
                country_of_practice=country,
                country_of_residence=country,
                languages=LANGUAGES.get(country.iso3, ["en"]),
                is_volunteer=volunteer,
            )
        )
    return Person.objects.bulk_create(rows, batch_size=2000)


def build_cycle(*, today: dt.date | None = None, actor: object = None, name: str = "Mentoring demo") -> MentoringCycle:
    today = today or timezone.localdate()
    program, _created = Program.objects.get_or_create(
        slug="virtual-mentors", defaults={"name": "Virtual Mentors", "kind": "mentoring"}
    )
    number = Cycle.objects.filter(program=program, name__startswith=name).count() + 1
    label = f"{name} {today.year}" + (f" ({number})" if number > 1 else "")
    cycle = Cycle.objects.create(program=program, name=label, year=today.year, reference_date=today)
    return create_cycle(
        setup=CycleSetup(
            cycle=cycle,
            opens_on=today - dt.timedelta(days=30),
            closes_on=today + dt.timedelta(days=30),
            time_zone="America/New_York",
            term_start=today + dt.timedelta(days=60),
            tracks=["Practising oncologists", "Oncologists in training", "Women in oncology"],
        ),
        actor=actor,
    )


def add_mentors(
    mentoring: MentoringCycle,
    n: int,
    rng: random.Random,
    *,
    tick: Callable[[int], None] | None = None,
    people: list[Person] | None = None,
) -> list[int]:
    if people is None:
        countries = list(Country.objects.filter(iso3__in=MENTOR_ZONES).order_by("iso3"))
        people = _people(rng, countries, n, volunteer=True, prefix=f"mentor{mentoring.pk}x")
    offers = []
    with transaction.atomic():
        for i, person in enumerate(people):
            zone = person.time_zone or MENTOR_ZONES.get(
                person.country_of_practice.iso3 if person.country_of_practice else "", "UTC"
            )
            data = OfferData(
                capacity=rng.choice([1, 2, 3, 3]),
                focus_areas=rng.sample(FOCUS, rng.randint(2, 5)),
                languages=[code for code in person.languages if code in LANGUAGE_CODES] or ["en"],
                years_in_oncology=rng.randint(10, 35),
                time_zone=zone,
                windows=_windows(rng, rng.choice([8, 12, 16]), 4),
                low_resource_experience=rng.random() < 0.4,
                about="Happy to help with clinical questions, research and careers.",
                contact_note=f"Video calls: mentor-{person.pk}",
            )
            offers.append(save_offer(mentoring=mentoring, person=person, data=data, actor=None).pk)
            if tick and i % 500 == 0:
                tick(i)
    return offers


def add_mentees(
    mentoring: MentoringCycle,
    n: int,
    rng: random.Random,
    offers: list[int],
    *,
    tick: Callable[[int], None] | None = None,
    people: list[Person] | None = None,
) -> list[int]:
    if people is None:
        countries = list(Country.objects.filter(iso3__in=MENTEE_ZONES).order_by("iso3"))
        people = _people(rng, countries, n, volunteer=False, prefix=f"mentee{mentoring.pk}x")
    requests = []
    with transaction.atomic():
        for i, person in enumerate(people):
            request = start_request(mentoring=mentoring, person=person)
            zone = person.time_zone or MENTEE_ZONES.get(
                person.country_of_practice.iso3 if person.country_of_practice else "", "UTC"
            )
            data = RequestData(
                goal_type=rng.choice(list(GoalType.values)),
                goals="Build a multidisciplinary clinic and publish our outcomes.",
                focus_areas=rng.sample(FOCUS, rng.randint(1, 3)),
                languages=[code for code in person.languages if code in LANGUAGE_CODES] or ["en"],
                time_zone=zone,
                windows=_windows(rng, rng.choice([9, 14, 18]), 5),
                preferences=rng.sample(offers, min(len(offers), rng.randint(0, 5))),
                contact_note=f"WhatsApp: mentee-{person.pk}",
            )
            save_request(request=request, data=data)
            requests.append(submit_request(request=request, actor=None).pk)
            if tick and i % 1000 == 0:
                tick(i)
    return requests


# --- The demo (seed_demo) -------------------------------------------------------------------


def seed_mentoring(world: World, *, mentors: int, mentees: int) -> dict[str, int]:
    """A published round with pairs in each consent state. The volunteer persona mentors: one
    pairing both accepted (contact details shown), one proposal to answer; the applicant persona
    has a proposal with her to accept."""
    rng = random.Random(world.rng.random())
    staff = world.staff
    mentoring = build_cycle(today=world.today, actor=staff, name="Virtual Mentors")
    grace, kwame = world.cast.person(Role.VOLUNTEER), world.cast.person(Role.APPLICANT)
    grace_offer = save_offer(
        mentoring=mentoring,
        person=grace,
        data=OfferData(
            capacity=3,
            focus_areas=["palliative_care", "career", "teaching"],
            languages=["en", "es"],
            years_in_oncology=25,
            time_zone="America/Chicago",
            windows=[(d, 8 * 60, 12 * 60) for d in range(5)],
            low_resource_experience=True,
            about="Palliative care physician; I have taught in Lima, Accra and Bogotá.",
            contact_note="Video calls on Zoom: grace.whitfield.demo",
        ),
        actor=grace.user,
    ).pk
    pool = [p for p in world.volunteers if p.is_volunteer and p.pk != grace.pk][: max(mentors - 1, 0)]
    offers = [grace_offer, *add_mentors(mentoring, len(pool), rng, people=pool)]
    request = start_request(mentoring=mentoring, person=kwame)
    save_request(
        request=request,
        data=RequestData(
            goal_type=GoalType.BOTH,
            goals="Set up palliative care in our cancer clinic and publish our first outcomes.",
            focus_areas=["palliative_care", "cancer_registries"],
            languages=["en"],
            time_zone="Africa/Accra",
            windows=[(d, 13 * 60, 17 * 60) for d in range(5)],
            preferences=[grace_offer],
            contact_note="WhatsApp: +233 20 000 0000",
        ),
    )
    submit_request(request=request, actor=kwame.user)
    lucia = world.cast.person(Role.MEMBER)
    lmic = [p for p in world.lmic_people if p.pk not in (kwame.pk, lucia.pk)][: max(mentees - 2, 0)]
    requests = add_mentees(mentoring, len(lmic), rng, offers, people=lmic)
    round_ = rounds.open_round(mentoring=mentoring, actor=staff)
    rounds.adjust_pair(round_=round_, request=request, offer=grace_offer_obj(grace_offer), kind="pin", actor=staff)
    # Lucía (the member persona) and Grace both accept: the pairing whose contact details show.
    second = start_request(mentoring=mentoring, person=lucia)
    save_request(
        request=second,
        data=RequestData(
            goal_type=GoalType.CLINICAL,
            goals="Start a palliative care service for women with breast cancer in Lima.",
            focus_areas=["palliative_care", "breast_cancer"],
            languages=["es", "en"],
            time_zone="America/Lima",
            windows=[(d, 9 * 60, 13 * 60) for d in range(5)],
            preferences=[grace_offer],
            contact_note="WhatsApp: +51 900 000 000",
        ),
    )
    submit_request(request=second, actor=lucia.user)
    rounds.adjust_pair(round_=round_, request=second, offer=grace_offer_obj(grace_offer), kind="pin", actor=staff)
    run = rounds.start_engine_run(round_=round_, actor=staff)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    rounds.publish_round(round_=round_, run=MatchRun.objects.get(pk=run.pk), actor=staff)
    counts = {"mentors": len(offers), "mentees": len(requests) + 2, "accepted": 0, "declined": 0, "half": 0}
    for match in Match.objects.filter(round=round_).select_related("round__cycle").order_by("pk"):
        if match.request_id == request.pk:
            continue  # Kwame answers himself
        draw = rng.random()
        if match.request_id == second.pk or draw < 0.4:
            consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
            consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=None)
            counts["accepted"] += 1
        elif draw < 0.55:
            consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
            counts["half"] += 1
        elif draw < 0.65:
            consent.answer_proposal(match=match, side=Side.MENTOR, accept=False, actor=None, reason="No time this year")
            counts["declined"] += 1
    return counts


def grace_offer_obj(pk: int) -> MentorOffer:
    return MentorOffer.objects.get(pk=pk)


# --- A finished cohort: last year's cycle, completed, evaluated, with certificates -------------

USEFULNESS_DRAW = ["5", "5", "4", "4", "4", "3", "2"]
GOALS_DRAW = ["yes", "yes", "partly", "partly", "no"]


def seed_finished_cohort(world: World, *, mentors: int = 8, mentees: int = 12) -> dict[str, int]:
    """Last year's cycle, replayed through the services at the moments it happened: offers and
    applications, a published round both sides accepted, the term started and ended
    (``end_terms``: completed, evaluations asked, mentors' hours credited), most evaluations
    sent, and the late ones frozen. The volunteer persona mentored in it (her certificate)."""
    rng = random.Random(world.today.toordinal())  # its own stream: the rest of the demo stays as it was
    staff = world.staff
    opened = world.today - dt.timedelta(days=520)
    grace = world.cast.person(Role.VOLUNTEER)
    with replay_at(opened):
        mentoring = build_cycle(today=opened, actor=staff, name="Virtual Mentors (first cohort)")
        pool = [p for p in reversed(world.volunteers) if p.is_volunteer and p.pk != grace.pk][: max(mentors - 1, 0)]
        offers = add_mentors(mentoring, len(pool) + 1, rng, people=[grace, *pool])
        taken = {grace.pk, *(p.pk for p in pool), *(world.cast.person(r).pk for r in (Role.APPLICANT, Role.MEMBER))}
        people = [p for p in reversed(world.lmic_people) if p.pk not in taken][:mentees]
        add_mentees(mentoring, len(people), rng, offers, people=people)
        round_ = rounds.open_round(mentoring=mentoring, actor=staff)
        run = rounds.start_engine_run(round_=round_, actor=staff)
        matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
        rounds.publish_round(round_=round_, run=MatchRun.objects.get(pk=run.pk), actor=staff)
        for match in Match.objects.filter(round=round_).select_related("round__cycle").order_by("pk"):
            consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
            consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=None)
    with replay_at(mentoring.term_start):
        consent.start_due_mentorships()
    ended = mentoring.term_end + dt.timedelta(days=1)
    with replay_at(ended):
        completed = end_terms(today=ended)
    fields = {question.key: question.field_name for question in questions_for(evaluation_form())}
    sent = 0
    with replay_at(ended + dt.timedelta(days=6)):
        for evaluation in Evaluation.objects.filter(mentorship__cycle=mentoring).order_by("pk"):
            if rng.random() < 0.2:
                continue  # never answered: frozen empty at the deadline
            values = {
                fields["usefulness"]: rng.choice(USEFULNESS_DRAW),
                fields["goals_met"]: rng.choice(GOALS_DRAW),
                fields["contact"]: rng.choice(USEFULNESS_DRAW),
                fields["comments"]: "Monthly video calls kept us going; we wrote our first protocol together.",
            }
            save_evaluation(evaluation=evaluation, values=values, actor=None)
            sent += 1
    frozen = freeze_due_evaluations()
    return {"completed": completed, "evaluations_sent": sent, "evaluations_frozen": frozen}
