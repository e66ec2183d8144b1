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
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from oncoreach.accounts.enums import Role
from oncoreach.calls.models import Application, ApplicationSubmission
from oncoreach.core.models import AuditEvent
from oncoreach.demo.data import places
from oncoreach.demo.world import World
from oncoreach.geo.models import Country
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.enums import FOCUS_AREA_CHOICES, GoalType, Side
from oncoreach.mentoring.models import (
    Match,
    MatchRun,
    MenteeRequest,
    MentoringCycle,
    MentorOffer,
    Preference,
    RequestWindow,
)
from oncoreach.mentoring.services import consent, rounds
from oncoreach.mentoring.services.cycle import CycleSetup, create_cycle
from oncoreach.mentoring.services.offers import OfferData, save_offer
from oncoreach.mentoring.services.requests import RequestData, save_request, start_request, submit_request
from oncoreach.mentoring.validators import validate_windows
from oncoreach.people.enums import LANGUAGE_CODES
from oncoreach.people.models import Person
from oncoreach.programs.models import Answer, Cycle, Program, ResponseSet

M = TypeVar("M", bound=models.Model)

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


def make_people(rng: random.Random, countries: list[Country], n: int, *, volunteer: bool, prefix: str) -> list[Person]:
    rows = []
    groups = sorted(places.NAME_GROUPS)
    for i in range(n):
        country = countries[i % len(countries)]
        given_names, family_names = places.NAME_GROUPS[rng.choice(groups)]
        rows.append(
            Person(
                given_name=rng.choice(given_names),
                family_name=rng.choice(family_names),
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
        people = make_people(rng, countries, n, volunteer=True, prefix=f"mentor{mentoring.pk}x")
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


def _request_data(rng: random.Random, person: Person, offers: list[int]) -> RequestData:
    zone = person.time_zone or MENTEE_ZONES.get(
        person.country_of_practice.iso3 if person.country_of_practice else "", "UTC"
    )
    return RequestData(
        goal_type=rng.choice(list(GoalType.values)),
        goals="Build a multidisciplinary clinic and publish our outcomes.",
        focus_areas=rng.sample(FOCUS, rng.randint(1, 3)),
        languages=[code for code in person.languages if code in LANGUAGE_CODES] or ["en"],
        time_zone=zone,
        windows=_windows(rng, rng.choice([9, 14, 18]), 5),
        preferences=rng.sample(offers, min(len(offers), rng.randint(0, 5))),
        contact_note=f"WhatsApp: mentee-{person.pk}",
    )


def add_mentees(
    mentoring: MentoringCycle,
    n: int,
    rng: random.Random,
    offers: list[int],
    *,
    tick: Callable[[int], None] | None = None,
    people: list[Person] | None = None,
    through_services: int | None = None,
    batch_size: int = 1000,
) -> list[int]:
    """Submitted (and judged eligible) mentee requests, one transaction per batch.

    Every mentee goes through ``start_request`` / ``save_request`` / ``submit_request`` unless
    ``through_services`` is given (the benchmark): then that many do, at least one per country,
    and the rest are *mirrored* in bulk (see ``mirror_requests``) from the rows the services
    wrote for a mentee of the same country."""
    if people is None:
        countries = list(Country.objects.filter(iso3__in=MENTEE_ZONES).order_by("iso3"))
        people = make_people(rng, countries, n, volunteer=False, prefix=f"mentee{mentoring.pk}x")
    limit = len(people) if through_services is None else min(len(people), through_services)
    serviced, mirrored = list(people[:limit]), []
    countries_seen = {p.country_of_practice_id for p in serviced}
    for person in people[limit:]:  # each country's first mentee goes through the services too
        if person.country_of_practice_id in countries_seen:
            mirrored.append(person)
        else:
            countries_seen.add(person.country_of_practice_id)
            serviced.append(person)
    exemplars: dict[int | None, int] = {}
    requests: list[int] = []
    for start in range(0, len(serviced), batch_size):
        with transaction.atomic():
            for i, person in enumerate(serviced[start : start + batch_size], start=start):
                request = start_request(mentoring=mentoring, person=person)
                save_request(request=request, data=_request_data(rng, person, offers))
                requests.append(submit_request(request=request, actor=None).pk)
                exemplars.setdefault(person.country_of_practice_id, request.pk)
                if tick and i % 1000 == 0:
                    tick(i)
    for start in range(0, len(mirrored), batch_size):
        chunk = mirrored[start : start + batch_size]
        data = [_request_data(rng, person, offers) for person in chunk]
        requests += mirror_requests(mentoring, chunk, data, exemplars)
        if tick:
            tick(len(serviced) + start + len(chunk))
    return requests


def _copy(obj: M, **changes: Any) -> M:
    """An unsaved copy of a row (every concrete field but the key), with ``changes`` by attname."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return type(obj)(**values)


@transaction.atomic
def mirror_requests(
    mentoring: MentoringCycle, people: list[Person], data: list[RequestData], exemplars: dict[int | None, int]
) -> list[int]:
    """Submitted requests for ``people`` written in bulk as the services wrote them for the
    exemplar mentee of the same country (``exemplars``: country id -> request id): the response
    set(s), answers, application (status, stage, eligibility snapshot), submissions, request,
    windows, preferences and audit rows — each with the person's own data, validated by the same
    validators. Not copied: the submission confirmation e-mail (nothing in a round reads it)."""
    shapes = {country: _shape(request_id) for country, request_id in exemplars.items()}
    call = mentoring.call
    apps: list[Application] = []
    sets: list[list[ResponseSet]] = []
    for person, item in zip(people, data, strict=True):
        shape = shapes[person.country_of_practice_id]
        validate_windows(item.windows)
        apps.append(_copy(shape.application, applicant_id=person.pk))
        sets.append([_copy(rs, respondent_id=person.pk) for rs in shape.response_sets])
    Application.objects.bulk_create(apps, batch_size=BULK)
    ResponseSet.objects.bulk_create([rs for row in sets for rs in row], batch_size=BULK)
    answers, submissions, requests = [], [], []
    for person, item, app, rsets in zip(people, data, apps, sets, strict=True):
        shape = shapes[person.country_of_practice_id]
        for rs, old in zip(rsets, shape.response_sets, strict=True):
            answers += [_copy(a, response_set_id=rs.pk) for a in shape.answers.get(old.pk, [])]
        by_old = {old.pk: rs.pk for rs, old in zip(rsets, shape.response_sets, strict=True)}
        submissions += [
            _copy(sub, application_id=app.pk, response_set_id=by_old.get(sub.response_set_id))
            for sub in shape.submissions
        ]
        requests.append(
            _copy(
                shape.request,
                application_id=app.pk,
                cycle_id=mentoring.pk,
                goal_type=item.goal_type,
                goals=item.goals,
                focus_areas=item.focus_areas,
                languages=item.languages,
                time_zone=item.time_zone,
                contact_note=item.contact_note,
            )
        )
    Answer.objects.bulk_create(answers, batch_size=BULK)
    ApplicationSubmission.objects.bulk_create(submissions, batch_size=BULK)
    MenteeRequest.objects.bulk_create(requests, batch_size=BULK)
    RequestWindow.objects.bulk_create(
        (
            RequestWindow(request_id=request.pk, weekday=d, start_minute=s, end_minute=e)
            for request, item in zip(requests, data, strict=True)
            for d, s, e in validate_windows(item.windows)
        ),
        batch_size=BULK,
    )
    Preference.objects.bulk_create(
        (
            Preference(request_id=request.pk, offer_id=offer, rank=rank)
            for request, item in zip(requests, data, strict=True)
            for rank, offer in enumerate(item.preferences, start=1)
        ),
        batch_size=BULK,
    )
    events = []
    for person, app, request in zip(people, apps, requests, strict=True):
        shape = shapes[person.country_of_practice_id]
        app.applicant, app.call = person, call
        request.application, request.cycle = app, mentoring
        for event in shape.events:
            target = app if event.target_type_id == shape.app_type else request
            events.append(_copy(event, target_id=str(target.pk), target_repr=str(target)[:255]))
    AuditEvent.objects.bulk_create(events, batch_size=BULK)
    return [r.pk for r in requests]


BULK = 2000


@dataclass(frozen=True)
class _Shape:
    """The rows the services wrote for one exemplar mentee."""

    application: Application
    response_sets: list[ResponseSet]
    answers: dict[int, list[Answer]]
    submissions: list[ApplicationSubmission]
    request: MenteeRequest
    events: list[AuditEvent]
    app_type: int


def _shape(request_id: int) -> _Shape:
    request = MenteeRequest.objects.select_related("application").get(pk=request_id)
    application = request.application
    submissions = list(ApplicationSubmission.objects.filter(application=application).order_by("pk"))
    response_sets = list(ResponseSet.objects.filter(pk__in=[s.response_set_id for s in submissions]).order_by("pk"))
    answers: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response_set__in=response_sets).order_by("pk"):
        answers.setdefault(answer.response_set_id, []).append(answer)
    app_type = ContentType.objects.get_for_model(Application).pk
    request_type = ContentType.objects.get_for_model(MenteeRequest).pk
    events = list(
        AuditEvent.objects.filter(
            Q(target_type_id=app_type, target_id=str(application.pk))
            | Q(target_type_id=request_type, target_id=str(request.pk))
        ).order_by("pk")
    )
    return _Shape(application, response_sets, answers, submissions, request, events, app_type)


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
