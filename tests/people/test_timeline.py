"""The timeline of one person: every app's events, newest first, 50 a page with a "load more"
link that works without JavaScript, in a constant number of queries."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.models import Review
from oncoreach.core.models import OutboundEmail
from oncoreach.core.services import record_audit
from oncoreach.people.models import StaffNote
from oncoreach.people.timeline import TIMELINE_PAGE_SIZE, parse_cursor, timeline_for_staff
from tests.factories.accounts import UserFactory
from tests.factories.calls import ApplicationFactory, ReviewAssignmentFactory
from tests.factories.people import PersonFactory
from tests.factories.stories import make_story
from tests.factories.volunteers import ActivityLogFactory
from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, RegistrationFactory, TravelFactory

pytestmark = [pytest.mark.integration]

BASE = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def _url(person, cursor=""):
    url = reverse("people:person-timeline", args=[person.pk])
    return f"{url}?{urlencode({'before': cursor})}" if cursor else url


def _long_history(person, author, count):
    """``count`` events of every kind, on distinct days."""
    for n in range(count):
        day = BASE + dt.timedelta(days=10 * n)
        ApplicationFactory(applicant=person, status="accepted", submitted_at=day, decided_at=day + dt.timedelta(days=1))
        assignment = ReviewAssignmentFactory(reviewer=person, status="submitted")
        Review.objects.create(
            assignment=assignment, weighted_total=Decimal("70"), submitted_at=day + dt.timedelta(hours=2)
        )
        course = CourseFactory(start_date=day.date() + dt.timedelta(days=3), end_date=day.date() + dt.timedelta(days=5))
        RegistrationFactory(person=person, course=course)
        taught = CourseFactory(start_date=day.date() + dt.timedelta(days=4), end_date=day.date() + dt.timedelta(days=6))
        invitation = FacultyInvitationFactory(person=person, slot__course=taught, status="accepted")
        TravelFactory(invitation=invitation)
        ActivityLogFactory(person=person, date=day.date() + dt.timedelta(days=5), hours=Decimal("4"))
        mail = OutboundEmail.objects.create(
            event_key=f"test-{person.pk}-{n}",
            to=person.email.upper(),
            subject=f"Mail {n}",
            body_text="…",
            next_attempt_at=day,
        )
        OutboundEmail.objects.filter(pk=mail.pk).update(created_at=day + dt.timedelta(hours=3))
        note = StaffNote.objects.create(person=person, author=author, body=f"Note {n}")
        StaffNote.objects.filter(pk=note.pk).update(created_at=day + dt.timedelta(hours=4))
        entry = record_audit(actor=author, action="people.profile_checked", target=person)
        type(entry).objects.filter(pk=entry.pk).update(created_at=day + dt.timedelta(hours=5))


def test_timeline_shows_every_kind_newest_first_with_links(client, coordinator, story_index):
    person = PersonFactory()
    _long_history(person, coordinator, 1)
    make_story(title="Teaching in Lusaka", authors=[person])
    client.force_login(coordinator)

    response = client.get(_url(person))

    assert response.status_code == 200
    events = response.context["page"].events
    assert [str(event.kind) for event in events] == [
        "Story",  # published now
        "Volunteer hours",  # day + 5
        "Trip",  # day + 4 (the course's first day), same time: by source key
        "Course taught",
        "Course attended",  # day + 3
        "Decision",  # day + 1
        "Audit",  # day, 14:00
        "Staff note",
        "E-mail",
        "Review written",
        "Application",
    ]
    assert response.context["page"].next_cursor == ""
    html = response.content.decode()
    assert reverse("calls:staff-application-detail", args=[person.applications.get().pk]) in html
    assert "Load more" not in html


def test_timeline_pages_through_a_long_history_in_constant_queries(client, coordinator, django_assert_num_queries):
    person = PersonFactory()
    _long_history(person, coordinator, 6)  # 6 × 10 kinds = 60 events: two pages
    client.force_login(coordinator)

    seen = []
    cursor = ""
    for _ in range(3):
        # session, user, groups, person, 12 source queries, notes + their revisions
        with django_assert_num_queries(18):
            response = client.get(_url(person, cursor))
        page = response.context["page"]
        seen.extend(page.events)
        cursor = page.next_cursor
        if not cursor:
            break
        assert "Load more" in response.content.decode()

    assert len(seen) == 60
    assert len({event.key for event in seen}) == 60
    assert [event.when for event in seen] == sorted((event.when for event in seen), reverse=True)


def test_timeline_cursor_never_skips_events_that_share_a_time(coordinator):
    person = PersonFactory()
    for n in range(TIMELINE_PAGE_SIZE + 7):
        ActivityLogFactory(person=person, date=dt.date(2025, 1, 1), description=f"Day {n}")

    first = timeline_for_staff(user=coordinator, person=person)
    second = timeline_for_staff(user=coordinator, person=person, cursor=first.next_cursor)

    assert len(first.events) == TIMELINE_PAGE_SIZE
    assert len(second.events) == 7
    assert second.next_cursor == ""
    assert len({event.key for event in [*first.events, *second.events]}) == TIMELINE_PAGE_SIZE + 7


def test_timeline_malformed_cursor_starts_from_the_newest():
    assert parse_cursor("yesterday~x") == (None, 0)
    assert parse_cursor("2025-01-01T00:00:00~3") == (None, 0)  # naive
    assert parse_cursor("2025-01-01T00:00:00+00:00~2") == (dt.datetime(2025, 1, 1, tzinfo=dt.UTC), 2)


def test_timeline_of_someone_without_an_address_has_no_mail(coordinator):
    person = PersonFactory(email="")
    assert timeline_for_staff(user=coordinator, person=person).events == []


@pytest.mark.parametrize("who", ["outsider", "volunteer", "the_person"])
def test_timeline_refuses_everyone_but_staff(client, db, who, request):
    person = PersonFactory(user=UserFactory(email="self@example.org"))
    StaffNote.objects.create(person=person, author=request.getfixturevalue("coordinator"), body="Secret")
    user = person.user if who == "the_person" else request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(_url(person))

    assert response.status_code == 403
    assert b"Secret" not in response.content


def test_timeline_anonymous_is_sent_to_sign_in(client, db):
    person = PersonFactory()
    response = client.get(_url(person))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_timeline_starts_with_planned_courses(coordinator):
    person = PersonFactory()
    RegistrationFactory(person=person, course=CourseFactory(start_date=timezone.now().date() + dt.timedelta(days=60)))
    ActivityLogFactory(person=person, date=dt.date(2024, 1, 1))

    events = timeline_for_staff(user=coordinator, person=person).events

    assert [str(event.kind) for event in events] == ["Course attended", "Volunteer hours"]
