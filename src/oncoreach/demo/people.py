"""Demo people: organizations, the generated population (bulk), the demo logins, inquiries.

The population has no lifecycle (a person and an affiliation are just facts), so it is written
with bulk inserts: thousands of rows in a second. The demo logins get a full profile. Inquiries
go through ``people.services.record_inquiry``, which tells program staff by e-mail.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from oncoreach.accounts.models import User
from oncoreach.demo.clock import replay_at
from oncoreach.demo.data import content, places
from oncoreach.demo.generate import CountryInfo
from oncoreach.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from oncoreach.demo.progress import Progress
from oncoreach.geo.models import Country
from oncoreach.people.models import Affiliation, Organization, Person
from oncoreach.people.services import record_inquiry

BATCH = 2000


@dataclass
class Cast:
    """The demo logins, by role: their accounts and their profiles."""

    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def person(self, role: str) -> Person:
        return self.people[role]

    def user(self, role: str) -> User:
        return self.users[role]


def write_organizations(organizations: Sequence[dict[str, Any]], progress: Progress) -> list[int]:
    rows = [
        Organization(
            name=o["name"],
            kind=o["kind"],
            country_id=o["country_pk"],
            city=o["city"],
            website=o["website"],
            is_partner=o["is_partner"],
        )
        for o in organizations
    ]
    with progress:
        for start in range(0, len(rows), BATCH):
            Organization.objects.bulk_create(rows[start : start + BATCH])
            progress.advance(len(rows[start : start + BATCH]))
    return [row.pk for row in rows]


def write_people(
    people: Sequence[dict[str, Any]], org_pks: Sequence[int], progress: Progress
) -> tuple[list[int], list[int | None], int]:
    """Users (unusable passwords: nobody signs in as a generated person), people, affiliations.

    Returns the person ids, the user ids (None for people without a login) and the number of
    affiliations.
    """
    now = timezone.now()
    unusable = make_password(None)  # one unusable hash shared by all: no hashing per person
    users: list[User | None] = [
        User(
            email=person["email"],
            password=unusable,
            display_name=f"{person['given_name']} {person['family_name']}",
            email_confirmed=True,
            preferred_language=person["preferred_language"],
            time_zone=person["time_zone"],
            date_joined=now,
        )
        if person["has_login"]
        else None
        for person in people
    ]
    with_login = [user for user in users if user is not None]
    rows = [
        Person(
            given_name=p["given_name"],
            family_name=p["family_name"],
            email=p["email"],
            country_of_practice_id=p["country_pk"],
            country_of_residence_id=p["country_pk"],
            specialty=p["specialty"],
            career_stage=p["career_stage"],
            training_completed_year=p["training_completed_year"],
            birth_year=p["birth_year"],
            languages=p["languages"],
            time_zone=p["time_zone"],
            orcid=p["orcid"],
            bio=p["bio"],
            membership_status=p["membership_status"],
            is_volunteer=p["is_volunteer"],
            created_at=now,
            updated_at=now,
        )
        for p in people
    ]
    with progress:
        for start in range(0, len(with_login), BATCH):
            User.objects.bulk_create(with_login[start : start + BATCH])
            progress.advance(len(with_login[start : start + BATCH]))
        for row, user in zip(rows, users, strict=True):
            row.user_id = user.pk if user is not None else None
        for start in range(0, len(rows), BATCH):
            Person.objects.bulk_create(rows[start : start + BATCH])
            progress.advance(len(rows[start : start + BATCH]))
        person_pks = [row.pk for row in rows]
        affiliations = [
            Affiliation(
                person_id=person_pks[i],
                organization_id=org_pks[a["org"]],
                title=a["title"],
                is_primary=a["is_primary"],
                start_year=a["start_year"],
            )
            for i, p in enumerate(people)
            for a in p["affiliations"]
        ]
        for start in range(0, len(affiliations), BATCH):
            Affiliation.objects.bulk_create(affiliations[start : start + BATCH])
            progress.advance(len(affiliations[start : start + BATCH]))
    return person_pks, [user.pk if user is not None else None for user in users], len(affiliations)


def people_progress_total(people: Sequence[dict[str, Any]]) -> int:
    """Rows ``write_people`` writes (logins, people, affiliations), for its progress line."""
    return sum(1 + int(p["has_login"]) + len(p["affiliations"]) for p in people)


# --- The demo logins ---------------------------------------------------------------------------


def write_personas(*, organizations: Sequence[dict[str, Any]], org_pks: Sequence[int], today: dt.date) -> Cast:
    """The demo logins, one per role, each with a full profile; one password hash shared by all."""
    hashed = make_password(DEMO_PASSWORD)
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in={d.country for d in DEMO_LOGINS})}
    cast = Cast()
    for login in DEMO_LOGINS:
        user, person = _persona(
            login,
            hashed=hashed,
            country=countries.get(login.country),
            org_pks=org_pks,
            organizations=organizations,
            today=today,
        )
        cast.users[login.role] = user
        cast.people[login.role] = person
    return cast


def _persona(
    login: DemoLogin,
    *,
    hashed: str,
    country: Country | None,
    org_pks: Sequence[int],
    organizations: Sequence[dict[str, Any]],
    today: dt.date,
) -> tuple[User, Person]:
    user = User.objects.create(
        email=login.email,
        display_name=login.name,
        email_confirmed=True,
        password=hashed,
        time_zone=login.time_zone,
        preferred_language=login.language,
        is_staff=login.is_staff,
        is_superuser=login.is_superuser,
    )
    for group_name in login.groups:
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    given, _, family = login.name.partition(" ")
    person = Person.objects.create(
        user=user,
        given_name=given,
        family_name=family,
        passport_name=login.name.upper(),
        email=login.email,
        country_of_practice=country,
        country_of_residence=country,
        specialty=login.specialty,
        career_stage=login.career_stage,
        training_completed_year=login.training_completed_year,
        languages=list(login.languages),
        time_zone=login.time_zone,
        orcid=login.orcid,
        bio=login.bio,
        membership_status=login.membership_status,
    )
    candidates = [
        pk
        for pk, org in zip(org_pks, organizations, strict=True)
        if org["country_iso3"] == login.country and org["kind"] in ("hospital", "university")
    ]
    if not candidates and country is not None:
        candidates = [hospital_in(country).pk]
    if candidates:
        Affiliation.objects.create(
            person=person,
            organization_id=candidates[0],
            title=login.position,
            is_primary=True,
            start_year=(login.training_completed_year or today.year) + 1,
        )
        if len(candidates) > 1:
            Affiliation.objects.create(person=person, organization_id=candidates[-1], title="Visiting faculty")
    return user, person


def hospital_in(country: Country, *, city: str = "") -> Organization:
    """A hospital in ``country`` (in ``city`` when given): the generated one when there is one,
    else the country's university hospital (a small seed may have none there)."""
    found = Organization.objects.filter(country=country, kind="hospital")
    if city:
        found = found.filter(city=city)
    hospital = found.order_by("id").first()
    if hospital is not None:
        return hospital
    cities = places.COUNTRIES.get(country.iso3, {}).get("cities") or [country.name]
    city = city or str(cities[0])  # type: ignore[index]
    hospital, _created = Organization.objects.get_or_create(
        name=f"{city} University Hospital", country=country, city=city, defaults={"kind": "hospital"}
    )
    return hospital


# --- Inquiries ---------------------------------------------------------------------------------


def seed_inquiries(*, rng: Any, countries: Sequence[CountryInfo], person_pks: Sequence[int], today: dt.date) -> int:
    """ "Get involved" messages from the last weeks, through the service (staff are e-mailed)."""
    made = 0
    people = Person.objects.in_bulk(list(person_pks[: len(content.INQUIRIES)]))
    for number, (topic, message) in enumerate(content.INQUIRIES):
        country = countries[(number * 17) % len(countries)]
        given, family = places.NAME_GROUPS[country.name_group]
        name = f"{rng.choice(given)} {rng.choice(family)}"
        sender = people.get(person_pks[number]) if number % 2 == 0 and number < len(person_pks) else None
        with replay_at(today - dt.timedelta(days=3 + 4 * (len(content.INQUIRIES) - number))):
            record_inquiry(
                name=str(sender) if sender is not None else name,
                email=(sender.email if sender is not None else "") or f"inquiry{number + 1}@example.org",
                topic=topic,
                message=message.format(city=country.cities[0], country=country.name),
                submission_token=uuid.UUID(int=rng.getrandbits(128), version=4),
                country=Country.objects.get(pk=country.pk),
                person=sender,
            )
        made += 1
    return made
