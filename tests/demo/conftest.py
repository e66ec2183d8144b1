"""One small demo, seeded once for the tests in this package (seeding runs every lifecycle through the services,
a few seconds), inside a transaction that is rolled back when they are done. Each test still
runs in its own savepoint (the ``db`` fixture), so tests cannot see each other's writes.

The demo is seeded as ``make run`` on another port would (SITE_URL on port 8301), and the names
of the templates rendered while seeding are kept, so the link tests can check every e-mail."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.test.signals import template_rendered

from oncoreach.demo.logins import DEMO_LOGINS
from tests.conftest import restore_initial_data_after_a_flush

SMALL = {"people": 300, "organizations": 30, "stories": 20, "seed": 7, "verbosity": 0}
PERSONA_EMAILS = [login.email for login in DEMO_LOGINS]
DEMO_SITE_URL = "http://127.0.0.1:8301"


@pytest.fixture(scope="package")
def _seeded_module(django_db_setup, django_db_blocker):
    rendered: set[str] = set()

    def _keep(sender, template, context, **kwargs):
        rendered.add(str(template.name))

    template_rendered.connect(_keep)
    try:
        with django_db_blocker.unblock(), transaction.atomic(), override_settings(SITE_URL=DEMO_SITE_URL):
            # A transactional test run earlier in this process may have flushed the database.
            restore_initial_data_after_a_flush()
            call_command("seed_demo", **SMALL, stderr=StringIO())
            template_rendered.disconnect(_keep)
            yield {"templates": rendered}
            transaction.set_rollback(True)
    finally:
        template_rendered.disconnect(_keep)


@pytest.fixture
def demo(_seeded_module, db, settings):
    """The seeded small demo (read it; writes are rolled back after the test), served at port 8301."""
    settings.SITE_URL = DEMO_SITE_URL
    return _seeded_module


def client_for(email: str) -> Client:
    from oncoreach.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client
