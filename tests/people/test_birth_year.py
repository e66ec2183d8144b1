"""A person's year of birth: optional, checked, edited by the person and by staff, chosen on the
merge screen, restored by an undo, and in the person exports."""

import csv
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncoreach.core.models import AuditEvent
from oncoreach.people.models import Person
from oncoreach.people.services_merge import MERGE_FIELDS, merge_people, undo_merge
from oncoreach.people.validators import latest_birth_year, validate_birth_year
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

PROFILE = {"given_name": "Mina", "family_name": "Magar", "preferred_language": "en", "time_zone": "UTC"}


@time_machine.travel("2026-06-01 12:00Z", tick=False)
@pytest.mark.parametrize(("year", "valid"), [(1900, True), (1985, True), (2010, True), (1899, False), (2011, False)])
def test_birth_year_from_1900_to_sixteen_years_ago(year, valid):
    if valid:
        validate_birth_year(year)
    else:
        with pytest.raises(ValidationError, match="between 1900 and 2010") as caught:
            validate_birth_year(year)
        assert caught.value.code == "birth_year"


def test_birth_year_is_optional(db):
    person = PersonFactory(birth_year=None)

    person.full_clean()


def test_profile_edit_saves_the_birth_year(client, member):
    client.force_login(member)

    response = client.post(reverse("people:profile-edit"), PROFILE | {"birth_year": "1984"})

    member.person.refresh_from_db()
    assert (response.status_code, member.person.birth_year) == (302, 1984)
    page = client.get(reverse("people:profile-edit")).content.decode()
    assert 'name="birth_year" value="1984"' in page


def test_profile_edit_refuses_a_birth_year_out_of_range_and_changes_nothing(client, member):
    member.person.birth_year = 1984
    member.person.save()
    client.force_login(member)

    response = client.post(reverse("people:profile-edit"), PROFILE | {"birth_year": "2042", "family_name": "New"})

    member.person.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["birth_year"] == [
        f"Enter the year of birth as four digits, between 1900 and {latest_birth_year()}."
    ]
    assert (member.person.birth_year, member.person.family_name) == (1984, "Member")


def test_staff_person_form_edits_the_birth_year(client, coordinator):
    person = PersonFactory(given_name="Asha", birth_year=None)
    url = reverse("wagtailsnippets_people_person:edit", args=[person.pk])
    client.force_login(coordinator)

    form = client.get(url).context["form"]
    assert "birth_year" in form.fields
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data |= {"languages": json.dumps(person.languages), "birth_year": "1979"}
    response = client.post(url, data)

    person.refresh_from_db()
    assert (response.status_code, person.birth_year) == (302, 1979)

    response = client.post(url, data | {"birth_year": "1850"})

    person.refresh_from_db()
    assert "between 1900 and" in response.content.decode()
    assert person.birth_year == 1979


def test_staff_person_page_shows_the_birth_year(client, coordinator):
    person = PersonFactory(birth_year=1971)
    client.force_login(coordinator)

    html = client.get(reverse("people:person-detail", args=[person.pk])).content.decode()

    assert "<dt>Year of birth</dt><dd>1971</dd>" in html


def test_merge_screen_offers_the_birth_year_and_the_merge_takes_it(client, coordinator):
    survivor = PersonFactory(given_name="Ana", birth_year=None)
    other = PersonFactory(given_name="Ana", birth_year=1968)
    client.force_login(coordinator)

    page = client.get(reverse("people:person-merge", args=[survivor.pk, other.pk]))
    rows = {str(field.label): (kept, taken) for field, kept, taken in page.context["form"].rows}
    assert rows["year of birth"] == ("—", "1968")
    assert page.context["form"]["birth_year"].initial == "take"  # the kept record has none

    data = dict.fromkeys(MERGE_FIELDS, "keep") | {"birth_year": "take"}
    response = client.post(reverse("people:person-merge", args=[survivor.pk, other.pk]), data)

    survivor.refresh_from_db()
    assert (response.status_code, survivor.birth_year) == (302, 1968)
    event = AuditEvent.objects.get(action="people.merged")
    assert event.data["fields"]["birth_year"] == {"before": None, "after": 1968}


def test_undo_of_a_merge_restores_the_birth_year(coordinator):
    survivor = PersonFactory(birth_year=1970)
    other = PersonFactory(birth_year=1971)
    result = merge_people(actor=coordinator, survivor=survivor, other=other, take_from_other=["birth_year"])
    assert Person.objects.get(pk=survivor.pk).birth_year == 1971

    undo_merge(actor=coordinator, event=result.audit)

    assert list(Person.objects.filter(pk__in=[survivor.pk, other.pk]).order_by("pk").values_list("birth_year")) == [
        (1970,),
        (1971,),
    ]


def test_undo_is_refused_after_the_birth_year_was_edited(coordinator):
    survivor = PersonFactory(birth_year=1970)
    other = PersonFactory(birth_year=1971)
    result = merge_people(actor=coordinator, survivor=survivor, other=other, take_from_other=["birth_year"])
    Person.objects.filter(pk=survivor.pk).update(birth_year=1972)

    with pytest.raises(ValidationError, match="edited since: birth_year"):
        undo_merge(actor=coordinator, event=result.audit)

    assert Person.objects.get(pk=other.pk).merged_into_id == survivor.pk


def test_person_export_has_the_birth_year(client, coordinator):
    PersonFactory(given_name="Asha", birth_year=1983)
    PersonFactory(given_name="Bina", birth_year=None)
    client.force_login(coordinator)

    response = client.get(reverse("people:person-export"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-1] == "birth_year"
    assert sorted((row[1], row[-1]) for row in rows[1:]) == [("Asha", "1983"), ("Bina", ""), ("Carla", "")]


def test_my_data_has_the_birth_year(client, member):
    Person.objects.filter(pk=member.person.pk).update(birth_year=1990)
    client.force_login(member)

    data = json.loads(client.get(reverse("people:my-data")).content)

    assert data["person"]["birth_year"] == 1990
