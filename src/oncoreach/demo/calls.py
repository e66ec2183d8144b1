"""Demo calls for applications: two open (an award, a grant with a letter of intent first), one
decided a few weeks ago with two applications still to decide, and last year's award.

Every application goes through ``calls.services`` at the moment it happened (``replay_at``):
start, answers, referees, submission with its eligibility judgement, reviewer assignment, reviews,
shortlists and decisions, each with its audit row and e-mail. The demo applicant has one
application in each state; the demo volunteer has applications to review; program staff have
applications to shortlist and to decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from oncoreach.accounts.enums import Role
from oncoreach.calls import services
from oncoreach.calls.enums import ApplicationStatus, AssignmentStatus, CallKind, StageKind
from oncoreach.calls.models import Application, Call, ReviewAssignment, RubricCriterion
from oncoreach.calls.services_setup import StageSetup, add_panel_reviewer, set_stages, simple_stages
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import LMIC, World
from oncoreach.people.models import Person
from oncoreach.programs.forms_engine import create_form_definition
from oncoreach.programs.models import Cycle, FormDefinition

S = ApplicationStatus

AWARD_FORM = "Award application (demo)"
HOST_FORM = "Host application (demo)"
FULL_APPLICATION_FORM = "Full grant application (demo)"
RUBRIC = (
    ("Potential impact at home", "Will the applicant's patients and colleagues benefit?", 2),
    ("Feasibility", "Can the plan be done with the time and resources described?", 1),
    ("Commitment and track record", "What has the applicant already built?", 1),
)
REVIEW_COMMENTS = (
    "A clear, realistic plan with a named local mentor. The budget for the registry software needs detail.",
    "Strong motivation and a well-defined clinical problem; the evaluation plan is thin.",
    "Good fit for the award. I would like to see how the unit keeps the work going afterwards.",
    "Ambitious; the timeline for the second year seems optimistic.",
)
PROJECTS = (
    ("A hospital-based cancer registry", "We will record every new cancer case with one form and one workflow."),
    ("Same-day cervical screening", "Screen-and-treat visits in three district clinics, with nurse training."),
    ("A weekly tumor board", "Surgeons, pathologists and oncologists meeting every Tuesday over real cases."),
    ("Oral morphine at home", "A supply chain and a nurse-led protocol for patients who cannot travel."),
    ("Breast cancer navigation", "Navigators who follow each patient from biopsy to the end of treatment."),
    ("Chemotherapy safety", "Double-checking and pharmacy preparation standards for a busy day unit."),
)


@dataclass(frozen=True)
class CallPlan:
    slug: str
    program: str
    title: str
    opens: int  # days from today
    closes: int
    kind: str = CallKind.AWARD
    description: str = ""
    career_stages: tuple[str, ...] = ()
    reference_letters: int = 0
    reviews: int = 2
    extra_stages: tuple[str, ...] = ()
    excludes_prior_awardees: bool = False
    #: The grant's shape: letter of intent → its review → full application by invitation →
    #: external review → committee → decision.
    letter_of_intent_first: bool = False


IDEA_NOW = CallPlan(
    "idea-award-next",
    "international-development-and-education-award",
    "International Development and Education Award {year}",
    opens=-30,
    closes=45,
    description="A year of mentoring, the Annual Meeting and a visit to the mentor's institution.",
    career_stages=("trainee", "early"),
    reference_letters=1,
    excludes_prior_awardees=True,
)
GRANT_NOW = CallPlan(
    "innovation-grant-next",
    "international-innovation-grant",
    "International Innovation Grant {year}",
    opens=-60,
    closes=20,
    description="Grants for resource-appropriate projects: a letter of intent first; after its review, "
    "invited applicants send a full application.",
    letter_of_intent_first=True,
)
PCDA_DECIDED = CallPlan(
    "palliative-care-award-decided",
    "palliative-care-development-award",
    "Palliative Care Development Award {year}",
    opens=-170,
    closes=-80,
    description="For clinicians building palliative care services in their countries.",
)
IDEA_LAST_YEAR = CallPlan(
    "idea-award-last-year",
    "international-development-and-education-award",
    "International Development and Education Award {year}",
    opens=-430,
    closes=-340,
    description="A year of mentoring, the Annual Meeting and a visit to the mentor's institution.",
    career_stages=("trainee", "early"),
)


# --- Calls (configuration) ---------------------------------------------------------------------


def award_form() -> FormDefinition:
    existing = FormDefinition.objects.filter(name=AWARD_FORM).first()
    return existing or create_form_definition(
        name=AWARD_FORM,
        questions=[
            {"kind": "short_text", "label": "Project title"},
            {"kind": "long_text", "label": "What will you do, and for whom?", "max_words": 300},
            {"kind": "long_text", "label": "How will this change your practice?", "max_words": 200},
        ],
    )


def full_application_form() -> FormDefinition:
    existing = FormDefinition.objects.filter(name=FULL_APPLICATION_FORM).first()
    return existing or create_form_definition(
        name=FULL_APPLICATION_FORM,
        questions=[
            {"kind": "long_text", "label": "Aims and methods", "max_words": 500},
            {"kind": "long_text", "label": "Budget and its justification", "max_words": 300},
        ],
    )


def host_form() -> FormDefinition:
    existing = FormDefinition.objects.filter(name=HOST_FORM).first()
    return existing or create_form_definition(
        name=HOST_FORM,
        questions=[
            {"kind": "long_text", "label": "Why would your institution like to host this course?", "max_words": 200},
            {"kind": "long_text", "label": "Rooms, equipment and local faculty available", "max_words": 200},
        ],
    )


def make_call(world: World, plan: CallPlan, *, form: FormDefinition, reviewers: Sequence[Person] = ()) -> Call:
    """A call as program staff set it up (eligibility rules, rubric, reviewer panel).

    Calls are configuration, made in the Django admin today; there is no call set-up service yet.
    """
    opens = dt.datetime.combine(world.days(plan.opens), dt.time(9), tzinfo=dt.UTC)
    closes = dt.datetime.combine(world.days(plan.closes), dt.time(23, 59), tzinfo=dt.UTC)
    year = world.days(plan.opens + 180).year  # the award year: calls open in the year before
    program = world.programs[plan.program]
    cycle, _created = Cycle.objects.get_or_create(
        program=program,
        year=year,
        defaults={"name": f"{program.name} {year}", "reference_date": world.days(plan.opens)},
    )
    call = Call(
        cycle=cycle,
        title=plan.title.format(year=year),
        slug=f"{program.slug}-{year}"[:120],
        kind=plan.kind,
        description=plan.description,
        eligible_income_groups=list(LMIC),
        allowed_career_stages=list(plan.career_stages),
        reference_letters_required=plan.reference_letters,
        prior_award_years=3 if plan.excludes_prior_awardees else 0,
    )
    call.full_clean()
    call.save()
    if plan.letter_of_intent_first:
        stages = [
            StageSetup("letter_of_intent", "Letter of intent", StageKind.SUBMISSION, form, opens, closes),
            StageSetup("loi_review", "Letter of intent review", StageKind.REVIEW, reviews_per_application=plan.reviews),
            StageSetup(
                "full_application",
                "Full application",
                StageKind.SUBMISSION,
                full_application_form(),
                closes,
                closes + dt.timedelta(days=60),
                by_invitation=True,
            ),
            StageSetup("external_review", "External review", StageKind.REVIEW, reviews_per_application=plan.reviews),
            StageSetup("committee", "Grants committee", StageKind.COMMITTEE),
            StageSetup("decision", "Decision", StageKind.DECISION),
        ]
    else:
        stages = simple_stages(
            form=form,
            opens_at=opens,
            closes_at=closes,
            reviews_per_application=plan.reviews,
            extra_stages=plan.extra_stages,
        )
    set_stages(call=call, stages=stages)
    if plan.excludes_prior_awardees:
        call.prior_award_programs.set([program])
    review_stage = call.first_review_stage
    if plan.reviews and review_stage is not None:
        RubricCriterion.objects.bulk_create(
            RubricCriterion(stage=review_stage, name=name, description=text, weight=weight, scale_max=5, order=order)
            for order, (name, text, weight) in enumerate(RUBRIC)
        )
    for reviewer in reviewers:
        add_panel_reviewer(call=call, person=reviewer, actor=world.staff)
    return call


# --- Applying ----------------------------------------------------------------------------------


def answers(world: World, form: FormDefinition, *, complete: bool = True) -> dict[str, str]:
    title, summary = world.rng.choice(PROJECTS)
    texts = [title, summary, "I will teach what I learn to the residents and nurses of my unit."]
    fields = [question.field_name for question in world.questions(form)]
    values = dict(zip(fields, texts, strict=False))
    return values if complete else dict(list(values.items())[:1])


def apply(
    world: World,
    call: Call,
    person: Person,
    *,
    on: dt.date,
    submit: bool = True,
    referee: tuple[str, str] | None = None,
) -> Application:
    """One person applies on day ``on``: draft, answers, referee, and (usually) submission, which
    judges eligibility at once."""
    with replay_at(on):
        application = services.start_application(call=call, person=person)
        form = application.response_set.form  # type: ignore[union-attr]
        services.save_draft(application=application, values=answers(world, form, complete=submit))
        for _ in range(call.reference_letters_required or (1 if referee else 0)):
            name, email = referee or _referee(world, person)
            services.request_reference(
                application=application, referee_name=name, referee_email=email, actor=person.user
            )
        if submit:
            services.submit_application(application=application, actor=person.user)
    application.refresh_from_db()
    return application


def _referee(world: World, person: Person) -> tuple[str, str]:
    number = world.rng.randrange(1000, 9999)
    return f"Dr. Referee {number}", f"referee.{person.pk}.{number}@example.org"


def review(world: World, assignment: ReviewAssignment, *, on: dt.date, submit: bool = True) -> None:
    """The reviewer accepts, and (when ``submit``) scores the application against the rubric."""
    reviewer = assignment.reviewer
    with replay_at(on):
        services.respond_to_assignment(assignment=assignment, accept=True, actor=reviewer.user)
        if submit:
            criteria = RubricCriterion.objects.filter(stage_id=assignment.stage_id)
            services.record_review(
                assignment=assignment,
                scores={str(criterion.pk): world.rng.randint(2, 5) for criterion in criteria},
                comment=world.rng.choice(REVIEW_COMMENTS),
                actor=reviewer.user,
            )


def assign(world: World, application: Application, reviewers: Sequence[Person], *, on: dt.date) -> list[Any]:
    """Staff propose reviewers for an application (each gets an e-mail); conflicts are skipped."""
    made = []
    with replay_at(on):
        for reviewer in reviewers:
            try:
                made.append(services.assign_reviewer(application=application, reviewer=reviewer, actor=world.staff))
            except ValidationError:
                continue
    return made


# --- The calls ---------------------------------------------------------------------------------


def seed_calls(world: World) -> dict[str, int]:
    """All demo calls with their applications; returns counts for the seeder's report."""
    form = award_form()
    grace = world.cast.person(Role.VOLUNTEER)
    kwame = world.cast.person(Role.APPLICANT)
    panel = [grace, *[p for p in world.faculty if p.pk != grace.pk][:5]]
    applicants = [p for p in world.lmic_people if p.career_stage in ("trainee", "early")]
    others = [p for p in world.lmic_people if p.career_stage not in ("trainee", "early")]
    calls = {
        "last_year": make_call(world, IDEA_LAST_YEAR, form=form, reviewers=panel),
        "decided": make_call(world, PCDA_DECIDED, form=form, reviewers=panel[1:]),
        "grant": make_call(world, GRANT_NOW, form=form, reviewers=panel[1:]),
        "idea": make_call(world, IDEA_NOW, form=form, reviewers=panel),
    }
    steps = 48
    with world.progress("calls and reviews", steps) as progress:
        awardees = _last_year(
            world, calls["last_year"], people=world.sample(applicants, 6), kwame=kwame, grace=grace, panel=panel
        )
        progress.advance(12)
        _decided(world, calls["decided"], world.sample(applicants, 7), kwame, panel[1:])
        progress.advance(12)
        _grant(world, calls["grant"], world.sample(applicants, 5), kwame, panel[1:])
        progress.advance(12)
        _idea_now(
            world,
            calls["idea"],
            people=world.sample(applicants, 9),
            past_awardees=awardees[:1],
            too_senior=others[:2],
            kwame=kwame,
            grace=grace,
            panel=panel,
        )
        progress.advance(12)
    world.made["calls"] = calls
    return {
        "calls": len(calls),
        "applications": Application.objects.filter(call__in=calls.values()).count(),
        "reviews": ReviewAssignment.objects.filter(
            application__call__in=calls.values(), status=AssignmentStatus.SUBMITTED
        ).count(),
    }


