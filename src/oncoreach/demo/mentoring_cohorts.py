"""Mentoring cohorts beyond this year's round, each replayed through the services at the moment
it happened: a cohort in the middle of its year (plans, meetings, check-ins, some at risk, a
re-pairing) and last year's finished cohort (evaluations, certificates, hours). The people,
cycle and round builders they use are in ``demo.mentoring``."""

from __future__ import annotations

import datetime as dt
import random

from oncoreach.accounts.enums import Role
from oncoreach.accounts.models import User
from oncoreach.calls.models import Application
from oncoreach.demo.clock import replay_at
from oncoreach.demo.mentoring import (
    FOCUS,
    MENTEE_ZONES,
    MENTOR_ZONES,
    add_mentees,
    add_mentors,
    build_cycle,
    make_people,
)
from oncoreach.demo.world import World
from oncoreach.geo.models import Country
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.enums import CheckInAnswer, GoalType, Side
from oncoreach.mentoring.models import (
    CheckIn,
    Evaluation,
    Match,
    MatchRun,
    MentoringCycle,
    MentorOffer,
    Mentorship,
)
from oncoreach.mentoring.services import consent, rounds
from oncoreach.mentoring.services.checkins import answer_checkin, send_monthly_checkins
from oncoreach.mentoring.services.evaluations import (
    end_terms,
    evaluation_form,
    extend_evaluation,
    freeze_due_evaluations,
    save_evaluation,
)
from oncoreach.mentoring.services.offers import OfferData, save_offer
from oncoreach.mentoring.services.repairing import end_mentorship
from oncoreach.mentoring.services.requests import RequestData, save_request, start_request, submit_request
from oncoreach.mentoring.services.year import comment_on_plan, log_meeting, save_plan
from oncoreach.people.enums import LANGUAGE_CODES
from oncoreach.programs.forms_engine import questions_for

# --- The mentorship year (its own stage: evaluations add theirs beside it) --------------------

PLAN_GOALS = [
    "Set up a weekly multidisciplinary tumour board and audit its decisions.",
    "Write and submit our first protocol for a registry-based study.",
    "Build a palliative care pathway for patients with advanced disease.",
]


def _cohort_people(mentoring: MentoringCycle, rng: random.Random, *, mentors: int, mentees: int) -> None:
    """Mentors (two mentees each) and mentees with long working days in English: every pair has
    hours in common, so the engine pairs everyone and has a next best for a re-pairing."""
    mentor_countries = list(Country.objects.filter(iso3__in=MENTOR_ZONES).order_by("iso3"))
    mentee_countries = list(Country.objects.filter(iso3__in=MENTEE_ZONES).order_by("iso3"))
    prefix = f"cohort{mentoring.pk}"
    offers = []
    for person in make_people(rng, mentor_countries, mentors, volunteer=True, prefix=f"{prefix}mentor"):
        iso3 = person.country_of_practice.iso3 if person.country_of_practice else ""
        offer_data = OfferData(
            capacity=2,
            focus_areas=rng.sample(FOCUS, 3),
            languages=sorted({"en", *person.languages} & set(LANGUAGE_CODES)),
            years_in_oncology=rng.randint(12, 30),
            time_zone=MENTOR_ZONES.get(iso3, "UTC"),
            windows=[(d, 6 * 60, 20 * 60) for d in range(5)],
            about="Clinical and research mentoring; I have worked in low-resource settings.",
            contact_note=f"Video calls: cohort-mentor-{person.pk}",
        )
        offers.append(save_offer(mentoring=mentoring, person=person, data=offer_data, actor=None).pk)
    for person in make_people(rng, mentee_countries, mentees, volunteer=False, prefix=f"{prefix}mentee"):
        iso3 = person.country_of_practice.iso3 if person.country_of_practice else ""
        request = start_request(mentoring=mentoring, person=person)
        data = RequestData(
            goal_type=rng.choice(list(GoalType.values)),
            goals="Build a multidisciplinary clinic and publish our outcomes.",
            focus_areas=rng.sample(FOCUS, 2),
            languages=sorted({"en", *person.languages} & set(LANGUAGE_CODES)),
            time_zone=MENTEE_ZONES.get(iso3, "UTC"),
            windows=[(d, 8 * 60, 18 * 60) for d in range(5)],
            preferences=rng.sample(offers, 2),
            contact_note=f"WhatsApp: cohort-mentee-{person.pk}",
        )
        save_request(request=request, data=data)
        submit_request(request=request, actor=None)


