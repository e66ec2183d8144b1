"""Write the demo data: programs, organizations, people with logins, demo personas, stories.

Generation is pure (``demo.generate``); this module writes it with bulk inserts in batches, and
builds the Wagtail story pages directly (precomputed treebeard paths, one revision each, bulk
search indexing), because ``add_child`` + ``save_revision`` one page at a time is far too slow for
1,500 stories. The few stories that show the moderation queue go through ``stories.services``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision, Site
from wagtail.search.backends import get_search_backends

from oncoreach.accounts.models import User
from oncoreach.geo.models import Country
from oncoreach.pages.demo import data
from oncoreach.pages.demo.generate import CountryInfo, generate_organizations, generate_people, generate_stories
from oncoreach.pages.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from oncoreach.pages.demo.progress import Progress
from oncoreach.pages.models import HomePage
from oncoreach.people.models import Affiliation, Inquiry, Organization, Person
from oncoreach.programs.models import Program
from oncoreach.stories.models import StoryAuthor, StoryIndexPage, StoryPage, StoryTopic
from oncoreach.stories.services import RESERVED_SLUGS

BATCH = 2000
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
    countries_with_people: int = 0
    workshops: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


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

    # --- stages ---------------------------------------------------------------------------------

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
        self._timed("programs", self.ensure_programs)
        programs = {p.slug: p for p in Program.objects.filter(slug__in=[row[0] for row in data.PROGRAMS])}

        organizations = generate_organizations(self.rng, countries, home, self.size.organizations)
        people = generate_people(
            self.rng,
            countries=countries,
            home=home,
            count=self.size.people,
            organizations=organizations,
            today=self.today,
        )
        volunteer_indexes = [i for i, p in enumerate(people) if p["is_volunteer"]] or list(range(len(people)))
        stories = generate_stories(
            self.rng,
            countries=countries,
            home=home,
            count=self.size.stories,
            author_indexes=volunteer_indexes,
            program_slugs=list(programs),
            program_names={slug: p.name for slug, p in programs.items()},
            today=self.today,
        )
        org_pks = self._timed("organizations", lambda: self.write_organizations(organizations))
        person_pks, user_pks = self._timed("people", lambda: self.write_people(people, org_pks))
        personas = self._timed("demo logins", lambda: self.write_personas(home, org_pks, organizations))
        index = self._timed("page tree", self.ensure_page_tree)
        page_ids = self._timed(
            "stories",
            lambda: self.write_stories(
                index=index,
                stories=stories,
                person_pks=person_pks,
                user_pks=user_pks,
                programs=programs,
                personas=personas,
            ),
        )
        self._timed("search index", lambda: self.index_stories(page_ids))
        self._timed("moderation queue", lambda: self.write_moderation_stories(personas, countries, programs))
        self._timed("inquiries", lambda: self.write_inquiries(countries, person_pks))
        self._timed("workshops", self.write_workshops)
        self.report.countries_with_people = len({p["country_pk"] for p in people})

    def write_workshops(self) -> None:
        """Past and upcoming courses with volunteer faculty, through the workshops services."""
        from oncoreach.workshops.demo import seed_workshops

        rng = random.Random(self.seed * 7919 + 1)
        volunteers = list(
            Person.objects.filter(is_volunteer=True, country_of_practice__isnull=False)
            .select_related("country_of_practice")
            .order_by("id")[:400]
        )
        organizations = list(Organization.objects.select_related("country").order_by("id")[:600])
        countries = list(Country.objects.order_by("iso3"))
        with self._progress("workshops", 1):
            self.report.workshops = seed_workshops(
                rng=rng, people=volunteers, organizations=organizations, countries=countries
            )

    def _timed(self, label: str, func: Callable[[], Any]) -> Any:
        started = time.monotonic()
        result = func()
        self.report.timings[label] = time.monotonic() - started
        return result

    def _progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, stream=self.stream, quiet=self.quiet)

    # --- reference data and catalogue -----------------------------------------------------------

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
            extra = data.COUNTRIES.get(country.iso3)
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

    def ensure_programs(self) -> None:
        for order, (slug, name, short, kind, summary) in enumerate(data.PROGRAMS, start=1):
            Program.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": short,
                    "kind": kind,
                    "summary": summary,
                    "sort_order": order * 10,
                },
            )
        self.report.programs = len(data.PROGRAMS)

    # --- organizations and people ---------------------------------------------------------------

    def write_organizations(self, organizations: Sequence[dict[str, Any]]) -> list[int]:
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
        with self._progress("organizations", len(rows)) as progress:
            for start in range(0, len(rows), BATCH):
                Organization.objects.bulk_create(rows[start : start + BATCH])
                progress.advance(len(rows[start : start + BATCH]))
        self.report.organizations = len(rows)
        return [row.pk for row in rows]

    def write_people(
        self, people: Sequence[dict[str, Any]], org_pks: Sequence[int]
    ) -> tuple[list[int], list[int | None]]:
        """Users (unusable passwords: nobody signs in as a generated person), people, affiliations."""
        now = timezone.now()
        unusable = make_password(None)  # one unusable hash shared by all: no hashing per person
        with self._progress("logins", sum(1 for p in people if p["has_login"])) as progress:
            users: list[User | None] = []
            pending: list[User] = []
            for person in people:
                if not person["has_login"]:
                    users.append(None)
                    continue
                user = User(
                    email=person["email"],
                    password=unusable,
                    display_name=f"{person['given_name']} {person['family_name']}",
                    email_confirmed=True,
                    preferred_language=person["preferred_language"],
                    time_zone=person["time_zone"],
                    date_joined=now,
                )
                users.append(user)
                pending.append(user)
                if len(pending) >= BATCH:
                    User.objects.bulk_create(pending)
                    progress.advance(len(pending))
                    pending = []
            if pending:
                User.objects.bulk_create(pending)
                progress.advance(len(pending))
        user_pks = [u.pk if u is not None else None for u in users]

        rows = [
            Person(
                user_id=user_pks[i],
                given_name=p["given_name"],
                family_name=p["family_name"],
                email=p["email"],
                country_of_practice_id=p["country_pk"],
                country_of_residence_id=p["country_pk"],
                specialty=p["specialty"],
                career_stage=p["career_stage"],
                training_completed_year=p["training_completed_year"],
                languages=p["languages"],
                time_zone=p["time_zone"],
                orcid=p["orcid"],
                bio=p["bio"],
                membership_status=p["membership_status"],
                is_volunteer=p["is_volunteer"],
                created_at=now,
                updated_at=now,
            )
            for i, p in enumerate(people)
        ]
        with self._progress("people", len(rows)) as progress:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                Person.objects.bulk_create(chunk)
                progress.advance(len(chunk))
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
        with self._progress("affiliations", len(affiliations)) as progress:
            for start in range(0, len(affiliations), BATCH):
                affiliation_chunk = affiliations[start : start + BATCH]
                Affiliation.objects.bulk_create(affiliation_chunk)
                progress.advance(len(affiliation_chunk))
        self.report.people = len(rows)
        self.report.users = len([pk for pk in user_pks if pk])
        self.report.affiliations = len(affiliations)
        return person_pks, user_pks

    def write_personas(
        self, home: CountryInfo, org_pks: Sequence[int], organizations: Sequence[dict[str, Any]]
    ) -> dict[str, Any]:
        """The demo logins, one per role, each with a full profile; one hash shared by all."""
        hashed = make_password(DEMO_PASSWORD)
        countries = {c.iso3: c for c in Country.objects.filter(iso3__in={d.country for d in DEMO_LOGINS})}
        personas: dict[str, Any] = {}
        for login in DEMO_LOGINS:
            personas[login.role] = self._persona(login, hashed, countries, org_pks, organizations)
        return personas

    def _persona(
        self,
        login: DemoLogin,
        hashed: str,
        countries: dict[str, Country],
        org_pks: Sequence[int],
        organizations: Sequence[dict[str, Any]],
    ) -> User:
        country = countries.get(login.country)
        user, _created = User.objects.get_or_create(
            email=login.email,
            defaults={
                "display_name": login.name,
                "email_confirmed": True,
                "password": hashed,
                "time_zone": login.time_zone,
                "preferred_language": login.language,
            },
        )
        user.password = hashed
        user.is_staff = login.is_staff
        user.is_superuser = login.is_superuser
        user.save()
        for group_name in login.groups:
            user.groups.add(Group.objects.get_or_create(name=group_name)[0])
        given, _, family = login.name.partition(" ")
        person, _created = Person.objects.update_or_create(
            user=user,
            defaults={
                "given_name": given,
                "family_name": family,
                "passport_name": login.name.upper(),
                "email": login.email,
                "country_of_practice": country,
                "country_of_residence": country,
                "specialty": login.specialty,
                "career_stage": login.career_stage,
                "training_completed_year": login.training_completed_year,
                "languages": list(login.languages),
                "time_zone": login.time_zone,
                "orcid": login.orcid,
                "bio": login.bio,
                "membership_status": login.membership_status,
                "is_volunteer": login.is_volunteer,
            },
        )
        candidates = [
            pk
            for pk, org in zip(org_pks, organizations, strict=True)
            if org["country_iso3"] == login.country and org["kind"] in ("hospital", "university")
        ]
        if not candidates and country is not None:
            # A small seed may have no hospital in the persona's country: give them one.
            cities = data.COUNTRIES.get(login.country, {}).get("cities") or [country.name]
            city = cities[0]  # type: ignore[index]
            hospital, _created = Organization.objects.get_or_create(
                name=f"{city} University Hospital", country=country, city=city, defaults={"kind": "hospital"}
            )
            candidates = [hospital.pk]
        if candidates and not person.affiliations.exists():
            Affiliation.objects.create(
                person=person,
                organization_id=candidates[0],
                title=login.position,
                is_primary=True,
                start_year=(login.training_completed_year or self.today.year) + 1,
            )
            if len(candidates) > 1:
                Affiliation.objects.create(person=person, organization_id=candidates[-1], title="Visiting faculty")
        return user

    # --- the page tree and stories --------------------------------------------------------------

    def ensure_page_tree(self) -> StoryIndexPage:
        """Home → Stories come from data migrations; create them here only if they are missing."""
        existing: StoryIndexPage | None = StoryIndexPage.objects.order_by("path").first()
        if existing is not None:
            return existing
        home = HomePage.objects.order_by("path").first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title=settings.SOCIETY["program_name"], slug="home-page"))
            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
            else:
                site.root_page = home
                site.save()
        index = StoryIndexPage(title="Stories", slug="stories")
        home.add_child(instance=index)
        index.save_revision().publish()
        return index

    def write_stories(
        self,
        *,
        index: StoryIndexPage,
        stories: Sequence[dict[str, Any]],
        person_pks: Sequence[int],
        user_pks: Sequence[int | None],
        programs: dict[str, Program],
        personas: dict[str, Any],
    ) -> list[int]:
        """Live story pages with one revision each, built in bulk under the stories index."""
        if not stories:
            return []
        story_type = ContentType.objects.get_for_model(StoryPage)
        page_type = ContentType.objects.get_for_model(Page)
        index = StoryIndexPage.objects.select_for_update(of=("self",)).get(pk=index.pk)
        # Query the children directly: treebeard's helpers trust numchild, which bulk writes bypass.
        children_qs = Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
        last_path = children_qs.order_by("-path").values_list("path", flat=True).first()
        next_step = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
        taken = set(children_qs.values_list("slug", flat=True)) | RESERVED_SLUGS
        # The demo volunteer's profile becomes an author of a few published stories.
        volunteer = personas.get("volunteer")
        volunteer_person_pk = Person.objects.filter(user=volunteer).values_list("pk", flat=True).first()

        pages: list[Page] = []
        story_rows: list[dict[str, Any]] = []
        for number, story in enumerate(stories):
            slug = base = slugify(story["title"])[:70].strip("-") or "story"
            suffix = 2
            while slug in taken:
                slug = f"{base}-{suffix}"
                suffix += 1
            taken.add(slug)
            published = timezone.make_aware(dt.datetime.combine(story["date"], dt.time(story["hour"], 0)), dt.UTC)
            authors = [person_pks[i] for i in story["authors"]]
            if volunteer_person_pk and number % max(1, len(stories) // 4) == 0 and volunteer_person_pk not in authors:
                authors = [volunteer_person_pk]
            owner_pk = next((user_pks[i] for i in story["authors"] if user_pks[i]), None)
            if volunteer is not None and authors == [volunteer_person_pk]:
                owner_pk = volunteer.pk
            pages.append(
                Page(
                    title=story["title"],
                    draft_title=story["title"],
                    slug=slug,
                    content_type=story_type,
                    path=Page._get_path(index.path, index.depth + 1, next_step + number),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    latest_revision_created_at=published,
                    owner_id=owner_pk,
                    locale_id=index.locale_id,
                    translation_key=story["translation_key"],
                    seo_title="",
                    search_description="",
                    show_in_menus=False,
                )
            )
            story_rows.append({"story": story, "authors": authors})

        with self._progress("story pages", len(pages)) as progress:
            for start in range(0, len(pages), BATCH):
                chunk = pages[start : start + BATCH]
                Page.objects.bulk_create(chunk)
                progress.advance(len(chunk))
            page_ids = [p.pk for p in pages]
            children = [
                StoryPage(
                    page_ptr_id=pk,
                    teaser=row["story"]["teaser"],
                    date=row["story"]["date"],
                    body=row["story"]["body"],
                    no_patient_identifiers=True,
                )
                for pk, row in zip(page_ids, story_rows, strict=True)
            ]
            for child in children:
                child.pk = child.page_ptr_id
            local_fields = StoryPage._meta.local_concrete_fields
            for start in range(0, len(children), 500):
                StoryPage.objects._insert(children[start : start + 500], fields=local_fields)
            self._write_story_tags(page_ids, story_rows, programs)
            Page.objects.filter(pk=index.pk).update(numchild=children_qs.count())

        with self._progress("revisions", len(page_ids)) as progress:
            self._write_revisions(page_ids, pages, story_type, page_type, progress)
        self.report.stories = len(page_ids)
        return page_ids

    def _write_story_tags(
        self, page_ids: Sequence[int], story_rows: Sequence[dict[str, Any]], programs: dict[str, Program]
    ) -> None:
        country_through = StoryPage.countries.through
        program_through = StoryPage.programs.through
        tags: dict[str, int] = {}
        for name in data.TOPICS:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name, slug=slugify(name))
            tags[name] = tag.pk
        country_rows, program_rows, topic_rows, author_rows = [], [], [], []
        for pk, row in zip(page_ids, story_rows, strict=True):
            story = row["story"]
            country_rows += [country_through(storypage_id=pk, country_id=c) for c in story["country_pks"]]
            program_rows += [
                program_through(storypage_id=pk, program_id=programs[s].pk) for s in story["program_slugs"]
            ]
            topic_rows += [StoryTopic(content_object_id=pk, tag_id=tags[t]) for t in story["topics"]]
            author_rows += [
                StoryAuthor(page_id=pk, person_id=person_pk, sort_order=order)
                for order, person_pk in enumerate(row["authors"])
            ]
        for model, rows in (
            (country_through, country_rows),
            (program_through, program_rows),
            (StoryTopic, topic_rows),
            (StoryAuthor, author_rows),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)

    def _write_revisions(
        self,
        page_ids: Sequence[int],
        pages: Sequence[Page],
        story_type: ContentType,
        page_type: ContentType,
        progress: Progress,
    ) -> None:
        by_pk = {p.pk: p for p in pages}
        for start in range(0, len(page_ids), 500):
            chunk = list(
                StoryPage.objects.filter(pk__in=page_ids[start : start + 500])
                .prefetch_related("countries", "programs", "story_authors", "topic_items", "wagtail_admin_comments")
                .order_by("pk")
            )
            revisions = [
                Revision(
                    content_type=story_type,
                    base_content_type=page_type,
                    object_id=str(page.pk),
                    created_at=by_pk[page.pk].first_published_at,
                    user_id=page.owner_id,
                    object_str=page.title,
                    content=page.serializable_data(),
                )
                for page in chunk
            ]
            Revision.objects.bulk_create(revisions)
            updates = []
            logs = []
            for revision in revisions:
                page = by_pk[int(revision.object_id)]
                page.latest_revision_id = revision.pk
                page.live_revision_id = revision.pk
                updates.append(page)
                logs.append(
                    PageLogEntry(
                        content_type=story_type,
                        page_id=page.pk,
                        revision_id=revision.pk,
                        action="wagtail.publish",
                        label=page.title,
                        user_id=page.owner_id,
                        timestamp=revision.created_at,
                        uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                        data={},
                    )
                )
            Page.objects.bulk_update(updates, ["latest_revision", "live_revision"], batch_size=500)
            PageLogEntry.objects.bulk_create(logs)
            progress.advance(len(chunk))

    def index_stories(self, page_ids: Sequence[int]) -> None:
        """What ``update_index`` does, for the new stories only, in bulk."""
        with self._progress("search index", len(page_ids)) as progress:
            for backend in get_search_backends(with_auto_update=True):
                for start in range(0, len(page_ids), 500):
                    chunk = list(StoryPage.objects.filter(pk__in=page_ids[start : start + 500]))
                    backend.add_bulk(StoryPage, chunk)
                    progress.advance(len(chunk))

    def write_moderation_stories(
        self, personas: dict[str, Any], countries: Sequence[CountryInfo], programs: dict[str, Program]
    ) -> None:
        """The demo volunteer's stories in each state: a draft, two submitted, two sent back, one approved."""
        from oncoreach.stories import services

        volunteer, editor = personas.get("volunteer"), personas.get("editor")
        if volunteer is None or editor is None:
            return
        lmics = sorted((c for c in countries if c.income_group in ("L", "LM")), key=lambda c: -c.weight)[:12]
        lmics = lmics or list(countries)[:12]
        country_objects = Country.objects.in_bulk([c.pk for c in lmics])
        program_list = list(programs.values())
        made = 0
        for number, (state, title, teaser, body) in enumerate(_MODERATION_STORIES):
            country = lmics[number % len(lmics)]
            city = country.cities[0]
            payload = {
                "title": title.format(city=city, country=country.name),
                "teaser": teaser.format(city=city, country=country.name),
                "body": body.format(city=city, country=country.name),
                "countries": [country_objects[country.pk]],
                "programs": [program_list[number % len(program_list)]],
                "topics": [data.TOPICS[number % len(data.TOPICS)]],
                "no_patient_identifiers": True,
                "submission_token": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            }
            if state == "draft":
                self._draft_story(volunteer, payload)
                made += 1
                continue
            page = services.submit_guest_story(author_user=volunteer, data=payload, images=[])
            if state == "changes_requested":
                services.request_changes(
                    page=page,
                    editor=editor,
                    comment="Thank you! Could you add a sentence on who the local co-faculty were, and remove the hospital ward name?",
                )
            elif state == "published":
                services.publish_story(page=page, editor=editor)
            made += 1
        self.report.moderation_stories = made

    def _draft_story(self, author: User, payload: dict[str, Any]) -> StoryPage:
        """A story the author saved but has not sent to the editors yet (no workflow)."""
        from wagtail.rich_text import RichText

        index = StoryIndexPage.objects.order_by("path").first()
        assert index is not None
        person = Person.objects.get(user=author)
        taken = set(
            Page.objects.filter(path__startswith=index.path, depth=index.depth + 1).values_list("slug", flat=True)
        )
        slug = base = slugify(payload["title"])[:70] or "draft"
        suffix = 2
        while slug in taken:
            slug = f"{base}-{suffix}"
            suffix += 1
        page = StoryPage(
            title=payload["title"],
            slug=slug,
            teaser=payload["teaser"],
            date=self.today,
            owner=author,
            live=False,
            body=[("paragraph", RichText(f"<p>{payload['body']}</p>"))],
            no_patient_identifiers=True,
        )
        page.countries.set(payload["countries"])
        page.programs.set(payload["programs"])
        page.topics.set(payload["topics"])
        page.story_authors.add(StoryAuthor(person=person))
        index.add_child(instance=page)
        page.save_revision(user=author)
        return page

    def write_inquiries(self, countries: Sequence[CountryInfo], person_pks: Sequence[int]) -> None:
        rows = []
        for number, (topic, message) in enumerate(data.INQUIRIES):
            country = countries[(number * 17) % len(countries)]
            name = f"{self.rng.choice(data.NAME_GROUPS[country.name_group][0])} {self.rng.choice(data.NAME_GROUPS[country.name_group][1])}"
            rows.append(
                Inquiry(
                    name=name,
                    email=f"inquiry{number + 1}@example.org",
                    country_id=country.pk,
                    topic=topic,
                    message=message.format(city=country.cities[0], country=country.name),
                    person_id=person_pks[number] if number % 2 == 0 and person_pks else None,
                    handled=number < 2,
                )
            )
        Inquiry.objects.bulk_create(rows)
        self.report.inquiries = len(rows)