def _reviewers_for(world: World, panel: Sequence[Person], count: int, *, exclude: Person | None = None) -> list[Person]:
    choices = [p for p in panel if p != exclude]
    return world.rng.sample(choices, min(count, len(choices)))


def _last_year(
    world: World, call: Call, *, people: list[Person], kwame: Person, grace: Person, panel: Sequence[Person]
) -> list[Person]:
    """Last year's award, fully decided: the demo applicant was not selected. Returns the awardees."""
    applications = [apply(world, call, person, on=world.days(-420 + n)) for n, person in enumerate(people)]
    applications.append(apply(world, call, kwame, on=world.days(-400)))
    eligible = [a for a in applications if a.status == S.ELIGIBLE]
    for application in eligible:
        reviewers = _reviewers_for(world, panel, 2)
        if grace not in reviewers and application.applicant == kwame:
            reviewers = [grace, *reviewers[:1]]
        for assignment in assign(world, application, reviewers, on=world.days(-335)):
            review(world, assignment, on=world.days(-325))
    ranked = sorted(eligible, key=lambda a: (a.applicant != kwame, a.pk))
    awardees = []
    for position, application in enumerate(ranked):
        with replay_at(world.days(-310)):
            if position < 5:
                services.move_application(application=application, to=S.SHORTLISTED, actor=world.staff)
            else:
                services.decide_application(application=application, outcome=S.REJECTED, actor=world.staff)
        if position < 5:
            outcome = S.ACCEPTED if 1 <= position <= 3 else S.REJECTED  # the demo applicant is first: not selected
            with replay_at(world.days(-300)):
                services.decide_application(application=application, outcome=outcome, actor=world.staff)
            if outcome == S.ACCEPTED:
                awardees.append(application.applicant)
    return awardees


