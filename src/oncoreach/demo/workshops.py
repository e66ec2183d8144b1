"""Demo courses: past ones (staffed, held, attended, evaluated, followed up a year later), coming
ones (registration open, faculty invited, travel booked), a course in planning made by approving a
host application, and host applications waiting for staff.

Everything goes through the workshops and calls services at the moment it happened
(``replay_at``): the history is the one the rules would have produced, with its audit rows and
e-mails. The demo logins get the courses their login line promises: the member attended a
workshop in Lima (certificate, evaluation to fill in) and has a place in Bogotá; the volunteer
taught in Lima, has a booked trip to Bogotá with a visa letter and an invitation to Kampala to
answer; the applicant waits for a decision on a course in Ghana.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from oncoreach.accounts.enums import Role
from oncoreach.calls.enums import ApplicationStatus, CallKind
from oncoreach.demo.calls import CallPlan, apply, host_form, make_call
from oncoreach.demo.clock import replay_at
from oncoreach.demo.people import hospital_in
from oncoreach.demo.world import World, organization_of
from oncoreach.people.models import Organization, Person
from oncoreach.workshops import matching_adapter, services
from oncoreach.workshops.enums import (
    FOLLOWUP_AFTER_DAYS,
    ROLES_FOR_SPECIALTY,
    BookingStatus,
    CourseStatus,
    CourseType,
    FacultyRole,
    InvitationStatus,
    ReimbursementStatus,
)
from oncoreach.workshops.models import Course, CourseTemplate, FacultyInvitation, FacultySlot, Module, Registration

MODULES = [
    ("breast-cancer", "Breast cancer"),
    ("cervical-cancer", "Cervical cancer"),
    ("colorectal-cancer", "Colorectal cancer"),
    ("lung-cancer", "Lung cancer"),
    ("head-and-neck-cancer", "Head and neck cancer"),
    ("tumor-boards", "Running a multidisciplinary tumor board"),
    ("trial-design", "Clinical trial design"),
    ("biostatistics", "Biostatistics for trialists"),
    ("protocol-writing", "Writing a protocol"),
    ("critical-appraisal", "Critical appraisal of published trials"),
    ("pain-management", "Pain assessment and management"),
    ("breaking-bad-news", "Communication: breaking bad news"),
    ("symptom-management", "Symptom management"),
]

# Course type: (template name, program slug, days, modules, faculty roles).
TEMPLATES: dict[str, tuple[str, str, int, list[str], list[FacultyRole]]] = {
    CourseType.CLINICAL_TRIALS: (
        "Clinical Trials Workshop",
        "clinical-trials-workshop",
        2,
        ["trial-design", "biostatistics", "protocol-writing", "critical-appraisal"],
        [FacultyRole.MEDICAL_ONCOLOGIST, FacultyRole.BIOSTATISTICIAN, FacultyRole.MEDICAL_ONCOLOGIST],
    ),
    CourseType.MULTIDISCIPLINARY: (
        "Multidisciplinary Cancer Management Course",
        "multidisciplinary-cancer-management-course",
        3,
        ["breast-cancer", "cervical-cancer", "colorectal-cancer", "lung-cancer", "tumor-boards"],
        [
            FacultyRole.MEDICAL_ONCOLOGIST,
            FacultyRole.RADIATION_ONCOLOGIST,
            FacultyRole.SURGICAL_ONCOLOGIST,
            FacultyRole.PATHOLOGIST,
            FacultyRole.NURSE_EDUCATOR,
        ],
    ),
    CourseType.PALLIATIVE_CARE: (
        "Palliative Care Workshop",
        "palliative-care-workshop",
        3,
        ["pain-management", "breaking-bad-news", "symptom-management"],
        [FacultyRole.PALLIATIVE_CARE, FacultyRole.NURSE_EDUCATOR, FacultyRole.MEDICAL_ONCOLOGIST],
    ),
}
SESSION_TIMES = [(dt.time(9), dt.time(10, 30)), (dt.time(11), dt.time(12, 30)), (dt.time(14), dt.time(15, 30))]
PARTICIPANTS_PER_PAST_COURSE = 6
REGISTRATIONS_PER_UPCOMING_COURSE = 3
DECLINE_REASON = "Clinical duties that week, sorry. Please ask me again for the spring."


@dataclass(frozen=True)
class CoursePlan:
    """A course the seeder runs: its type, where, and when (days from today)."""

    course_type: str
    country: str  # ISO3
    city: str
    start: int
    languages: tuple[str, ...] = ("en",)


# The demo logins' courses.
LIMA = CoursePlan(CourseType.PALLIATIVE_CARE, "PER", "Lima", start=-80, languages=("es", "en"))
BOGOTA = CoursePlan(CourseType.PALLIATIVE_CARE, "COL", "Bogotá", start=40, languages=("es", "en"))
KAMPALA = CoursePlan(CourseType.PALLIATIVE_CARE, "UGA", "Kampala", start=130)
KUMASI = CoursePlan(CourseType.MULTIDISCIPLINARY, "GHA", "Kumasi", start=75)
# Everyone else's.
PAST = (
    CoursePlan(CourseType.MULTIDISCIPLINARY, "NPL", "Kathmandu", start=-150),
    CoursePlan(CourseType.MULTIDISCIPLINARY, "KEN", "Nairobi", start=-420),
    CoursePlan(CourseType.CLINICAL_TRIALS, "PAK", "Lahore", start=-560),
)
UPCOMING = (
    CoursePlan(CourseType.CLINICAL_TRIALS, "IND", "Chennai", start=55),
    CoursePlan(CourseType.PALLIATIVE_CARE, "NPL", "Kathmandu", start=95, languages=("ne", "en")),
    CoursePlan(CourseType.MULTIDISCIPLINARY, "ETH", "Addis Ababa", start=160),
)
HOST_CALL = CallPlan(
    "host-a-course",
    "multidisciplinary-cancer-management-course",
    "Host a Multidisciplinary Cancer Management Course in {year}",
    opens=-60,
    closes=30,
    kind=CallKind.HOST,
    description="Hospitals and universities in low- and middle-income countries offer to host next year's courses.",
    reviews=0,
)


@dataclass(frozen=True)
class Catalogue:
    templates: dict[str, CourseTemplate]
    roles: dict[str, list[str]]


def ensure_catalogue(world: World) -> Catalogue:
    """Course templates and their modules (the society's catalogue, no lifecycle)."""
    modules = {slug: Module.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in MODULES}
    templates: dict[str, CourseTemplate] = {}
    roles: dict[str, list[str]] = {}
    for course_type, (name, _program, days, module_slugs, slot_roles) in TEMPLATES.items():
        template, _created = CourseTemplate.objects.get_or_create(
            name=name, defaults={"course_type": course_type, "default_days": days}
        )
        template.modules.set([modules[slug] for slug in module_slugs])
        templates[course_type] = template
        roles[course_type] = [str(role) for role in slot_roles]
    return Catalogue(templates=templates, roles=roles)


# --- Building blocks ---------------------------------------------------------------------------


def _create_course(world: World, catalogue: Catalogue, plan: CoursePlan, *, host: Organization | None = None) -> Course:
    """Created in planning 150 days before it starts (or two months ago), with its faculty slots."""
    country = world.country(plan.country)
    host = host or hospital_in(country, city=plan.city)
    template = catalogue.templates[plan.course_type]
    start = world.days(plan.start)
    with replay_at(min(world.days(plan.start - 150), world.days(-60))):
        course = services.create_course(
            actor=world.staff,
            template=template,
            program=world.programs[TEMPLATES[plan.course_type][1]],
            title=f"{template.name}, {plan.city}",
            host_organization=host,
            city=plan.city,
            country=country,
            start_date=start,
            end_date=start + dt.timedelta(days=template.default_days - 1),
            time_zone=country.time_zone or "UTC",
            capacity=world.rng.choice([30, 40, 60]),
            languages=plan.languages,
            summary=template.summary or "",
        )
        for role in catalogue.roles[plan.course_type]:
            services.add_slot(course=course, actor=world.staff, role=role)
    return course


def _invite(world: World, slot: FacultySlot, person: Person, *, on: dt.date, accept: bool | None) -> FacultyInvitation:
    """Staff propose and invite; the volunteer answers two days later (``accept=None``: not yet)."""
    with replay_at(on):
        invitation = services.propose_faculty(slot=slot, person=person, actor=world.staff)
        services.transition_invitation(invitation=invitation, to=InvitationStatus.INVITED, actor=world.staff)
    if accept is not None:
        with replay_at(on + dt.timedelta(days=2)):
            invitation = services.respond_to_invitation(
                invitation=invitation,
                accept=accept,
                actor=person.user,
                reason="" if accept else DECLINE_REASON,
            )
    return invitation


def _staff_by_hand(world: World, course: Course, *, on: dt.date, keep: Sequence[str] = ()) -> list[FacultyInvitation]:
    """Fill each slot (but those whose role is in ``keep``) with the first volunteer who fits."""
    accepted = []
    pool = list(world.faculty)
    world.rng.shuffle(pool)
    for slot in course.slots.exclude(role__in=keep).order_by("id"):
        for person in pool:
            if slot.role not in ROLES_FOR_SPECIALTY.get(person.specialty, frozenset()):
                continue
            try:
                accepted.append(_invite(world, slot, person, on=on, accept=True))
            except ValidationError:
                continue
            pool.remove(person)
            break
    return accepted


def _book_travel(world: World, invitation: FacultyInvitation, *, on: dt.date, visa: bool, paid: bool = False) -> None:
    with replay_at(on):
        services.save_travel(
            invitation=invitation,
            actor=world.staff,
            itinerary="Outbound and return flights via Miami; hotel next to the hospital, four nights.",
            visa_letter_needed=visa,
            booking_status=BookingStatus.BOOKED,
            per_diem=Decimal(world.rng.choice([50, 60, 75])),
            reimbursement_status=ReimbursementStatus.PAID if paid else ReimbursementStatus.NONE,
        )


def _agenda(world: World, course: Course, *, on: dt.date) -> None:
    modules = list(course.template.modules.all())
    teachers = [
        inv.person
        for inv in FacultyInvitation.objects.filter(
            slot__course=course, status__in=[InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED]
        ).select_related("person")
    ]
    with replay_at(on):
        for offset in range(course.days):
            day = course.start_date + dt.timedelta(days=offset)
            for number, (start, end) in enumerate(SESSION_TIMES):
                module = modules[(offset * len(SESSION_TIMES) + number) % len(modules)] if modules else None
                services.add_session(
                    course=course,
                    actor=world.staff,
                    day=day,
                    start_time=start,
                    end_time=end,
                    title=module.name if module else "Case discussion",
                    module=module,
                    faculty=world.rng.sample(teachers, min(len(teachers), 2)),
                )


def _open(world: World, course: Course, *, on: dt.date) -> Course:
    """Open for registration: the intake call opens, closing when the course starts."""
    with replay_at(on):
        return services.transition_course(course=course, to=CourseStatus.OPEN, actor=world.staff)


def _register(world: World, course: Course, person: Person, *, on: dt.date) -> Registration:
    """A person registers and submits (eligibility is judged at once)."""
    course.refresh_from_db()
    assert course.intake_call is not None
    assert course.intake_call.form is not None
    why = world.questions(course.intake_call.form)[0]
    with replay_at(on):
        registration = services.register(course=course, person=person, actor=person.user)
        services.save_registration_answers(
            registration=registration,
            values={why.field_name: "To start a tumor board at home and teach what I learn to our residents."},
            actor=person.user,
        )
        services.submit_registration(registration=registration, actor=person.user)
    registration.refresh_from_db()
    return registration


def _decide(world: World, registration: Registration, outcome: str, *, on: dt.date) -> None:
    with replay_at(on):
        services.decide_registration(registration=registration, outcome=outcome, actor=world.staff)


def _participants_for(world: World, course: Course, count: int, *, exclude: Sequence[Person] = ()) -> list[Person]:
    """People from the course's country first, then from other low- and middle-income countries."""
    skip = {person.pk for person in exclude}
    local = [p for p in world.lmic_people if p.country_of_practice_id == course.country_id and p.pk not in skip]
    others = [p for p in world.lmic_people if p.country_of_practice_id != course.country_id and p.pk not in skip]
    return (local + world.rng.sample(others, min(len(others), count)))[:count]


# --- Past courses ------------------------------------------------------------------------------


def _run_past(
    world: World,
    catalogue: Catalogue,
    plan: CoursePlan,
    *,
    teacher: Person | None = None,
    attendee: Person | None = None,
) -> Course:
    """A course from planning to closed: staffed, registrations decided, travel booked, held,
    attendance and scores recorded, evaluations answered, faculty hours logged; a year on, the
    follow-up survey goes out and most answer. ``teacher`` takes the first slot of their role;
    ``attendee`` attends (and leaves the evaluation for later)."""
    course = _create_course(world, catalogue, plan)
    start, end = course.start_date, course.end_date
    mine: list[FacultyInvitation] = []
    if teacher is not None:
        slot = course.slots.filter(role__in=ROLES_FOR_SPECIALTY.get(teacher.specialty, frozenset())).first()
        if slot is not None:
            mine.append(_invite(world, slot, teacher, on=start - dt.timedelta(days=130), accept=True))
    taken = [slot.role for slot in course.slots.all() if any(inv.slot_id == slot.pk for inv in mine)]
    team = [*mine, *_staff_by_hand(world, course, on=start - dt.timedelta(days=125), keep=taken)]
    course = _open(world, course, on=start - dt.timedelta(days=100))
    people = _participants_for(world, course, PARTICIPANTS_PER_PAST_COURSE, exclude=[attendee] if attendee else [])
    if attendee is not None:
        people = [attendee, *people[:-1]]
    registrations = [
        _register(world, course, person, on=start - dt.timedelta(days=90 - 3 * n)) for n, person in enumerate(people)
    ]
    for n, registration in enumerate(registrations):
        if registration.status == "pending":
            outcome = "rejected" if n == len(registrations) - 1 else "accepted"
            _decide(world, registration, outcome, on=start - dt.timedelta(days=55))
    for invitation in team:
        _book_travel(world, invitation, on=start - dt.timedelta(days=40), visa=world.rng.random() < 0.4)
    _agenda(world, course, on=start - dt.timedelta(days=30))
    with replay_at(end + dt.timedelta(days=1)):
        services.transition_course(course=course, to=CourseStatus.HELD, actor=world.staff)
        for registration in Registration.objects.filter(course=course, status="accepted").order_by("id"):
            pre = world.rng.randrange(30, 70)
            present = registration.person == attendee or world.rng.random() < 0.85
            services.record_participation(
                registration=registration,
                attendance="attended" if present else "no_show",
                pre=pre,
                post=min(100, pre + world.rng.randrange(5, 35)) if present else "",
                actor=world.staff,
            )
    rating = [q for q in world.questions(services.default_evaluation_form()) if q.kind == "single_choice"]
    for registration in Registration.objects.filter(course=course, status="attended").exclude(person=attendee):
        if world.rng.random() < 0.7:
            with replay_at(end + dt.timedelta(days=world.rng.randrange(2, 10))):
                services.submit_evaluation(
                    registration=registration,
                    values={q.field_name: str(world.rng.choice([3, 4, 4, 5, 5])) for q in rating},
                    actor=registration.person.user,
                )
    for invitation in team:
        invitation.refresh_from_db()
        if invitation.status == InvitationStatus.TRAVEL_BOOKED:
            _book_travel(world, invitation, on=end + dt.timedelta(days=12), visa=False, paid=True)
    with replay_at(end + dt.timedelta(days=14)):
        services.transition_course(course=course, to=CourseStatus.CLOSED, actor=world.staff)
    _follow_up(world, course)
    return course


def _follow_up(world: World, course: Course) -> None:
    """A year after the course: the survey e-mails go out; most answer within weeks."""
    due = course.end_date + dt.timedelta(days=FOLLOWUP_AFTER_DAYS)
    if due > world.today:
        return
    with replay_at(due):
        services.send_followup_surveys(today=due)
    questions = world.questions(services.impact_survey_form())
    for registration in Registration.objects.filter(course=course, impact_survey_sent_at__isnull=False):
        if world.rng.random() < 0.6:
            with replay_at(due + dt.timedelta(days=world.rng.randrange(1, 30))):
                services.submit_impact_survey(
                    registration=registration,
                    values={
                        questions[0].field_name: world.rng.choice(["yes", "yes", "no"]),
                        questions[1].field_name: str(world.rng.randrange(0, 3)),
                        questions[2].field_name: str(world.rng.randrange(0, 12)),
                    },
                )


# --- Coming courses ----------------------------------------------------------------------------


def _run_upcoming(
    world: World, catalogue: Catalogue, plan: CoursePlan, *, extra: Sequence[Person] = ()
) -> tuple[Course, list[Registration]]:
    """Open for two months: registrations in, most decided (accepted or wait-listed), some
    pending; ``extra`` people register last and wait for a decision."""
    course = _create_course(world, catalogue, plan)
    course = _open(world, course, on=world.days(-50))
    people = _participants_for(world, course, REGISTRATIONS_PER_UPCOMING_COURSE, exclude=extra)
    registrations = [_register(world, course, p, on=world.days(-45 + 5 * n)) for n, p in enumerate(people)]
    for n, registration in enumerate(registrations):
        outcome = ("accepted", "waitlisted", "")[n % 3]
        if outcome and registration.status == "pending":
            _decide(world, registration, outcome, on=world.days(-10))
    registrations += [_register(world, course, person, on=world.days(-3)) for person in extra]
    _agenda(world, course, on=world.days(-20))
    return course, registrations


# --- Hosts -------------------------------------------------------------------------------------


def _hosts(world: World, catalogue: Catalogue) -> Course:
    """Three hospitals apply to host next year's course; staff approved one ten days ago (its
    course is in planning, slots still empty), two wait for a decision."""
    call = make_call(world, HOST_CALL, form=host_form())
    hosts = []
    for person in world.lmic_people:
        organization = organization_of(person)
        if organization is not None and organization.kind in ("hospital", "university"):
            hosts.append((person, organization))
        if len(hosts) == 3:
            break
    applications = [apply(world, call, person, on=world.days(-50 + 7 * n)) for n, (person, _org) in enumerate(hosts)]
    approved = next(a for a in applications if a.status == ApplicationStatus.ELIGIBLE)
    organization = organization_of(approved.applicant)
    assert organization is not None
    template = catalogue.templates[CourseType.MULTIDISCIPLINARY]
    start = world.days(220)
    with replay_at(world.days(-10)):
        course = services.approve_host_application(
            application=approved,
            actor=world.staff,
            template=template,
            title=f"{template.name}, {organization.city or organization.country.name}",
            city=organization.city or organization.country.name,
            start_date=start,
            end_date=start + dt.timedelta(days=template.default_days - 1),
            time_zone=organization.country.time_zone or "UTC",
            capacity=40,
            note="Thank you: your hospital will host the course. We will write about dates and faculty.",
        )
        for role in catalogue.roles[CourseType.MULTIDISCIPLINARY]:
            services.add_slot(course=course, actor=world.staff, role=role)
    return course


# --- Everything --------------------------------------------------------------------------------


def seed_workshops(world: World) -> dict[str, int]:
    """All demo courses; returns counts for the seeder's report."""
    catalogue = ensure_catalogue(world)
    grace, lucia, kwame = (world.cast.person(role) for role in (Role.VOLUNTEER, Role.MEMBER, Role.APPLICANT))
    total = 2 + len(PAST) + 4 + len(UPCOMING)
    with world.progress("courses", total) as progress:
        lima = _run_past(world, catalogue, LIMA, teacher=grace, attendee=lucia)
        progress.advance()
        past = [lima]
        for plan in PAST:
            past.append(_run_past(world, catalogue, plan))
            progress.advance()

        bogota, _registrations = _run_upcoming(world, catalogue, BOGOTA)
        slot = bogota.slots.get(role=FacultyRole.PALLIATIVE_CARE)
        trip = _invite(world, slot, grace, on=world.days(-40), accept=True)
        _book_travel(world, trip, on=world.days(-20), visa=True)
        lucia_place = _register(world, bogota, lucia, on=world.days(-30))
        _decide(world, lucia_place, "accepted", on=world.days(-25))
        progress.advance()

        kampala, _registrations = _run_upcoming(world, catalogue, KAMPALA)
        _invite(world, kampala.slots.get(role=FacultyRole.PALLIATIVE_CARE), grace, on=world.days(-4), accept=None)
        progress.advance()

        kumasi, _registrations = _run_upcoming(world, catalogue, KUMASI, extra=[kwame])
        progress.advance()
        upcoming = [bogota, kampala, kumasi]
        for plan in UPCOMING:
            upcoming.append(_run_upcoming(world, catalogue, plan)[0])
            progress.advance()
        planning = _hosts(world, catalogue)
        progress.advance()

        # The season's team: the engine proposes volunteers for the open slots of the coming courses
        # (Kathmandu's palliative care slot stays open for the demo volunteer to raise her hand).
        kathmandu = upcoming[4]
        engine_courses = [kumasi, upcoming[3], upcoming[5], bogota]
        with replay_at(world.days(-6)):
            proposal = matching_adapter.propose_team(courses=engine_courses, actor=world.staff)
        sent = []
        for course in (kumasi, upcoming[3]):
            with replay_at(world.days(-5)):
                sent += services.send_invitations(course=course, actor=world.staff)
        for number, invitation in enumerate(sent):
            answer = "decline" if number == 0 else world.rng.choice(["accept", "accept", "wait"])
            if answer == "wait":
                continue
            with replay_at(world.days(-3)):
                try:
                    services.respond_to_invitation(
                        invitation=invitation,
                        accept=answer == "accept",
                        actor=invitation.person.user,
                        reason="" if answer == "accept" else DECLINE_REASON,
                    )
                except ValidationError:
                    continue
        _staff_by_hand(world, kathmandu, on=world.days(-15), keep=[FacultyRole.PALLIATIVE_CARE])
        progress.advance()

    world.made.update(
        lima=lima, bogota=bogota, kampala=kampala, kumasi=kumasi, planning=planning, proposal=proposal, past=past
    )
    courses = [*past, *upcoming, planning]
    return {
        "courses": len(courses),
        "invitations": FacultyInvitation.objects.filter(slot__course__in=courses).count(),
        "registrations": Registration.objects.filter(course__in=courses).count(),
        "proposed_by_engine": len(proposal.proposed),
    }
