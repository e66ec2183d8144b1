"""Demo data for workshops: past and upcoming courses around the world, with faculty teams.

Built only through services, so the demo exercises the real rules (STYLE.md §11). Called by the
demo seeder as ``seed_workshops(rng=..., people=..., organizations=..., countries=..., stdout=...)``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.utils import timezone

from oncoreach.calls.enums import ApplicationStatus, CallKind
from oncoreach.calls.models import Application, Call
from oncoreach.calls.services import save_draft, submit_application
from oncoreach.geo.models import Country
from oncoreach.people.models import Organization, Person
from oncoreach.programs.enums import ProgramKind
from oncoreach.programs.forms_engine import questions_for
from oncoreach.programs.models import Cycle, Program, ResponseSet
from oncoreach.volunteers.enums import VolunteerRole
from oncoreach.volunteers.services import add_availability, save_volunteer_profile
from oncoreach.workshops import matching_adapter, services
from oncoreach.workshops.enums import ROLES_FOR_SPECIALTY, CourseStatus, CourseType, FacultyRole, InvitationStatus
from oncoreach.workshops.models import Course, CourseTemplate, FacultyInvitation, Module, Registration

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

TEMPLATES = {
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
PAST_COURSES = 6
UPCOMING_COURSES = 5
PARTICIPANTS_PER_PAST_COURSE = 8
REGISTRATIONS_PER_UPCOMING_COURSE = 4


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _ensure_catalogue() -> dict[str, tuple[CourseTemplate, Program, list[Module], list[str]]]:
    modules = {slug: Module.objects.get_or_create(slug=slug, defaults={"name": name})[0] for slug, name in MODULES}
    catalogue: dict[str, tuple[CourseTemplate, Program, list[Module], list[str]]] = {}
    for course_type, (name, program_slug, days, module_slugs, roles) in TEMPLATES.items():
        template, _created = CourseTemplate.objects.get_or_create(
            name=name, defaults={"course_type": course_type, "default_days": days}
        )
        template.modules.set([modules[slug] for slug in module_slugs])
        program, _created = Program.objects.get_or_create(
            slug=program_slug, defaults={"name": name, "kind": ProgramKind.COURSE}
        )
        catalogue[course_type] = (template, program, [modules[slug] for slug in module_slugs], [str(r) for r in roles])
    return catalogue


def _make_faculty(rng: random.Random, people: Sequence[Person], today: dt.date) -> list[Person]:
    """Volunteer profiles for people who teach (volunteers first), with windows and topics."""
    teachers = [p for p in people if p.is_volunteer and ROLES_FOR_SPECIALTY.get(p.specialty)]
    teachers += [p for p in people if not p.is_volunteer and ROLES_FOR_SPECIALTY.get(p.specialty)][
        : max(0, 40 - len(teachers))
    ]
    topics = [name.lower() for _slug, name in MODULES]
    faculty = []
    for person in teachers[:80]:
        if hasattr(person, "volunteer_profile"):
            faculty.append(person)
            continue
        profile = save_volunteer_profile(
            person=person,
            actor=None,
            roles=[
                VolunteerRole.FACULTY,
                *rng.sample([VolunteerRole.MENTOR, VolunteerRole.REVIEWER, VolunteerRole.AUTHOR], 1),
            ],
            expertise=rng.sample(topics, 3),
            max_trips_per_year=rng.choice([1, 2, 2, 3]),
        )
        if rng.random() < 0.6:
            start = today + dt.timedelta(days=rng.randrange(0, 60))
            add_availability(
                profile=profile, actor=None, start=start, end=start + dt.timedelta(days=rng.randrange(120, 300))
            )
        faculty.append(person)
    return faculty


def _create_course(
    rng: random.Random,
    *,
    catalogue: dict[str, Any],
    host: Organization,
    co_host: Organization | None,
    start: dt.date,
    course_type: str,
) -> Course:
    template, program, modules, roles = catalogue[course_type]
    country: Country = host.country
    city = host.city or country.name
    languages = list(dict.fromkeys([*(country.languages or [])[:1], "en"]))
    course = services.create_course(
        actor=None,
        template=template,
        program=program,
        title=f"{template.name}, {city}",
        host_organization=host,
        city=city,
        country=country,
        start_date=start,
        end_date=start + dt.timedelta(days=template.default_days - 1),
        time_zone=country.time_zone or "UTC",
        capacity=rng.choice([40, 60, 80, 120]),
        languages=languages,
        summary=template.summary or "",
        co_hosts=[co_host] if co_host else [],
    )
    for role in roles:
        wanted = [m.name.lower() for m in rng.sample(modules, 1)]
        services.add_slot(course=course, actor=None, role=role, required_expertise=wanted)
    return course


def _staff_past_course(rng: random.Random, course: Course, faculty: Sequence[Person]) -> None:
    """Invite, accept and book travel for each slot by hand, then hold and close the course."""
    services.transition_course(course=course, to=CourseStatus.OPEN, actor=None)
    pool = list(faculty)
    rng.shuffle(pool)
    for slot in course.slots.all():
        for person in pool:
            roles = ROLES_FOR_SPECIALTY.get(person.volunteer_profile.specialty, frozenset())
            if slot.role not in roles:
                continue
            try:
                invitation = services.propose_faculty(slot=slot, person=person, actor=None)
                services.transition_invitation(invitation=invitation, to=InvitationStatus.INVITED, actor=None)
                services.respond_to_invitation(invitation=invitation, accept=True, actor=None)
            except ValidationError:
                continue
            invitation.refresh_from_db()
            services.save_travel(
                invitation=invitation,
                actor=None,
                itinerary="Outbound and return flights, hotel near the venue.",
                visa_letter_needed=rng.random() < 0.3,
                booking_status="booked",
                per_diem=Decimal(rng.choice([50, 60, 75])),
                reimbursement_status="paid",
            )
            pool.remove(person)
            break
    _add_agenda(rng, course)
    services.transition_course(course=course, to=CourseStatus.HELD, actor=None)
    services.transition_course(course=course, to=CourseStatus.CLOSED, actor=None)


def _add_agenda(rng: random.Random, course: Course) -> None:
    modules = list(course.template.modules.all())
    teachers = [inv.person for inv in FacultyInvitation.objects.filter(slot__course=course).select_related("person")]
    for offset in range(course.days):
        day = course.start_date + dt.timedelta(days=offset)
        for start, end in SESSION_TIMES:
            module = rng.choice(modules) if modules else None
            services.add_session(
                course=course,
                actor=None,
                day=day,
                start_time=start,
                end_time=end,
                title=module.name if module else "Case discussion",
                module=module,
                faculty=rng.sample(teachers, min(len(teachers), 2)),
            )


def _past_intake(course: Course) -> Call:
    """A closed intake call for a course that already ran (services only open future calls)."""
    opens = dt.datetime.combine(course.start_date - dt.timedelta(days=120), dt.time(9), tzinfo=dt.UTC)
    cycle, _created = Cycle.objects.get_or_create(
        program=course.program,
        year=course.start_date.year,
        defaults={"name": f"{course.program} {course.start_date.year}", "reference_date": course.start_date},
    )
    call = Call.objects.create(
        cycle=cycle,
        title=f"Registration: {course.title}",
        slug=f"{course.slug}-registration"[:120],
        kind=CallKind.PARTICIPANT,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=100),
        form=services.default_registration_form(),
        reviews_per_application=0,
    )
    Course.objects.filter(pk=course.pk).update(
        intake_call=call,
        follow_up_form=services.default_follow_up_form(),
        evaluation_form=services.default_evaluation_form(),
    )
    course.refresh_from_db()
    return call


def _seed_past_participants(rng: random.Random, course: Course, pool: Sequence[Person]) -> list[Registration]:
    """Accepted participants (set up directly, as history), then attendance, scores and
    evaluations through the services."""
    call = _past_intake(course)
    rating_questions = [q for q in questions_for(services.default_evaluation_form()) if q.kind == "single_choice"]
    registrations = []
    for person in rng.sample(list(pool), min(len(pool), PARTICIPANTS_PER_PAST_COURSE)):
        application = Application.objects.create(
            call=call,
            applicant=person,
            status=ApplicationStatus.ACCEPTED,
            response_set=ResponseSet.objects.create(form=call.form, respondent=person),
            submitted_at=call.opens_at + dt.timedelta(days=10),
            decided_at=call.closes_at,
        )
        registration = Registration.objects.create(
            course=course, person=person, application=application, status="accepted"
        )
        pre = rng.randrange(30, 70)
        registration = services.record_participation(
            registration=registration,
            attendance="attended" if rng.random() < 0.85 else "no_show",
            pre=pre,
            post=min(100, pre + rng.randrange(5, 35)),
            actor=None,
            today=course.end_date,
        )
        if registration.status == "attended" and rng.random() < 0.7:
            services.submit_evaluation(
                registration=registration,
                values={q.field_name: str(rng.choice([3, 4, 4, 5, 5])) for q in rating_questions},
                actor=None,
            )
        registrations.append(registration)
    return registrations


def _seed_followups(rng: random.Random, registrations: Sequence[Registration], today: dt.date) -> None:
    """One-year answers for attendees of courses that ended a year ago (no e-mails in the demo)."""
    questions = questions_for(services.impact_survey_form())
    for registration in registrations:
        if registration.status != "attended" or (today - registration.course.end_date).days < 365:
            continue
        Registration.objects.filter(pk=registration.pk).update(impact_survey_sent_at=timezone.now())
        registration.refresh_from_db()
        if rng.random() < 0.6:
            values = {
                questions[0].field_name: rng.choice(["yes", "yes", "no"]),
                questions[1].field_name: str(rng.randrange(0, 3)),
                questions[2].field_name: str(rng.randrange(0, 12)),
            }
            services.submit_impact_survey(registration=registration, values=values)


def _seed_upcoming_registrations(rng: random.Random, course: Course, pool: Sequence[Person]) -> None:
    """A few people register through the services; staff accept, wait-list or leave them pending."""
    course.refresh_from_db()
    if course.intake_call is None:
        return
    why = questions_for(course.intake_call.form)[0]
    for n, person in enumerate(rng.sample(list(pool), min(len(pool), REGISTRATIONS_PER_UPCOMING_COURSE))):
        registration = services.register(course=course, person=person, actor=None)
        assert registration.application is not None
        save_draft(application=registration.application, values={why.field_name: "To start a tumor board at home."})
        submit_application(application=registration.application, actor=None)
        outcome = ("accepted", "accepted", "waitlisted", "")[n % 4]
        if outcome:
            registration.refresh_from_db()
            try:
                services.decide_registration(registration=registration, outcome=outcome, actor=None)
            except ValidationError:
                continue


def seed_workshops(
    *,
    rng: random.Random,
    people: Sequence[Person],
    organizations: Sequence[Organization],
    countries: Sequence[Country],
    stdout: TextIO | None = None,
) -> dict[str, int]:
    """Past (closed, fully staffed) and upcoming (open, proposed by the engine) courses at LMIC
    hosts, with volunteer faculty profiles. Returns counts for the seeder's report."""
    today = timezone.localdate()
    catalogue = _ensure_catalogue()
    faculty = _make_faculty(rng, people, today)
    lmic = {c.pk for c in countries if c.income_group in ("L", "LM", "UM")}
    hosts = [o for o in organizations if o.country_id in lmic] or list(organizations)
    if not hosts or not faculty:
        _say(stdout, "workshops: no host organizations or faculty; skipped")
        return {"courses": 0, "faculty": len(faculty), "invitations": 0}
    types = list(TEMPLATES)
    teaching = {p.pk for p in faculty}
    participant_pool = [p for p in people if p.pk not in teaching] or list(people)
    past_registrations: list[Registration] = []
    courses = []
    for n in range(PAST_COURSES):
        start = today - dt.timedelta(days=60 + n * rng.randrange(45, 120))
        if n >= PAST_COURSES - 2:  # the oldest ran over a year ago: their one-year follow-up is in
            start = min(start, today - dt.timedelta(days=400 + n * 30))
        course = _create_course(
            rng,
            catalogue=catalogue,
            host=rng.choice(hosts),
            co_host=rng.choice(organizations),
            start=start,
            course_type=types[n % len(types)],
        )
        _staff_past_course(rng, course, faculty)
        past_registrations += _seed_past_participants(rng, course, participant_pool)
        courses.append(course)
    _seed_followups(rng, past_registrations, today)
    upcoming = []
    for n in range(UPCOMING_COURSES):
        start = today + dt.timedelta(days=30 + n * rng.randrange(30, 70))
        course = _create_course(
            rng,
            catalogue=catalogue,
            host=rng.choice(hosts),
            co_host=rng.choice(organizations),
            start=start,
            course_type=types[n % len(types)],
        )
        services.transition_course(course=course, to=CourseStatus.OPEN, actor=None)
        _add_agenda(rng, course)
        _seed_upcoming_registrations(rng, course, participant_pool)
        upcoming.append(course)
    planning = _create_course(
        rng,
        catalogue=catalogue,
        host=rng.choice(hosts),
        co_host=None,
        start=today + dt.timedelta(days=300),
        course_type=CourseType.MULTIDISCIPLINARY,
    )
    proposal = matching_adapter.propose_team(courses=[*upcoming, planning], actor=None)
    # The first two upcoming courses already sent their invitations; some volunteers answered.
    for course in upcoming[:2]:
        for invitation in services.send_invitations(course=course, actor=None):
            if rng.random() < 0.6:
                services.respond_to_invitation(invitation=invitation, accept=True, actor=None)
            elif rng.random() < 0.5:
                services.respond_to_invitation(
                    invitation=invitation, accept=False, actor=None, reason="Clinical duties that week."
                )
    total = len(courses) + len(upcoming) + 1
    invitations = FacultyInvitation.objects.filter(slot__course__in=[*courses, *upcoming, planning]).count()
    _say(
        stdout,
        f"workshops: {total} courses, {len(faculty)} faculty, {invitations} invitations ({len(proposal.proposed)} proposed by the engine)",
    )
    registrations = Registration.objects.filter(course__in=[*courses, *upcoming]).count()
    _say(stdout, f"workshops: {registrations} participant registrations")
    return {"courses": total, "faculty": len(faculty), "invitations": invitations, "registrations": registrations}
