"""The demo seeder: a small seed runs, is deterministic, skips with --if-empty, its logins work and
its stories render. The volume (people, organizations, stories) is generated purely and checked
here; what each demo login promises is checked in ``test_personas``."""

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import WorkflowState

from oncoreach.accounts.enums import StaffGroup
from oncoreach.accounts.models import User
from oncoreach.demo.data import content, places
from oncoreach.demo.generate import (
    CountryInfo,
    ProgramInfo,
    generate_organizations,
    generate_people,
    generate_stories,
    orcid_checksum,
)
from oncoreach.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from oncoreach.demo.seed import DemoSeeder, SeedSize
from oncoreach.demo.staffwork import DUPLICATE_NOTE
from oncoreach.people.models import Organization, Person
from oncoreach.programs.models import Program
from oncoreach.stories.models import StoryPage
from tests.demo.conftest import PERSONA_EMAILS, SMALL

MENTORING_COHORT_DOMAIN = "@mentoring.demo.oncoreach.org"

pytestmark = [pytest.mark.integration]

PROGRAMS = [ProgramInfo(slug=slug, name=name, kind=kind) for slug, name, _short, kind, _summary in content.PROGRAMS]


def _fake_countries() -> list[CountryInfo]:
    return [
        CountryInfo(
            pk=number,
            iso3=iso3,
            name=iso3.title(),
            income_group="H" if iso3 in ("USA", "GBR", "CAN") else "LM",
            languages=("en",),
            time_zone="UTC",
            time_zones=("UTC",),
            weight=float(extra["weight"]),
            name_group=str(extra["names"]),
            org_language=str(extra["org_language"]),
            cities=tuple(extra["cities"]),
        )
        for number, (iso3, extra) in enumerate(sorted(places.COUNTRIES.items()), start=1)
    ]


def _generate(seed: int, stories: int = 15) -> tuple[list, list, list]:
    rng = random.Random(seed)
    countries = _fake_countries()
    home = next(c for c in countries if c.iso3 == "USA")
    today = dt.date(2026, 6, 1)
    organizations = generate_organizations(rng, countries, home, 40)
    people = generate_people(rng, countries=countries, home=home, count=400, organizations=organizations, today=today)
    story_list = generate_stories(
        rng,
        countries=countries,
        home=home,
        count=stories,
        author_indexes=list(range(10)),
        programs=PROGRAMS,
        today=today,
    )
    return organizations, people, story_list


@pytest.mark.unit
def test_generators_are_deterministic_for_a_seed():
    assert _generate(3) == _generate(3)
    assert [p["family_name"] for p in _generate(3)[1]] != [p["family_name"] for p in _generate(4)[1]]


@pytest.mark.unit
def test_generated_orcids_have_valid_check_digits():
    _organizations, people, _stories = _generate(5)
    orcids = [p["orcid"].replace("-", "") for p in people if p["orcid"]]
    assert len(orcids) > 50
    assert [o[15] for o in orcids] == [orcid_checksum(o[:15]) for o in orcids]


@pytest.mark.unit
def test_generated_stories_are_tagged_with_the_program_and_places_their_text_names():
    countries = {c.pk: c for c in _fake_countries()}
    names = {p.slug: p.name for p in PROGRAMS}
    _organizations, _people, stories = _generate(6, stories=200)
    for story in stories:
        text = " ".join(
            [story["title"], story["teaser"], *(b["value"] for b in story["body"] if b["type"] == "paragraph")]
        )
        main = countries[story["country_pks"][0]]
        assert main.name in text or any(city in text for city in main.cities), story["title"]
        assert len(story["program_slugs"]) == 1
        slug = story["program_slugs"][0]
        assert story["topics"][0] in content.PROGRAM_TOPICS[slug]
        tagged_home = [countries[pk].iso3 for pk in story["country_pks"][1:]]
        assert tagged_home in ([], ["USA"])
        assert (tagged_home == ["USA"]) == ("New York" in text)
    # Stories about each kind of program use that kind's templates somewhere.
    awardee_stories = [s for s in stories if "awardee" in s["title"] or "awardee" in s["teaser"]]
    assert awardee_stories
    assert {names[s["program_slugs"][0]] for s in awardee_stories} <= {p.name for p in PROGRAMS if p.kind == "award"}


def test_seed_demo_small_creates_people_organizations_stories_and_programs(demo):
    generated = (
        Person.objects.exclude(email__in=PERSONA_EMAILS)
        .exclude(staff_notes__body=DUPLICATE_NOTE)
        .exclude(email__endswith=MENTORING_COHORT_DOMAIN)  # the mid-year mentoring cohort's own people
    )
    assert generated.count() == SMALL["people"]
    # Hospitals made for courses and personas in countries the small seed left without one.
    assert Organization.objects.count() >= SMALL["organizations"]
    assert StoryPage.objects.live().count() == SMALL["stories"] + 1  # one more published through moderation
    # Plus the fellowship the awards demo adds for its past awardees' pathways (IDEA → LIFe → IIG).
    expected = [row[0] for row in content.PROGRAMS] + ["long-term-international-fellowship"]
    assert sorted(Program.objects.values_list("slug", flat=True)) == sorted(expected)
    countries = set(generated.values_list("country_of_practice__iso3", flat=True))
    assert len(countries) >= 30
    home_share = generated.filter(country_of_practice__iso3="USA").count() / SMALL["people"]
    assert 0.6 <= home_share <= 0.72
    assert generated.filter(is_volunteer=True).exists()
    assert not User.objects.exclude(email__in=PERSONA_EMAILS).filter(password__startswith="pbkdf2").exists()


