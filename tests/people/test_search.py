"""People search ignores accents and case, on SQLite and PostgreSQL alike (same folded column)."""

import pytest
from django.urls import reverse

from oncoreach.people.models import Person, search_key
from oncoreach.people.selectors import person_search_condition, search_people
from tests.factories.calls import ApplicationFactory, CallFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Fernández", "fernandez"),
        ("  MARÍA   José ", "maria jose"),
        ("Ørsted Łukasz", "orsted lukasz"),
        ("O’Brien", "obrien"),
        ("Jean-Pierre", "jean pierre"),
        ("Straße", "strasse"),
        ("Nguyễn Thị", "nguyen thi"),
        ("Çelik Şahin", "celik sahin"),
    ],
)
def test_search_key_folds_case_accents_and_punctuation(text, folded):
    assert search_key(text) == folded


def test_saving_a_person_keeps_the_search_column_in_step(db):
    person = PersonFactory(given_name="María", family_name="Fernández")
    person.family_name = "Núñez"
    person.save(update_fields=["family_name"])

    assert Person.objects.values_list("search_name", flat=True).get(pk=person.pk) == "maria nunez"


def test_bulk_create_and_bulk_update_fill_the_search_column(db):
    country = PersonFactory().country_of_practice
    [created] = Person.objects.bulk_create(
        [Person(given_name="Zoë", family_name="Ødegaard", country_of_practice=country)]
    )
    created.given_name = "Chloé"
    Person.objects.bulk_update([created], ["given_name"])

    assert Person.objects.values_list("search_name", flat=True).get(pk=created.pk) == "chloe odegaard"


@pytest.mark.parametrize("query", ["fernandez", "FERNÁNDEZ", "maria fernandez", "fernández maría", "Fernandez "])
def test_search_people_ignores_accents_and_case_and_word_order(db, query):
    match = PersonFactory(given_name="María José", family_name="Fernández")
    PersonFactory(given_name="Mario", family_name="Fernandes")

    assert list(search_people(Person.objects.all(), query=query)) == [match]


def test_search_people_every_word_must_match(db):
    PersonFactory(given_name="María", family_name="Fernández")

    assert list(search_people(Person.objects.all(), query="maria gomez")) == []


def test_search_people_finds_an_email_unless_names_only(db):
    match = PersonFactory(given_name="Ana", family_name="Silva", email="asilva@hospital.example")

    assert list(search_people(Person.objects.all(), query="asilva@hospital")) == [match]
    assert list(search_people(Person.objects.all(), query="asilva@hospital", include_email=False)) == []


def test_search_of_only_punctuation_finds_nobody_by_name(db):
    PersonFactory(given_name="Ana", email="ana@example.org")

    assert list(Person.objects.filter(person_search_condition("’-", include_email=False))) == []


def test_staff_person_list_search_ignores_accents(client, coordinator):
    match = PersonFactory(given_name="Lucía", family_name="Fernández")
    PersonFactory(given_name="Lucas", family_name="Ferreira")
    client.force_login(coordinator)

    response = client.get(reverse("people:person-list"), {"q": "fernandez"})

    assert list(response.context["page"]) == [match]


def test_staff_application_list_search_ignores_accents(client, coordinator):
    call = CallFactory()
    match = ApplicationFactory(call=call, status="submitted", applicant=PersonFactory(family_name="Fernández"))
    ApplicationFactory(call=call, status="submitted", applicant=PersonFactory(family_name="Ferreira"))
    client.force_login(coordinator)

    response = client.get(reverse("calls:staff-application-list", args=[call.slug]), {"q": "FERNANDEZ"})

    assert list(response.context["page"]) == [match]


def test_cms_person_chooser_search_ignores_accents(client, administrator):
    match = PersonFactory(given_name="Émile", family_name="Zoé")
    PersonFactory(given_name="Emil", family_name="Zola")
    client.force_login(administrator)

    response = client.get(reverse("wagtailsnippetchoosers_people_person:choose_results"), {"q": "emile zoe"})

    assert list(response.context["results"]) == [match]


def test_backfill_migration_fills_the_column_and_its_reverse_clears_it(db):
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("oncoreach.people.migrations.0004_person_search_name_backfill")
    state = MigrationExecutor(connection).loader.project_state(("people", "0004_person_search_name_backfill"))
    person = PersonFactory(given_name="Zoë", family_name="Fernández")
    Person.objects.filter(pk=person.pk).update(search_name="")

    migration.backfill(state.apps, None)
    filled = Person.objects.values_list("search_name", flat=True).get(pk=person.pk)
    migration.clear(state.apps, None)
    cleared = Person.objects.values_list("search_name", flat=True).get(pk=person.pk)

    assert (filled, cleared) == ("zoe fernandez", "")
