"""Demo volunteers: profiles for the faculty and reviewers (and the demo volunteer), their
availability, and hours logged beyond what teaching logs by itself. All through
``volunteers.services``."""

from __future__ import annotations

import datetime as dt

from oncoreach.accounts.enums import Role
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import World
from oncoreach.volunteers.enums import ActivityKind, VolunteerRole
from oncoreach.volunteers.services import add_availability, log_activity, save_volunteer_profile
from oncoreach.workshops.enums import ROLES_FOR_SPECIALTY

FACULTY_WANTED = 80
TEACHING_TOPICS = [
    "breast cancer",
    "cervical cancer",
    "colorectal cancer",
    "lung cancer",
    "head and neck cancer",
    "running a multidisciplinary tumor board",
    "clinical trial design",
    "biostatistics for trialists",
    "writing a protocol",
    "critical appraisal of published trials",
    "pain assessment and management",
    "communication: breaking bad news",
    "symptom management",
]
PERSONA_EXPERTISE = [
    "pain assessment and management",
    "symptom management",
    "communication: breaking bad news",
    "palliative care",
]


def seed_volunteer_profiles(world: World) -> int:
    """Volunteer profiles, through the service: the demo volunteer's first (with her availability),
    then generated volunteers who can fill a faculty role; some also review or write."""
    rng = world.rng
    grace, grace_user = world.cast.person(Role.VOLUNTEER), world.cast.user(Role.VOLUNTEER)
    with replay_at(world.days(-400)):
        profile = save_volunteer_profile(
            person=grace,
            actor=grace_user,
            roles=[VolunteerRole.FACULTY, VolunteerRole.REVIEWER, VolunteerRole.AUTHOR],
            expertise=PERSONA_EXPERTISE,
            max_trips_per_year=3,
        )
    with replay_at(world.days(-30)):
        add_availability(profile=profile, actor=grace_user, start=world.days(20), end=world.days(200))
        add_availability(profile=profile, actor=grace_user, start=world.days(260), end=world.days(330))

    teachers = [person for person in world.volunteers if ROLES_FOR_SPECIALTY.get(person.specialty)]
    made = 1
    with world.progress("volunteer profiles", min(FACULTY_WANTED, len(teachers))) as progress:
        for person in teachers[:FACULTY_WANTED]:
            extra = rng.sample([VolunteerRole.REVIEWER, VolunteerRole.AUTHOR, VolunteerRole.MENTOR], rng.choice((1, 2)))
            with replay_at(world.days(-rng.randrange(500, 1500))):
                volunteer = save_volunteer_profile(
                    person=person,
                    actor=person.user,
                    roles=[VolunteerRole.FACULTY, *extra],
                    expertise=rng.sample(TEACHING_TOPICS, 3),
                    max_trips_per_year=rng.choice([1, 2, 2, 3]),
                )
            if rng.random() < 0.6:
                start = world.days(rng.randrange(0, 60))
                with replay_at(world.days(-rng.randrange(5, 60))):
                    add_availability(
                        profile=volunteer,
                        actor=person.user,
                        start=start,
                        end=start + dt.timedelta(days=rng.randrange(120, 300)),
                    )
            world.faculty.append(person)
            made += 1
            progress.advance()
    return made


def log_persona_hours(world: World) -> None:
    """Hours the demo volunteer logged herself (teaching hours are logged when a course closes)."""
    grace, grace_user = world.cast.person(Role.VOLUNTEER), world.cast.user(Role.VOLUNTEER)
    entries = [
        (
            -330,
            ActivityKind.REVIEWING,
            6,
            "Reviewed applications for the International Development and Education Award",
        ),
        (-95, ActivityKind.PREPARATION, 10, "Prepared the pain management sessions for the Lima workshop"),
        (-60, ActivityKind.WRITING, 3, "Wrote “Teaching pain control in Lima”"),
        (-10, ActivityKind.PREPARATION, 4, "Adapted the Lima case discussions for Bogotá"),
    ]
    for offset, kind, hours, description in entries:
        with replay_at(world.days(offset)):
            log_activity(
                person=grace, actor=grace_user, kind=kind, date=world.days(offset), hours=hours, description=description
            )