def seed_mentorship_year(world: World, *, mentors: int = 9, mentees: int = 12) -> dict[str, int]:
    """A cohort whose term began about four months ago, replayed through the services at the
    moment each step happened: applications, a published round, both sides accepting, then
    plans with milestones and the mentor's comments, meetings logged, and this month's check-ins.
    About a third is at risk: no meeting in the last six weeks, or a check-in "not going well"."""
    rng = random.Random(world.rng.random())
    staff = world.staff
    opened = world.today - dt.timedelta(days=200)
    with replay_at(opened):
        mentoring = build_cycle(today=opened, actor=staff, name="Virtual Mentors cohort")
        _cohort_people(mentoring, rng, mentors=mentors, mentees=mentees)
    with replay_at(opened + dt.timedelta(days=35)):
        _run_round_all_accept(mentoring, staff)
    consent.start_due_mentorships(today=world.today)
    pairs = list(
        Mentorship.objects.filter(cycle=mentoring).select_related("mentee__user", "mentor__user").order_by("pk")
    )
    at_risk: set[int] = set()
    meetings = 0
    for i, mentorship in enumerate(pairs):
        start = mentorship.starts_on
        save_plan(
            mentorship=mentorship,
            goals=PLAN_GOALS[i % len(PLAN_GOALS)],
            milestones=[
                (start + dt.timedelta(days=60), "Agree the project and its first steps"),
                (start + dt.timedelta(days=180), "Present the first results to the department"),
                (mentorship.ends_on - dt.timedelta(days=14), "Write up what we achieved this year"),
            ],
            actor=mentorship.mentee.user,
        )
        comment_on_plan(
            mentorship=mentorship,
            author=mentorship.mentor,
            body="A good plan. Let us agree on one measurable outcome for each milestone.",
            actor=mentorship.mentor.user,
        )
        silent = i % 3 == 1  # no meeting in the last six weeks
        last_gap = 60 if silent else rng.randint(3, 20)
        for k in range(3):
            held_on = world.today - dt.timedelta(days=last_gap + 21 * k)
            if held_on < start:
                break
            log_meeting(
                mentorship=mentorship,
                person=mentorship.mentee if k % 2 else mentorship.mentor,
                held_on=held_on,
                minutes=rng.choice([30, 45, 60]),
                topic=["Project plan", "Case discussion", "Abstract draft"][k],
                actor=None,
                today=world.today,
            )
            meetings += 1
        if silent:
            at_risk.add(mentorship.pk)
    send_monthly_checkins(today=world.today)
    for i, mentorship in enumerate(pairs):
        unhappy = i % 3 == 2
        for checkin in CheckIn.objects.filter(mentorship=mentorship):
            if unhappy or rng.random() < 0.6:
                answer = CheckInAnswer.NOT_GOING_WELL if unhappy else CheckInAnswer.GOING_WELL
                answer_checkin(checkin=checkin, answer=answer)
        if unhappy:
            at_risk.add(mentorship.pk)
    # Staff ended the first unhappy pairing and asked the engine for a new mentor (re-pairing);
    # the other unhappy ones stay on the at-risk list.
    ended = 0
    if len(pairs) >= 6:
        first_unhappy = pairs[2]
        end_mentorship(
            mentorship=first_unhappy,
            reason="The mentee changed hospital and needs a mentor in another field.",
            repair=True,
            actor=staff,
        )
        # The worker runs the cascade after commit; the demo runs it now, so the new proposal is there.
        matching_adapter.compute_cascade(first_unhappy.match.round, actor=staff)
        at_risk.discard(first_unhappy.pk)
        ended = 1
    return {"mentorships": len(pairs), "meetings": meetings, "at_risk": len(at_risk), "re_paired": ended}


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
        # The volunteer persona keeps long weekday hours and offers every language she speaks, so
        # the engine pairs her (her certificate and story prompt are part of her login's promise).
        mine = MentorOffer.objects.get(pk=offers[0])
        save_offer(
            mentoring=mentoring,
            person=grace,
            data=OfferData(
                capacity=1,
                focus_areas=mine.focus_areas,
                languages=sorted({*mine.languages, *(set(grace.languages) & set(LANGUAGE_CODES)), "en", "es"}),
                years_in_oncology=mine.years_in_oncology,
                time_zone=mine.time_zone,
                windows=[(day, 5 * 60, 22 * 60) for day in range(6)],
                low_resource_experience=True,
                about=mine.about,
                contact_note=mine.contact_note,
            ),
            actor=None,
        )
        taken = {grace.pk, *(p.pk for p in pool), *(world.cast.person(r).pk for r in (Role.APPLICANT, Role.MEMBER))}
        # Nobody the volunteer persona reviews: a past mentorship is a conflict of interest, and
        # would hide their applications from her review list.
        taken |= set(Application.objects.filter(assignments__reviewer=grace).values_list("applicant_id", flat=True))
        people = [p for p in reversed(world.lmic_people) if p.pk not in taken][:mentees]
        add_mentees(mentoring, len(people), rng, offers, people=people)
        _run_round_all_accept(mentoring, staff)
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
            if evaluation.person_id == grace.pk and evaluation.side == Side.MENTOR:
                continue  # hers is still to write (below)
            values = {
                fields["usefulness"]: rng.choice(USEFULNESS_DRAW),
                fields["goals_met"]: rng.choice(GOALS_DRAW),
                fields["contact"]: rng.choice(USEFULNESS_DRAW),
                fields["comments"]: "Monthly video calls kept us going; we wrote our first protocol together.",
            }
            save_evaluation(evaluation=evaluation, values=values, actor=None)
            sent += 1
    # Staff gave the volunteer persona more time: her login promises the evaluation she still
    # has to write, so the "tell us how it went" e-mail leads to an open form.
    her_evaluation = Evaluation.objects.filter(mentorship__cycle=mentoring, person=grace, side=Side.MENTOR).first()
    if her_evaluation is not None:
        extend_evaluation(
            evaluation=her_evaluation,
            due_by=dt.datetime.combine(world.today + dt.timedelta(days=14), dt.time(23, 59), tzinfo=dt.UTC),
            actor=staff,
        )
    frozen = freeze_due_evaluations()
    return {"completed": completed, "evaluations_sent": sent, "evaluations_frozen": frozen}


def _run_round_all_accept(mentoring: MentoringCycle, staff: User) -> None:
    """A round run by the engine and published through the services, every proposal accepted by
    both sides (the cohorts' pairs as they were made)."""
    round_ = rounds.open_round(mentoring=mentoring, actor=staff)
    run = rounds.start_engine_run(round_=round_, actor=staff)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    rounds.publish_round(round_=round_, run=MatchRun.objects.get(pk=run.pk), actor=staff)
    for match in Match.objects.filter(round=round_).select_related("round__cycle").order_by("pk"):
        consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
        consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=None)
