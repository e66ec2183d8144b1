"""What every domain module of the seeder shares: the random source, the day, the demo logins and
the pools of generated people that lifecycles draw from."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, TextIO

from oncoreach.accounts.enums import Role
from oncoreach.accounts.models import User
from oncoreach.demo.people import Cast
from oncoreach.demo.progress import Progress
from oncoreach.geo.models import Country
from oncoreach.people.models import Organization, Person
from oncoreach.programs.forms_engine import questions_for
from oncoreach.programs.models import FormDefinition, Program, Question

LMIC = ("L", "LM", "UM")


@dataclass
class World:
    rng: random.Random
    today: dt.date
    cast: Cast
    programs: dict[str, Program]
    #: Generated volunteers (mostly in high-income countries): faculty and reviewers.
    volunteers: list[Person]
    #: Generated people practising in low- and middle-income countries: applicants, participants, hosts.
    lmic_people: list[Person]
    stream: TextIO | None = None
    quiet: bool = False
    #: Filled as the seeder goes: who teaches, what was made (for the report and the next stages).
    faculty: list[Person] = field(default_factory=list)
    made: dict[str, Any] = field(default_factory=dict)
    _countries: dict[str, Country] = field(default_factory=dict)

    @property
    def staff(self) -> User:
        """The program staff login: staff actions in the demo are done as this person."""
        return self.cast.user(Role.PROGRAM_STAFF)

    def country(self, iso3: str) -> Country:
        if iso3 not in self._countries:
            self._countries[iso3] = Country.objects.get(iso3=iso3)
        return self._countries[iso3]

    def progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, stream=self.stream, quiet=self.quiet)

    def questions(self, form: FormDefinition) -> list[Question]:
        """A form's questions, read once per run."""
        cache = self.made.setdefault("questions", {})
        if form.pk not in cache:
            cache[form.pk] = questions_for(form)
        questions: list[Question] = cache[form.pk]
        return questions

    def days(self, offset: int) -> dt.date:
        """``today`` plus ``offset`` days (negative: in the past)."""
        return self.today + dt.timedelta(days=offset)

    def sample(self, pool: list[Person], count: int) -> list[Person]:
        """``count`` different people from ``pool`` (all of them when it is smaller)."""
        return self.rng.sample(pool, min(count, len(pool)))


def load_pools(*, rng: random.Random, volunteers: int = 400, lmic: int = 900) -> tuple[list[Person], list[Person]]:
    """Generated people for the lifecycles, read once (the demo logins excluded), in a seeded order."""
    base = Person.objects.filter(user__email__contains="@example.").select_related("country_of_practice", "user")
    volunteer_pool = list(base.filter(is_volunteer=True).order_by("id")[:volunteers])
    lmic_pool = list(base.filter(is_volunteer=False, country_of_practice__income_group__in=LMIC).order_by("id")[:lmic])
    rng.shuffle(volunteer_pool)
    rng.shuffle(lmic_pool)
    return volunteer_pool, lmic_pool


def organization_of(person: Person) -> Organization | None:
    affiliation = person.affiliations.select_related("organization__country").order_by("-is_primary", "id").first()
    return affiliation.organization if affiliation is not None else None