_MODERATION_STORIES = [
    (
        "published",
        "Teaching pain control in {city}",
        "Three days on pain and symptom control with nurses and doctors from across {country}.",
        "We arrived in {city} with slides; we left with a list of what our colleagues actually need.\n\n"
        "The most useful session was a bedside round where nurses led the discussion.",
    ),
    (
        "submitted",
        "What a week in {city} taught me about tumor boards",
        "A volunteer's notes from a multidisciplinary course in {country}.",
        "Every afternoon we discussed real, anonymised cases.\n\nBy Friday the surgeons were presenting.",
    ),
    (
        "submitted",
        "Building a cancer registry from one form",
        "How a hospital in {city} started recording every new cancer case the same way.",
        "It started with a single paper form.\n\nTwo years later the registry covers the whole province.",
    ),
    (
        "changes_requested",
        "Mentoring across eight time zones",
        "A year of monthly calls between a mentor and a young oncologist in {city}.",
        "We met at six in the morning my time and two in the afternoon hers.\n\nShe now leads the unit's trials.",
    ),
    (
        "changes_requested",
        "Palliative care at home in {country}",
        "Community nurses in {city} are bringing palliative care to patients' homes.",
        "The team visits twenty patients a week on motorbikes.\n\nMorphine supply remains the hardest problem.",
    ),
    (
        "draft",
        "Notes from the radiotherapy unit in {city}",
        "Draft: what we saw and what we plan to teach next time.",
        "One machine, two shifts a day, and a waiting list of six weeks.",
    ),
]
