"""Personas shared by every test (STYLE.md §10): each is a real user with a Person."""

import pytest

from oncoreach.accounts.enums import StaffGroup
from tests.browser import browser  # noqa: F401 — the one system-Chromium fixture the browser tests share
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory
from tests.geo.conftest import reference_data  # noqa: F401 — the shipped countries, for every app's tests


def _persona(email: str, name: str, *, groups=(), volunteer=False, member=True, superuser=False):
    # A persona fetched by name inside a test (request.getfixturevalue) comes after the per-test
    # check below; its groups and the CMS tree must be there even after a flush.
    restore_initial_data_after_a_flush()
    user = UserFactory(email=email, display_name=name, groups=[g.value for g in groups], is_superuser=superuser)
    given, _, family = name.partition(" ")
    PersonFactory(
        user=user,
        given_name=given,
        family_name=family,
        is_volunteer=volunteer,
        membership_status="active" if member else "none",
    )
    return user


@pytest.fixture
def coordinator(db):
    """Program staff: runs the program."""
    return _persona("coordinator@example.org", "Carla Coordinator", groups=[StaffGroup.PROGRAM_STAFF])


@pytest.fixture
def editor(db):
    """Edits and publishes stories."""
    return _persona("editor@example.org", "Edna Editor", groups=[StaffGroup.EDITOR])


@pytest.fixture
def administrator(db):
    return _persona("admin@example.org", "Ada Admin", groups=[StaffGroup.ADMINISTRATOR], superuser=True)


@pytest.fixture
def volunteer(db):
    """A volunteer (faculty, mentor, reviewer, author) without editor rights."""
    return _persona("volunteer@example.org", "Victor Volunteer", volunteer=True)


@pytest.fixture
def member(db):
    return _persona("member@example.org", "Mina Member")


@pytest.fixture
def outsider(db):
    """Signed in, but with no role here: must be refused."""
    return _persona("outsider@example.org", "Otto Outsider", member=False)


# The stories index page (made by the stories data migration), for any test that needs stories.
from tests.stories.conftest import story_index  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _empty_cache_for_each_test():
    """Counters (rate limits) and cached figures must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to /es/… leaves Spanish active in the thread; start every test in English."""
    from django.utils import translation

    yield
    translation.activate("en")


# --- Browser tests flush the database (live_server needs committed data). ---------------------
# Django puts the migrations' data back for serialized_rollback tests from a snapshot it keeps on
# the connection object, but Playwright's event loop gives later tests a fresh connection object
# without it. Keeping the snapshot on the class makes every connection object see it (Wagtail's
# root page, site, locale and collection; the staff groups; the stories section and workflow).


@pytest.fixture(scope="session", autouse=True)
def _keep_initial_data_snapshot(django_db_setup, django_db_blocker):
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            type(connection)._test_serialized_contents = contents


@pytest.fixture
def initial_data(transactional_db):
    """For tests with ``transaction=True``: the data the migrations create is there."""
    from wagtail.models import Page

    assert Page.objects.filter(depth=1).exists(), "the migrations' data was not restored"


@pytest.fixture(autouse=True)
def _initial_data_after_a_flush(request):
    """A test that runs after a browser test in the same worker finds the database flushed;
    put the migrations' data back first (one cheap query when nothing is missing)."""
    if "_django_db_helper" not in request.fixturenames:
        return
    request.getfixturevalue("_django_db_helper")
    restore_initial_data_after_a_flush()


def restore_initial_data_after_a_flush() -> None:
    """Put the migrations' data back if a transactional test flushed the database (one cheap
    query when nothing is missing). Also for fixtures that reach the database on their own
    (the demo's package-scoped seed)."""
    from django.db import connections
    from wagtail.models import Page

    if not Page.objects.filter(depth=1).exists():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)
