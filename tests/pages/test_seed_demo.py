"""The demo seeder: a small seed runs, is deterministic, skips with --if-empty, its logins work and
its stories render."""

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import WorkflowState

from oncoreach.accounts.enums import StaffGroup
from oncoreach.accounts.models import User
from oncoreach.pages.demo import data
from oncoreach.pages.demo.generate import (
    CountryInfo,
    generate_organizations,
    generate_people,
    generate_stories,
    orcid_checksum,
)
from oncoreach.pages.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from oncoreach.pages.demo.seed import DemoSeeder, SeedSize
from oncoreach.people.models import Organization, Person
from oncoreach.programs.models import Program
from oncoreach.stories.models import StoryPage

pytestmark = [pytest.mark.integration]

SMALL = {"people": 300, "organizations": 30, "stories": 20, "seed": 7, "verbosity": 0}
PERSONA_EMAILS = [login.email for login in DEMO_LOGINS]


@pytest.fixture
def seeded(db):
    call_command("seed_demo", **SMALL, stderr=StringIO())


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
        for number, (iso3, extra) in enumerate(sorted(data.COUNTRIES.items()), start=1)
    ]


def _generate(seed: int) -> tuple[list, list, list]:
    rng = random.Random(seed)
    countries = _fake_countries()
    home = next(c for c in countries if c.iso3 == "USA")
    today = dt.date(2026, 6, 1)
    organizations = generate_organizations(rng, countries, home, 40)
    people = generate_people(rng, countries=countries, home=home, count=400, organizations=organizations, today=today)
    stories = generate_stories(
        rng,
        countries=countries,
        home=home,
        count=15,
        author_indexes=list(range(10)),
        program_slugs=["a", "b"],
        program_names={"a": "Program A", "b": "Program B"},
        today=today,
    )
    return organizations, people, stories


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


def test_seed_demo_small_creates_people_organizations_stories_and_programs(seeded):
    generated = Person.objects.exclude(email__in=PERSONA_EMAILS)
    assert generated.count() == 300
    assert Organization.objects.count() == 30
    assert StoryPage.objects.live().count() == 20 + 1  # one more published through the moderation services
    assert sorted(Program.objects.values_list("slug", flat=True)) == sorted(row[0] for row in data.PROGRAMS)
    countries = set(generated.values_list("country_of_practice__iso3", flat=True))
    assert len(countries) >= 30
    home_share = generated.filter(country_of_practice__iso3="USA").count() / 300
    assert 0.6 <= home_share <= 0.72
    assert generated.filter(is_volunteer=True).exists()
    assert not User.objects.exclude(email__in=PERSONA_EMAILS).filter(password__startswith="pbkdf2").exists()


def test_seed_demo_is_deterministic_for_a_seed(seeded):
    seeder = DemoSeeder(size=SeedSize(people=300, organizations=30, stories=20), seed=7, quiet=True)
    countries, home = seeder.country_infos()
    rng = random.Random(7)
    organizations = generate_organizations(rng, countries, home, 30)
    people = generate_people(
        rng, countries=countries, home=home, count=300, organizations=organizations, today=seeder.today
    )
    stored = list(
        Person.objects.exclude(email__in=PERSONA_EMAILS)
        .order_by("pk")
        .values_list("given_name", "family_name", "country_of_practice__iso3")
    )
    assert stored == [(p["given_name"], p["family_name"], p["country_iso3"]) for p in people]
    assert list(Organization.objects.order_by("pk").values_list("name", flat=True)) == [
        o["name"] for o in organizations
    ]


def test_seed_demo_if_empty_skips_the_second_time(seeded):
    out = StringIO()
    call_command("seed_demo", **{**SMALL, "verbosity": 1}, if_empty=True, stdout=out, stderr=StringIO())
    assert out.getvalue() == f"Demo data not created: the database already has {300 + len(DEMO_LOGINS)} people.\n"
    assert Person.objects.count() == 300 + len(DEMO_LOGINS)


def test_seed_demo_refuses_to_seed_twice_without_if_empty(seeded):
    with pytest.raises(CommandError):
        call_command("seed_demo", **SMALL, stderr=StringIO())


def test_seed_demo_logins_work_for_every_role(seeded):
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


def test_seed_demo_stories_render_at_their_urls(seeded):
    client = Client()
    stories = list(StoryPage.objects.live().order_by("pk")[:5])
    assert [client.get(story.url).status_code for story in stories] == [200] * 5
    response = client.get(stories[0].url)
    assert stories[0].title.encode() in response.content.replace(b"&#x27;", b"'")
    assert client.get("/en/stories/").status_code == 200


def test_seed_demo_wagtail_admin_opens_a_seeded_story(seeded):
    client = Client()
    client.force_login(User.objects.get(email="admin@demo.oncoreach.org"))
    story = StoryPage.objects.live().order_by("pk").first()
    assert client.get(f"/cms/pages/{story.pk}/edit/").status_code == 200


def test_seed_demo_volunteer_has_stories_in_every_state(seeded):
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


def test_print_demo_logins_lists_urls_and_every_login(seeded):
    out = StringIO()
    call_command("print_demo_logins", url="http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/cms/" in text
    assert [login.email in text for login in DEMO_LOGINS] == [True] * len(DEMO_LOGINS)
    assert text.count(DEMO_PASSWORD) == len(DEMO_LOGINS)
