"""The demo seeder: one run writes everything in one transaction, stage by stage, each stage in
its domain's module.

Bulk volume without a lifecycle (organizations, thousands of people, years of published stories)
is generated purely (``generate``) and bulk-inserted. Every lifecycle object a demo login shows is
made by that domain's services, replayed at the moment it happened (``clock.replay_at``):
volunteer profiles, courses and invitations, registrations and certificates, calls, applications
and reviews, stories in moderation, inquiries.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oncoreach.accounts.enums import Role
from oncoreach.demo import (
    awards,
    calls,
    memberships,
    mentoring,
    mentoring_cohorts,
    messages,
    people,
    programs,
    staffwork,
    stories,
    volunteers,
    workshops,
)
from oncoreach.demo.award_cycle import CycleSize
from oncoreach.demo.data import places
from oncoreach.demo.generate import (
    CountryInfo,
    ProgramInfo,
    generate_organizations,
    generate_people,
    generate_stories,
)
from oncoreach.demo.progress import Progress
from oncoreach.demo.world import World, load_pools
from oncoreach.geo.models import Country

FULL_SIZE = {"people": 45_000, "organizations": 2_000, "stories": 1_500}


@dataclass(frozen=True)
class SeedSize:
    people: int
    organizations: int
    stories: int

    @classmethod
    def for_people(cls, people: int, *, organizations: int | None = None, stories: int | None = None) -> SeedSize:
        """Organizations and stories scale with people (6,000 people: 400 organizations, 300 stories)."""
        return cls(
            people=people,
            organizations=organizations if organizations is not None else max(10, round(people / 15)),
            stories=stories if stories is not None else max(5, round(people / 20)),
        )


@dataclass
class SeedReport:
    people: int = 0
    users: int = 0
    organizations: int = 0
    affiliations: int = 0
    stories: int = 0
    moderation_stories: int = 0
    programs: int = 0
    inquiries: int = 0
    memberships: int = 0
    cohort_recipients: int = 0
    staff_notes: int = 0
    volunteer_profiles: int = 0
    countries_with_people: int = 0
    workshops: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    awards: dict[str, int] = field(default_factory=dict)
    past_awardees: int = 0
    mentoring: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)


class DemoSeeder:
    """One run of the seeder; ``run()`` writes everything in one transaction."""

    def __init__(self, *, size: SeedSize, seed: int = 1, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.stream = stream
        self.quiet = quiet
        self.today = timezone.localdate()
        self.report = SeedReport()

    def run(self) -> SeedReport:
        """All or nothing: a failure part-way leaves the database as it was."""
        self._timed("reference data", self.ensure_countries)
        with transaction.atomic():
            self._write_all()
        from oncoreach.core.cache import bump_public_generation

        bump_public_generation()
        return self.report

    def _write_all(self) -> None:
        countries, home = self.country_infos()
        catalogue = self._timed("programs", programs.ensure_programs)
        self.report.programs = len(catalogue)

        # Bulk volume: generated purely from the seed, then inserted in batches.
        organizations = generate_organizations(self.rng, countries, home, self.size.organizations)
        population = generate_people(
            self.rng,
            countries=countries,
            home=home,
            count=self.size.people,
            organizations=organizations,
            today=self.today,
        )
        volunteer_indexes = [i for i, p in enumerate(population) if p["is_volunteer"]] or list(range(len(population)))
        story_plan = generate_stories(
            self.rng,
            countries=countries,
            home=home,
            count=self.size.stories,
            author_indexes=volunteer_indexes,
            programs=[ProgramInfo(slug=p.slug, name=p.name, kind=p.kind) for p in catalogue.values()],
            today=self.today,
        )
        org_pks = self._timed(
            "organizations",
            lambda: people.write_organizations(organizations, self._progress("organizations", len(organizations))),
        )
        person_pks, user_pks, affiliations = self._timed(
            "people",
            lambda: people.write_people(
                population, org_pks, self._progress("people", people.people_progress_total(population))
            ),
        )
        cast = self._timed(
            "demo logins",
            lambda: people.write_personas(organizations=organizations, org_pks=org_pks, today=self.today),
        )
        index = self._timed("page tree", stories.ensure_page_tree)
        story_ids = self._timed(
            "stories",
            lambda: stories.write_published_stories(
                rng=self.rng,
                index=index,
                stories=story_plan,
                person_pks=person_pks,
                user_pks=user_pks,
                programs=catalogue,
                volunteer=cast.person(Role.VOLUNTEER),
                progress=self._progress("stories", 3 * len(story_plan)),
            ),
        )
        self.report.organizations = len(org_pks)
        self.report.people = len(person_pks)
        self.report.users = sum(1 for pk in user_pks if pk)
        self.report.affiliations = affiliations
        self.report.stories = len(story_ids)
        self.report.countries_with_people = len({p["country_pk"] for p in population})

        # Lifecycles, through the services (a separate random source: the volume above stays the
        # same whatever the lifecycles draw).
        life = random.Random(self.seed * 7919 + 1)
        volunteer_pool, lmic_pool = load_pools(rng=life)
        world = World(
            rng=life,
            today=self.today,
            cast=cast,
            programs=catalogue,
            volunteers=volunteer_pool,
            lmic_people=lmic_pool,
            stream=self.stream,
            quiet=self.quiet,
        )
        self.report.volunteer_profiles = self._timed("volunteers", lambda: volunteers.seed_volunteer_profiles(world))
        self.report.workshops = self._timed("courses", lambda: workshops.seed_workshops(world))
        self.report.calls = self._timed("calls", lambda: calls.seed_calls(world))
        self.report.mentoring = self._timed(
            "mentoring",
            lambda: mentoring.seed_mentoring(
                world,
                mentors=min(120, max(6, self.size.people // 50)),
                mentees=min(300, max(12, self.size.people // 20)),
            ),
        )
        self.report.mentoring |= self._timed("mentorship year", lambda: mentoring_cohorts.seed_mentorship_year(world))
        self.report.mentoring |= self._timed("finished cohort", lambda: mentoring_cohorts.seed_finished_cohort(world))
        self.report.moderation_stories = self._timed("moderation", lambda: self._moderation(world))
        self._timed("hours", lambda: volunteers.log_persona_hours(world))
        self.report.inquiries = self._timed(
            "inquiries",
            lambda: people.seed_inquiries(rng=life, countries=countries, person_pks=person_pks, today=self.today),
        )
        self.report.memberships = self._timed("memberships", lambda: memberships.seed_memberships(world))
        self.report.cohort_recipients = self._timed("cohort message", lambda: messages.seed_messages(world))
        self.report.staff_notes = self._timed("staff notes", lambda: staffwork.seed_staff_work(world))
        # This year's IDEA / IDEA-PC cycle: about 400 applications and 60 reviewers at full size.
        cycle = CycleSize.for_people(self.size.people)
        self.report.awards = self._timed(
            "awards",
            lambda: awards.seed_awards(world, size=cycle, grant_applications=max(8, cycle.applications // 8)),
        )
        # About 8,000 past awardees over 20 years at the default size (6,000 people).
        past = min(8000, round(self.size.people * 4 / 3))
        self.report.past_awardees = self._timed("past awardees", lambda: awards.write_past_awardees(world, count=past))

    def _moderation(self, world: World) -> int:
        lima = world.made["lima"]
        lmics = sorted(
            Country.objects.filter(iso3__in=places.COUNTRIES, income_group__in=("L", "LM")),
            key=lambda c: (-float(places.COUNTRIES[c.iso3]["weight"]), c.iso3),  # type: ignore[arg-type]
        )[:8]
        where = [(lima.city, lima.country)] + [(str(places.COUNTRIES[c.iso3]["cities"][0]), c) for c in lmics]  # type: ignore[index]
        return stories.seed_moderation_stories(
            rng=world.rng,
            author=world.cast.user(Role.VOLUNTEER),
            editor=world.cast.user(Role.EDITOR),
            places=where,
            programs=world.programs,
            today=self.today,
        )

    def _timed(self, label: str, func: Callable[[], Any]) -> Any:
        started, cpu = time.monotonic(), time.process_time()
        result = func()
        self.report.timings[label] = time.monotonic() - started
        self.report.cpu[label] = time.process_time() - cpu
        return result

    def _progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, stream=self.stream, quiet=self.quiet)

    # --- reference data -----------------------------------------------------------------------

    def ensure_countries(self) -> None:
        """The geo loader owns countries; run it when the table is still empty."""
        if Country.objects.exists():
            return
        from oncoreach.geo.services import load_reference_data

        with self._progress("reference data", 1):
            load_reference_data()

    def country_infos(self) -> tuple[list[CountryInfo], CountryInfo]:
        home_iso3 = settings.SOCIETY.get("home_country", "USA")
        infos = []
        for country in Country.objects.order_by("iso3"):
            extra = places.COUNTRIES.get(country.iso3)
            if extra is None:
                continue
            infos.append(
                CountryInfo(
                    pk=country.pk,
                    iso3=country.iso3,
                    name=country.name,
                    income_group=country.income_group,
                    languages=tuple(country.languages or ()),
                    time_zone=country.time_zone or "UTC",
                    time_zones=tuple(country.time_zones or ()),
                    weight=float(extra["weight"]),  # type: ignore[arg-type]
                    name_group=str(extra["names"]),
                    org_language=str(extra["org_language"]),
                    cities=tuple(extra["cities"]),  # type: ignore[arg-type]
                )
            )
        home = next((c for c in infos if c.iso3 == home_iso3), None)
        if home is None:
            raise RuntimeError(f"The home country {home_iso3} is not in the reference data.")
        return infos, home
