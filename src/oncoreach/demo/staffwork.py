"""Staff work on people: a long timeline for the demo volunteer (years of logged hours, staff
notes with an edit history) and a duplicate record of a participant for the duplicate finder,
made through the people and volunteers services at the moments they happened."""

from __future__ import annotations

from oncoreach.accounts.enums import Role
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import World
from oncoreach.people.models import Person
from oncoreach.people.services_notes import add_staff_note, edit_staff_note
from oncoreach.volunteers.enums import ActivityKind
from oncoreach.volunteers.services import log_activity

NOTES = [
    (-1460, "First contact at the society's annual meeting; interested in teaching pain control abroad."),
    (-1200, "Agreed to review for the education award next cycle."),
    (-900, "Speaks Spanish well enough to teach in it; prefers Latin American courses."),
    (-700, "Asked us not to schedule trips in August (family commitments)."),
    (-420, "Excellent evaluations from the Quito course; candidate for course director."),
    (-250, "Passport renewed; new expiry date recorded on her profile."),
    (-120, "Offered to mentor two early-career participants from Lima."),
    (-20, "Check visa timing for Bogotá before booking flights."),
]
#: The note on the duplicate record (tests tell the duplicate from the generated people by it).
DUPLICATE_NOTE = (
    "Signed up a second time with a hospital address: same name, country and year of birth. "
    "Probably the same person. Check and merge."
)
#: (note index, days after it was written, new text)
EDITS = [
    (2, 30, "Speaks Spanish fluently and teaches in it; prefers Latin American courses."),
    (3, 365, "Asked us not to schedule trips in August or over the winter holidays."),
    (4, 60, "Excellent evaluations from the Quito course; proposed as course director for Bogotá."),
]


def seed_staff_work(world: World) -> int:
    """Returns how many staff notes the demo has."""
    grace, grace_user = world.cast.person(Role.VOLUNTEER), world.cast.user(Role.VOLUNTEER)
    # Four years of monthly reviewing and preparation hours: a timeline several pages long.
    for month in range(1, 49):
        day = world.days(-30 * month - 400)
        kind, what = (
            (ActivityKind.REVIEWING, "Reviewed award applications")
            if month % 2
            else (ActivityKind.PREPARATION, "Prepared case discussions for the course library")
        )
        with replay_at(day):
            log_activity(person=grace, actor=grace_user, kind=kind, date=day, hours=2 + month % 4, description=what)
    notes = []
    for offset, text in NOTES:
        with replay_at(world.days(offset)):
            notes.append(add_staff_note(actor=world.staff, person=grace, body=text))
    for index, after, text in EDITS:
        with replay_at(world.days(NOTES[index][0] + after)):
            edit_staff_note(actor=world.staff, note=notes[index], body=text)
    duplicate = _duplicate_participant(world)
    with replay_at(world.days(-5)):
        add_staff_note(
            actor=world.staff,
            person=duplicate,
            body=DUPLICATE_NOTE,
        )
    return len(NOTES) + 1


def _duplicate_participant(world: World) -> Person:
    """A second record of a participant, as a sign-up from the hospital's address makes: another
    e-mail address and no ORCID iD, but the same name (typed in capitals), country and year of
    birth, so the finder proposes the pair by the name, country and year-of-birth rule alone."""
    original = next(
        person
        for person in world.lmic_people
        if person.email and person.country_of_practice_id and person.birth_year and person.family_name
    )
    local = original.email.partition("@")[0].split(".")
    with replay_at(world.days(-6)):
        return Person.objects.create(
            given_name=original.given_name.upper(),
            family_name=original.family_name.upper(),
            email=f"{local[0][:1]}{local[1] if len(local) > 1 else local[0]}@hospital.example.org",
            country_of_practice=original.country_of_practice,
            country_of_residence=original.country_of_residence,
            specialty=original.specialty,
            birth_year=original.birth_year,
            languages=list(original.languages),
            time_zone=original.time_zone,
        )