def test_seed_demo_is_deterministic_for_a_seed(demo):
    seeder = DemoSeeder(
        size=SeedSize(people=SMALL["people"], organizations=SMALL["organizations"], stories=SMALL["stories"]),
        seed=SMALL["seed"],
        quiet=True,
    )
    countries, home = seeder.country_infos()
    rng = random.Random(SMALL["seed"])
    organizations = generate_organizations(rng, countries, home, SMALL["organizations"])
    people = generate_people(
        rng, countries=countries, home=home, count=SMALL["people"], organizations=organizations, today=seeder.today
    )
    stored = list(
        Person.objects.exclude(email__in=PERSONA_EMAILS)
        .exclude(staff_notes__body=DUPLICATE_NOTE)  # the demo's duplicate record, made on purpose
        .exclude(email__endswith=MENTORING_COHORT_DOMAIN)
        .order_by("pk")
        .values_list("given_name", "family_name", "country_of_practice__iso3")
    )
    assert stored == [(p["given_name"], p["family_name"], p["country_iso3"]) for p in people]
    assert list(Organization.objects.order_by("pk").values_list("name", flat=True)[: len(organizations)]) == [
        o["name"] for o in organizations
    ]


def test_seed_demo_if_empty_skips_the_second_time(demo):
    out = StringIO()
    call_command("seed_demo", **{**SMALL, "verbosity": 1}, if_empty=True, stdout=out, stderr=StringIO())
    count = Person.objects.count()
    assert out.getvalue() == f"Demo data not created: the database already has {count:,} people.\n"
    assert Person.objects.count() == count


def test_seed_demo_refuses_to_seed_twice_without_if_empty(demo):
    with pytest.raises(CommandError):
        call_command("seed_demo", **SMALL, stderr=StringIO())


def test_seed_demo_logins_work_for_every_role(demo):
    for login in DEMO_LOGINS:
        assert Client().login(username=login.email, password=DEMO_PASSWORD), login.email
        person = Person.objects.get(user__email=login.email)
        assert person.affiliations.filter(is_primary=True).count() == 1
    editor = User.objects.get(email="editor@demo.oncoreach.org")
    staff = User.objects.get(email="staff@demo.oncoreach.org")
    admin = User.objects.get(email="admin@demo.oncoreach.org")
    assert (editor.is_editor, editor.is_program_staff) == (True, False)
    assert (staff.is_program_staff, staff.is_editor) == (True, False)
    assert (admin.is_superuser, admin.in_group(StaffGroup.ADMINISTRATOR)) == (True, True)
    assert Person.objects.get(user__email="volunteer@demo.oncoreach.org").is_volunteer is True


def test_seed_demo_stories_render_at_their_urls(demo):
    client = Client()
    stories = list(StoryPage.objects.live().order_by("pk")[:5])
    assert [client.get(story.url).status_code for story in stories] == [200] * 5
    response = client.get(stories[0].url)
    assert stories[0].title.encode() in response.content.replace(b"&#x27;", b"'")
    assert client.get("/en/stories/").status_code == 200


def test_seed_demo_published_stories_carry_one_program_and_their_countries(demo):
    stories = StoryPage.objects.live().prefetch_related("programs", "countries")
    assert {story.programs.count() for story in stories} == {1}
    assert all(1 <= story.countries.count() <= 2 for story in stories)


def test_seed_demo_wagtail_admin_opens_a_seeded_story(demo):
    client = Client()
    client.force_login(User.objects.get(email="admin@demo.oncoreach.org"))
    story = StoryPage.objects.live().order_by("pk").first()
    assert client.get(f"/cms/pages/{story.pk}/edit/").status_code == 200


def test_seed_demo_volunteer_has_stories_in_every_state(demo):
    volunteer = Person.objects.get(user__email="volunteer@demo.oncoreach.org")
    mine = StoryPage.objects.filter(story_authors__person=volunteer)
    ids = [str(pk) for pk in mine.values_list("pk", flat=True)]
    in_workflow = WorkflowState.objects.filter(object_id__in=ids)
    assert sorted(in_workflow.values_list("status", flat=True)) == [
        "approved",
        "in_progress",
        "in_progress",
        "needs_changes",
        "needs_changes",
    ]
    drafts = mine.filter(live=False).exclude(pk__in=[int(pk) for pk in in_workflow.values_list("object_id", flat=True)])
    assert drafts.count() == 1
    assert mine.filter(live=True).count() >= 2


def test_seed_demo_moderated_stories_are_tagged_with_their_program_and_place(demo):
    published = StoryPage.objects.get(title="Teaching pain control in Lima")
    assert list(published.countries.values_list("iso3", flat=True)) == ["PER"]
    assert list(published.programs.values_list("slug", flat=True)) == ["palliative-care-workshop"]
    assert sorted(published.topics.names()) == ["pain management", "palliative care"]


def test_print_demo_logins_lists_urls_and_every_login_with_what_to_try(demo):
    out = StringIO()
    call_command("print_demo_logins", url="http://127.0.0.1:8301/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8301/cms/" in text
    assert [login.email in text for login in DEMO_LOGINS] == [True] * len(DEMO_LOGINS)
    assert text.count(DEMO_PASSWORD) == len(DEMO_LOGINS)
    assert [login.what.split(":")[0] in " ".join(text.split()) for login in DEMO_LOGINS] == [True] * len(DEMO_LOGINS)


@pytest.mark.unit
def test_readme_login_table_says_what_print_demo_logins_says():
    from django.conf import settings

    from oncoreach.demo.logins import PUBLIC_WHAT

    readme = (settings.BASE_DIR / "README.md").read_text().replace("`", "")
    assert f"| public | (no login) | {PUBLIC_WHAT} |" in readme
    for login in DEMO_LOGINS:
        assert f"| {login.email} | {login.what} |" in readme, login.email
