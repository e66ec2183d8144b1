"""Merging two records of one person, and undoing it within 30 days."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from oncoreach.core.models import AuditEvent
from oncoreach.people.models import Affiliation, DuplicateDismissal, Person, Publication, StaffNote
from oncoreach.people.selectors_duplicates import person_relations
from oncoreach.people.services_merge import MERGE_FIELDS, merge_people, undo_merge
from oncoreach.workshops.models import Registration, Session
from tests.factories.accounts import UserFactory
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory, add_to_panel
from tests.factories.geo import CountryFactory
from tests.factories.people import AffiliationFactory, MembershipFactory, PersonFactory
from tests.factories.stories import make_story
from tests.factories.volunteers import ActivityLogFactory, VolunteerProfileFactory
from tests.factories.workshops import (
    CourseFactory,
    FacultyInvitationFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.integration]


def _snapshot():
    """Every row pointing at a person, and every person's fields, to compare before and after."""
    rows = {}
    for field in person_relations():
        rows[f"{field.model._meta.label}.{field.name}"] = sorted(
            field.model._default_manager.values_list("pk", field.attname)
        )
    people = sorted(Person.objects.values_list("pk", *MERGE_FIELDS, "user_id", "merged_into_id"))
    users = sorted(UserFactory._meta.model.objects.values_list("pk", "is_active"))
    return rows, people, users


def _awards_and_mentoring_rows(other, coordinator):
    """A row of each awards and mentoring relation to Person, on ``other``."""
    from oncoreach.awards.models import Benefit
    from oncoreach.mentoring.enums import Side
    from oncoreach.mentoring.models import (
        Evaluation,
        Match,
        MeetingLog,
        MentoringPlan,
        MentorOffer,
        Mentorship,
        PlanComment,
    )
    from oncoreach.mentoring.services import consent
    from tests.factories.awards import (
        AwardFactory,
        GrantFactory,
        GrantReportFactory,
        InterviewerFactory,
        InterviewSlotFactory,
        TrackFactory,
    )
    from tests.factories.mentoring import make_cycle, make_mentee, make_mentor
    from tests.factories.travel import TripFactory
    from tests.mentoring.test_services import _published

    InterviewerFactory(person=other)
    InterviewSlotFactory(interviewer=other)
    Benefit.objects.create(award=AwardFactory(person=other), kind="mentor", mentor=other)
    GrantReportFactory(grant=GrantFactory(lead=other), submitted_by=other)
    TrackFactory().mentors.add(other)
    TripFactory(traveller=other)
    mentoring = make_cycle(actor=coordinator)
    make_mentor(mentoring)
    make_mentee(mentoring)
    round_, _run = _published(mentoring, coordinator)
    match = Match.objects.get(round=round_)
    consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
    consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=None)
    # one row holds both sides: the merge moves each foreign key on its own
    Mentorship.objects.filter(match=match).update(mentor=other, mentee=other)
    mentorship = Mentorship.objects.get(match=match)
    plan = MentoringPlan.objects.create(mentorship=mentorship, goals="Audit the tumour board")
    PlanComment.objects.create(plan=plan, author=other, body="Good start")
    MeetingLog.objects.create(
        mentorship=mentorship, held_on=mentorship.starts_on, minutes=45, topic="Protocol", logged_by=other
    )
    Evaluation.objects.create(
        mentorship=mentorship, side=Side.MENTOR, person=other, due_by=timezone.now() + dt.timedelta(days=30)
    )
    MentorOffer.objects.filter(pk=match.offer_id).update(person=other)


def test_merge_moves_every_registered_relation(coordinator, story_index):
    """One row of every kind of relation to Person, on the merged-away record: all move."""
    survivor = PersonFactory()
    other = PersonFactory(user=UserFactory())
    AffiliationFactory(person=other)
    MembershipFactory(person=other)
    application = ApplicationFactory(applicant=other)
    ReviewAssignmentFactory(reviewer=other)
    add_to_panel(CallFactory(), other)
    Publication.objects.create(person=other, doi="10.1200/JCO.2024.42.1", title="A trial", year=2024)
    VolunteerProfileFactory(person=other)
    ActivityLogFactory(person=other)
    course = CourseFactory()
    course.host_contacts.add(other)
    SessionFactory(course=course).faculty.add(other)
    FacultyInvitationFactory(person=other)
    RegistrationFactory(person=other)
    StaffNote.objects.create(person=other, author=coordinator, body="Note")
    make_story(title="Two records", authors=[other])
    from oncoreach.calls.models import ConflictDeclaration

    ConflictDeclaration.objects.create(reviewer=other, application=application)
    from oncoreach.workshops.models import FacultyInterest

    FacultyInterest.objects.create(person=other, slot=FacultyInvitationFactory().slot)
    from oncoreach.people.models import Inquiry

    Inquiry.objects.create(name="x", email="x@example.org", topic="volunteer", message="m", person=other)
    import uuid

    from oncoreach.messaging.models import CohortMessage, CohortRecipient, Unsubscription

    Unsubscription.objects.create(person=other)

    CohortRecipient.objects.create(
        message=CohortMessage.objects.create(submission_token=uuid.uuid4()),
        person=other,
        name="x",
        language="en",
        outcome="queued",
    )
    _awards_and_mentoring_rows(other, coordinator)
    from oncoreach.programs.models import ResponseSet

    relations = person_relations()
    covered = {
        f"{field.model._meta.label}.{field.name}"
        for field in relations
        if field.model._default_manager.filter(**{field.name: other}).exists()
    }
    untested = {f"{f.model._meta.label}.{f.name}" for f in relations} - covered - {"programs.ResponseSet.respondent"}
    assert untested == set(), "add a row of each new relation to this test"
    assert ResponseSet  # respondent rows come with applications when a call has a form

    result = merge_people(actor=coordinator, survivor=survivor, other=other)

    for field in relations:
        assert not field.model._default_manager.filter(**{field.name: other}).exists(), field
    assert result.left_behind == 0
    survivor.refresh_from_db()
    other.refresh_from_db()
    assert survivor.user_id is not None  # the only login moved to the survivor
    assert (other.user_id, other.merged_into) == (None, survivor)