def _decided(world: World, call: Call, people: list[Person], kwame: Person, panel: Sequence[Person]) -> None:
    """Decided last month, except two shortlisted applications staff still have to decide.
    The demo applicant's application is accepted (the offer can still be declined)."""
    applications = [apply(world, call, person, on=world.days(-160 + 3 * n)) for n, person in enumerate(people)]
    applications.insert(0, apply(world, call, kwame, on=world.days(-150)))
    eligible = [a for a in applications if a.status == S.ELIGIBLE]
    for application in eligible:
        for assignment in assign(world, application, _reviewers_for(world, panel, 2), on=world.days(-75)):
            review(world, assignment, on=world.days(-65))
    for position, application in enumerate(eligible):
        with replay_at(world.days(-50)):
            if position < 5:
                services.move_application(application=application, to=S.SHORTLISTED, actor=world.staff)
            else:
                services.decide_application(application=application, outcome=S.REJECTED, actor=world.staff)
        if position < 3:
            outcome = S.REJECTED if position == 2 else S.ACCEPTED
            note = "Congratulations. Program staff will write about the visit and the payment." if position < 2 else ""
            with replay_at(world.days(-40)):
                services.decide_application(application=application, outcome=outcome, actor=world.staff, note=note)


def _grant(world: World, call: Call, people: list[Person], kwame: Person, panel: Sequence[Person]) -> None:
    """Open, with a letter-of-intent stage: the first review is done for some applications and the
    demo applicant (and one other) are invited to send a letter of intent."""
    applications = [apply(world, call, kwame, on=world.days(-50))]
    applications += [apply(world, call, person, on=world.days(-45 + 4 * n)) for n, person in enumerate(people)]
    eligible = [a for a in applications if a.status == S.ELIGIBLE]
    for position, application in enumerate(eligible):
        for assignment in assign(world, application, _reviewers_for(world, panel, 2), on=world.days(-12)):
            review(world, assignment, on=world.days(-6), submit=position < 4)
    for application in eligible[:2]:
        with replay_at(world.days(-2)):
            services.advance_application(application=application, actor=world.staff)


