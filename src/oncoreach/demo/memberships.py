"""Membership records, as the society's member database would send them: two yearly exports
imported by program staff through the real import (last year's, then this year's), so members
have a history, the imports page has two reports, and one row finds nobody here."""

from __future__ import annotations

import datetime as dt

from oncoreach.accounts.enums import Role
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import World
from oncoreach.people.models import Person
from oncoreach.people.services_membership import import_memberships, sync_membership_status

HEADER = "member_number,email,given_name,family_name,category,valid_from,valid_until"


def _row(number: str, person: Person | None, category: str, start: dt.date, end: dt.date | None, **who: str) -> str:
    email = person.user.email if person is not None and person.user is not None else who.get("email", "")
    given = person.given_name if person is not None else who.get("given", "")
    family = person.family_name if person is not None else who.get("family", "")
    return ",".join([number, email, given, family, category, start.isoformat(), end.isoformat() if end else ""])


def _export(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def seed_memberships(world: World) -> int:
    """Import two exports; returns how many membership records the demo has."""
    year = world.today.year
    last_start, last_end = dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    this_start, this_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    member = world.cast.person(Role.MEMBER)
    applicant = world.cast.person(Role.APPLICANT)
    volunteer = world.cast.person(Role.VOLUNTEER)
    others = [p for p in world.lmic_people if p.user is not None and p.user.email_confirmed][:4]
    renewing, lapsing = others[:3], others[3:]

    last_year = [
        _row("MSCO-10482", member, "Early career", last_start, last_end),
        _row("MSCO-00731", volunteer, "Life member", dt.date(2012, 3, 1), None),
        *[_row(f"MSCO-2{n:04d}", p, "International", last_start, last_end) for n, p in enumerate(renewing + lapsing)],
    ]
    this_year = [
        _row("MSCO-10482", member, "Regular", this_start, this_end),
        _row("MSCO-00731", volunteer, "Life member", dt.date(2012, 3, 1), None),
        _row("MSCO-11907", applicant, "Trainee", this_start, this_end),
        *[_row(f"MSCO-2{n:04d}", p, "International", this_start, this_end) for n, p in enumerate(renewing)],
        # Someone who never signed in here: reported as unknown, imports nothing.
        _row(
            "MSCO-13377",
            None,
            "Regular",
            this_start,
            this_end,
            email="k.osei@example.org",
            given="Kwame",
            family="Osei",
        ),
    ]
    with replay_at(dt.date(year - 1, 2, 1)):
        import_memberships(file=_export(last_year), file_name=f"members-{year - 1}.csv", actor=world.staff)
    with replay_at(min(dt.date(year, 1, 15), world.today)):
        record = import_memberships(file=_export(this_year), file_name=f"members-{year}.csv", actor=world.staff)
    # What the daily job does: those not renewed this year have lapsed by today.
    sync_membership_status(person_ids={p.pk for p in (member, applicant, volunteer, *others)}, today=world.today)
    return record.added + record.updated + record.unchanged