def test_merge_then_undo_restores_everything(coordinator):
    country = CountryFactory()
    survivor = PersonFactory(given_name="Ana", orcid="", user=UserFactory())
    other = PersonFactory(
        given_name="Anna", orcid="0000-0002-1825-0097", country_of_practice=country, user=UserFactory()
    )
    shared_course = CourseFactory()
    RegistrationFactory(person=survivor, course=shared_course)
    RegistrationFactory(person=other, course=shared_course)  # would collide: stays behind
    RegistrationFactory(person=other)
    AffiliationFactory(person=survivor, is_primary=True)
    AffiliationFactory(person=other, is_primary=True)  # a second primary: stays behind
    AffiliationFactory(person=other, is_primary=False)
    StaffNote.objects.create(person=other, author=coordinator, body="Note")
    before = _snapshot()

    result = merge_people(
        actor=coordinator, survivor=survivor, other=other, take_from_other=["orcid", "country_of_practice_id"]
    )

    survivor.refresh_from_db()
    other.refresh_from_db()
    assert (survivor.given_name, survivor.orcid, survivor.country_of_practice) == (
        "Ana",
        "0000-0002-1825-0097",
        country,
    )
    assert list(Registration.objects.filter(person=other).values_list("course", flat=True)) == [shared_course.pk]
    assert Registration.objects.filter(person=survivor).count() == 2
    assert Affiliation.objects.filter(person=survivor).count() == 2
    assert (result.moved, result.left_behind) == (3, 2)
    assert other.user.is_active is False  # the other login is disabled, the survivor keeps theirs
    assert survivor.user.is_active is True
    assert result.audit.data["left_behind"][0]["relation"] == "people.Affiliation.person"

    undo_merge(actor=coordinator, event=result.audit)

    assert _snapshot() == before
    assert AuditEvent.objects.filter(action="people.merge_undone").count() == 1


def test_merge_refuses_a_person_with_themselves(coordinator):
    person = PersonFactory()
    before = _snapshot()
    with pytest.raises(ValidationError, match="cannot be merged with themselves"):
        merge_people(actor=coordinator, survivor=person, other=person)
    assert _snapshot() == before
    assert not AuditEvent.objects.exists()


def test_merge_refuses_a_person_already_merged_away(coordinator):
    survivor, other, third = PersonFactory(), PersonFactory(), PersonFactory()
    merge_people(actor=coordinator, survivor=survivor, other=other)
    before = _snapshot()

    with pytest.raises(ValidationError, match=f"already merged into record {survivor.pk}"):
        merge_people(actor=coordinator, survivor=third, other=other)
    with pytest.raises(ValidationError, match="already merged"):
        merge_people(actor=coordinator, survivor=other, other=third)
    assert _snapshot() == before


def test_merge_refuses_an_unknown_field(coordinator):
    survivor, other = PersonFactory(), PersonFactory()
    with pytest.raises(ValidationError, match="user_id"):
        merge_people(actor=coordinator, survivor=survivor, other=other, take_from_other=["user_id"])
    assert Person.objects.filter(merged_into__isnull=False).count() == 0


def test_undo_refuses_after_thirty_days(coordinator):
    survivor, other = PersonFactory(), PersonFactory()
    RegistrationFactory(person=other)
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        result = merge_people(actor=coordinator, survivor=survivor, other=other)
    before = _snapshot()

    with time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC)), pytest.raises(ValidationError, match="30 days"):
        undo_merge(actor=coordinator, event=result.audit)

    assert _snapshot() == before


def test_undo_refuses_twice_and_after_edits(coordinator):
    survivor, other = PersonFactory(), PersonFactory(given_name="Other")
    result = merge_people(actor=coordinator, survivor=survivor, other=other, take_from_other=["given_name"])
    survivor.refresh_from_db()
    survivor.given_name = "Edited"
    survivor.save()

    with pytest.raises(ValidationError, match="given_name"):
        undo_merge(actor=coordinator, event=result.audit)

    survivor.given_name = "Other"
    survivor.save()
    undo_merge(actor=coordinator, event=result.audit)
    with pytest.raises(ValidationError, match="already undone"):
        undo_merge(actor=coordinator, event=result.audit)