def _idea_now(
    world: World,
    call: Call,
    *,
    people: list[Person],
    past_awardees: list[Person],
    too_senior: list[Person],
    kwame: Person,
    grace: Person,
    panel: Sequence[Person],
) -> None:
    """Open now: drafts (the demo applicant's among them, a referee named), ineligible applications
    (too senior, or an awardee of last year's call), and applications under review, three of them
    assigned to the demo volunteer: one to accept or decline, one to score, one already scored."""
    people = [person for person in people if person not in past_awardees]
    apply(world, call, kwame, on=world.days(-3), submit=False, referee=("Dr. Ama Owusu", "ama.owusu@example.org"))
    for n, person in enumerate(people[:3]):
        apply(world, call, person, on=world.days(-20 + n), submit=False)
    for n, person in enumerate([*past_awardees, *too_senior]):
        apply(world, call, person, on=world.days(-25 + n))
    applications = [apply(world, call, person, on=world.days(-28 + 2 * n)) for n, person in enumerate(people[3:])]
    eligible = [a for a in applications if a.status == S.ELIGIBLE]
    others = [p for p in panel if p != grace]
    for position, application in enumerate(eligible):
        reviewers = [grace, *world.rng.sample(others, 1)] if position < 3 else world.rng.sample(others, 2)
        for assignment in assign(world, application, reviewers, on=world.days(-8)):
            if assignment.reviewer == grace:
                if position == 1:
                    with replay_at(world.days(-5)):
                        services.respond_to_assignment(assignment=assignment, accept=True, actor=grace.user)
                elif position == 2:
                    review(world, assignment, on=world.days(-4))
                continue
            if position >= 3 or world.rng.random() < 0.5:
                review(world, assignment, on=world.days(-world.rng.randrange(1, 6)))
    # The demo reviewer: one request to answer, one accepted to score.
    reviewer = world.cast.person("reviewer")
    for position, application in enumerate(eligible[3:5]):
        for assignment in assign(world, application, [reviewer], on=world.days(-6)):
            if position == 1:
                with replay_at(world.days(-5)):
                    services.respond_to_assignment(assignment=assignment, accept=True, actor=reviewer.user)
