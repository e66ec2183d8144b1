"""Staff notes: private to staff, edited only by their author, every edit kept and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from oncoreach.core.models import AuditEvent
from oncoreach.people.models import StaffNote
from oncoreach.people.services_notes import add_staff_note, edit_staff_note
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def test_add_staff_note_records_author_and_audit(coordinator):
    person = PersonFactory()

    note = add_staff_note(actor=coordinator, person=person, body="  Prefers calls in the morning.  ")

    assert (note.person, note.author, note.body) == (person, coordinator, "Prefers calls in the morning.")
    assert list(AuditEvent.objects.filter(action="people.note_added").values_list("target_id", flat=True)) == [
        str(person.pk)
    ]


def test_add_staff_note_refuses_an_empty_note(coordinator):
    with pytest.raises(ValidationError, match="empty"):
        add_staff_note(actor=coordinator, person=PersonFactory(), body="   ")
    assert StaffNote.objects.count() == 0


def test_add_staff_note_refuses_non_staff(volunteer):
    with pytest.raises(PermissionDenied):
        add_staff_note(actor=volunteer, person=PersonFactory(), body="Hello")
    assert StaffNote.objects.count() == 0


def test_add_staff_note_on_a_merged_person_points_to_the_survivor(coordinator):
    survivor = PersonFactory(given_name="Ana", family_name="Silva")
    merged = PersonFactory(merged_into=survivor)

    with pytest.raises(ValidationError) as error:
        add_staff_note(actor=coordinator, person=merged, body="Hello")

    assert f"merged into Ana Silva (record {survivor.pk})" in error.value.messages[0]
    assert StaffNote.objects.count() == 0


def test_edit_staff_note_keeps_every_version(coordinator):
    note = add_staff_note(actor=coordinator, person=PersonFactory(), body="First")

    edit_staff_note(actor=coordinator, note=note, body="Second")
    edit_staff_note(actor=coordinator, note=note, body="Third")
    edit_staff_note(actor=coordinator, note=note, body="Third")  # no change, no revision

    note.refresh_from_db()
    assert note.body == "Third"
    assert [revision.body for revision in note.revisions.all()] == ["Second", "First"]
    assert AuditEvent.objects.filter(action="people.note_edited").count() == 2


def test_edit_staff_note_refuses_another_staff_member(coordinator, administrator):
    note = add_staff_note(actor=coordinator, person=PersonFactory(), body="Mine")

    with pytest.raises(PermissionDenied):
        edit_staff_note(actor=administrator, note=note, body="Changed")

    note.refresh_from_db()
    assert (note.body, note.revisions.count()) == ("Mine", 0)


def test_note_views_add_edit_and_history(client, coordinator):
    person = PersonFactory()
    client.force_login(coordinator)

    response = client.post(reverse("people:note-add", args=[person.pk]), {"body": "Met at ASCO"})
    note = StaffNote.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("people:note-edit", args=[note.pk]), {"body": "Met at ESMO"})
    assert response.status_code == 302

    page = client.get(reverse("people:note-edit", args=[note.pk]))
    assert page.status_code == 200
    assert [revision.body for revision in page.context["revisions"]] == ["Met at ASCO"]
    response = client.get(reverse("people:person-timeline", args=[person.pk]))
    assert [str(event.kind) for event in response.context["page"].events] == ["Staff note"]  # no audit echo
    timeline = response.content.decode()
    assert "Met at ESMO" in timeline
    assert "edited once" in timeline


def test_note_add_view_on_a_merged_person_says_where_to_go(client, coordinator):
    survivor = PersonFactory()
    merged = PersonFactory(merged_into=survivor)
    client.force_login(coordinator)

    response = client.post(reverse("people:note-add", args=[merged.pk]), {"body": "Hello"})

    assert response.status_code == 400
    assert f"record {survivor.pk}" in response.content.decode()
    assert StaffNote.objects.count() == 0


def test_note_edit_view_refuses_another_author_and_the_person(client, coordinator, administrator):
    user = UserFactory(email="self@example.org")
    note = StaffNote.objects.create(person=PersonFactory(user=user), author=coordinator, body="Private")

    for who in (administrator, user):
        client.force_login(who)
        response = client.post(reverse("people:note-edit", args=[note.pk]), {"body": "Changed"})
        assert response.status_code == 403
        assert b"Private" not in response.content
    note.refresh_from_db()
    assert note.body == "Private"


def test_staff_notes_are_not_in_the_persons_own_data_export(client, db):
    user = UserFactory(email="self@example.org")
    person = PersonFactory(user=user)
    StaffNote.objects.create(person=person, author=UserFactory(), body="Private remark")
    client.force_login(user)

    response = client.get(reverse("people:my-data"))

    assert response.status_code == 200
    assert b"Private remark" not in response.content


def test_staff_notes_are_hidden_from_an_administrator_viewing_as_a_volunteer(client, administrator, volunteer):
    person = PersonFactory()
    StaffNote.objects.create(person=person, author=administrator, body="Private remark")
    client.force_login(administrator)
    client.post(reverse("accounts:view-as-start", args=[volunteer.pk]), {"reason": "Support request 1234 (test)"})

    response = client.get(reverse("people:person-timeline", args=[person.pk]))

    assert response.status_code == 403
    assert b"Private remark" not in response.content