def test_undo_refuses_when_a_moved_row_was_deleted(coordinator):
    survivor, other = PersonFactory(), PersonFactory()
    registration = RegistrationFactory(person=other)
    result = merge_people(actor=coordinator, survivor=survivor, other=other)
    registration.delete()
    before = _snapshot()

    with pytest.raises(ValidationError, match="deleted or changed"):
        undo_merge(actor=coordinator, event=result.audit)

    assert _snapshot() == before


def test_merge_forgets_a_dismissal_of_the_pair(coordinator):
    survivor, other = PersonFactory(), PersonFactory()
    DuplicateDismissal.objects.create(first=survivor, second=other)
    merge_people(actor=coordinator, survivor=survivor, other=other)
    assert not DuplicateDismissal.objects.exists()


# --- Views ---------------------------------------------------------------------------------


def test_merge_view_shows_both_records_and_merges(client, coordinator):
    survivor = PersonFactory(given_name="Ana", family_name="Silva")
    other = PersonFactory(given_name="Anna", family_name="Silva")
    client.force_login(coordinator)

    page = client.get(reverse("people:person-merge", args=[survivor.pk, other.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ana" in html
    assert "Anna" in html

    data = dict.fromkeys(MERGE_FIELDS, "keep") | {"given_name": "take"}
    response = client.post(reverse("people:person-merge", args=[survivor.pk, other.pk]), data)

    assert response.status_code == 302
    survivor.refresh_from_db()
    other.refresh_from_db()
    assert (survivor.given_name, other.merged_into) == ("Anna", survivor)
    timeline = client.get(response["Location"]).content.decode()
    assert "Undo this merge" in timeline

    event = AuditEvent.objects.get(action="people.merged")
    response = client.post(reverse("people:merge-undo", args=[event.pk]))
    other.refresh_from_db()
    assert (response.status_code, other.merged_into) == (302, None)


def test_merge_view_with_themselves_shows_the_error_and_changes_nothing(client, coordinator):
    person = PersonFactory()
    client.force_login(coordinator)

    response = client.post(reverse("people:person-merge", args=[person.pk, person.pk]), {})

    assert response.status_code == 400
    assert "cannot be merged with themselves" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_merge_with_themselves_and_a_note_on_a_merged_record_are_refused_in_the_readers_language(client, coordinator):
    person = PersonFactory()
    merged = PersonFactory(merged_into=PersonFactory(given_name="Ana", family_name="Silva"))
    client.force_login(coordinator)
    with translation.override("es"):
        merge_url = reverse("people:person-merge", args=[person.pk, person.pk])
        note_url = reverse("people:note-add", args=[merged.pk])

    merge = client.post(merge_url, dict.fromkeys(MERGE_FIELDS, "keep"))
    note = client.post(note_url, {"body": "Hola"})

    assert (merge.status_code, note.status_code) == (400, 400)
    assert "No se puede fusionar a una persona consigo misma: elija dos registros distintos." in merge.content.decode()
    assert "se fusionó con Ana Silva" in note.content.decode()
    assert (AuditEvent.objects.count(), StaffNote.objects.count()) == (0, 0)


def test_merge_views_refuse_non_staff(client, volunteer):
    survivor, other = PersonFactory(), PersonFactory()
    client.force_login(volunteer)

    assert client.get(reverse("people:person-merge", args=[survivor.pk, other.pk])).status_code == 403
    assert client.post(reverse("people:person-merge", args=[survivor.pk, other.pk]), {}).status_code == 403
    other.refresh_from_db()
    assert other.merged_into is None


def test_merge_undo_view_after_thirty_days_says_so(client, coordinator):
    survivor, other = PersonFactory(), PersonFactory()
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        result = merge_people(actor=coordinator, survivor=survivor, other=other)
    client.force_login(coordinator)

    with time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=dt.UTC)):
        response = client.post(reverse("people:merge-undo", args=[result.audit.pk]), follow=True)

    assert "can be undone for 30 days" in response.content.decode()
    other.refresh_from_db()
    assert other.merged_into == survivor


def test_person_relations_include_hidden_and_many_to_many_tables():
    labels = {f"{field.model._meta.label}.{field.name}" for field in person_relations()}
    assert "stories.StoryAuthor.person" in labels  # related_name="+"
    assert any(label.startswith("workshops.Session_faculty.") for label in labels)  # a many-to-many table
    assert "people.Person.merged_into" not in labels
    assert isinstance(Session._meta.get_field("faculty"), models.ManyToManyField)


def test_merged_away_people_leave_the_people_list(client, coordinator):
    survivor, other = PersonFactory(family_name="Aaa"), PersonFactory(family_name="Aab")
    merge_people(actor=coordinator, survivor=survivor, other=other)
    client.force_login(coordinator)

    response = client.get(reverse("people:person-list"))

    shown = list(response.context["page"].object_list)
    assert shown == [survivor, *(person for person in shown if person.pk not in {survivor.pk, other.pk})]
    assert other not in shown
