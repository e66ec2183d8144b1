"""The staff page of one person: profile, affiliations and what other apps add (applications,
reviews, courses, volunteer work), with links, in a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.models import Call, Review
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory, add_to_panel
from tests.factories.people import AffiliationFactory, InquiryFactory, PersonFactory
from tests.factories.volunteers import ActivityLogFactory, VolunteerProfileFactory
from tests.factories.workshops import FacultyInvitationFactory, RegistrationFactory

pytestmark = [pytest.mark.integration]


def _url(person):
    return reverse("people:person-detail", args=[person.pk])


def _rich_person(count=1):
    """A person with ``count`` of everything the page shows."""
    person = PersonFactory(given_name="Lucía", family_name="Fernández", passport_name="FERNANDEZ LUCIA")
    VolunteerProfileFactory(person=person, roles=["reviewer", "faculty"])
    for n in range(count):
        AffiliationFactory(person=person, is_primary=n == 0)
        ApplicationFactory(applicant=person, status="submitted", submitted_at=timezone.now())
        assignment = ReviewAssignmentFactory(reviewer=person, status="submitted")
        Review.objects.create(assignment=assignment, weighted_total=Decimal("75.50"), submitted_at=timezone.now())
        add_to_panel(CallFactory(), person)
        FacultyInvitationFactory(person=person, status="invited")
        RegistrationFactory(person=person)
        ActivityLogFactory(person=person, hours=Decimal("1000.5"), date=dt.date(2026, 5, n + 1))
        InquiryFactory(person=person)
    return person


def test_person_page_shows_everything_with_links(client, coordinator):
    person = _rich_person()
    application = person.applications.get()
    assignment = person.review_assignments.get()
    invitation = person.faculty_invitations.get()
    registration = person.course_registrations.get()
    panel = Call.objects.get(roles__person=person)
    client.force_login(coordinator)

    response = client.get(_url(person))

    html = response.content.decode()
    assert response.status_code == 200
    assert [section.title for section in response.context["sections"]] == [
        "Applications",
        "Reviewing",
        "Courses",
        "Volunteer work",
    ]
    for link in (
        reverse("calls:staff-application-detail", args=[application.pk]),
        reverse("calls:staff-application-detail", args=[assignment.application_id]),
        reverse("calls:staff-panel", args=[panel.slug]),
        reverse("workshops:staff-course", args=[invitation.slot.course.slug]),
        reverse("workshops:staff-intake", args=[registration.course.slug]) + f"#registration-{registration.pk}",
        reverse("volunteers:staff-activities", args=[person.pk]),
    ):
        assert link in html
    assert "FERNANDEZ LUCIA" in html
    assert "75.50 / 100" in html
    assert "1,000.5 hours logged in total." in html


def test_person_page_of_someone_with_nothing_says_so(client, coordinator):
    person = PersonFactory()
    client.force_login(coordinator)

    response = client.get(_url(person))

    assert [section.title for section in response.context["sections"]] == ["Applications", "Reviewing", "Courses"]
    assert "none (no account)" in response.content.decode()


def test_person_page_refuses_outsiders_and_editors(client, outsider, editor):
    person = _rich_person()

    codes = []
    for user in (outsider, editor):
        client.force_login(user)
        codes.append(client.get(_url(person)).status_code)

    assert codes == [403, 403]


def test_person_page_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(_url(PersonFactory()))

    assert (response.status_code, response["Location"].startswith(reverse("accounts:login"))) == (302, True)


def test_person_page_unknown_person_is_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("people:person-detail", args=[999999])).status_code == 404


def test_person_list_links_each_person_to_their_page(client, coordinator):
    person = PersonFactory()
    client.force_login(coordinator)

    html = client.get(reverse("people:person-list")).content.decode()

    assert f'href="{_url(person)}"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_person_page_query_count(client, coordinator, django_assert_num_queries, count):
    person = _rich_person(count)
    client.force_login(coordinator)

    # session, user, groups, person, affiliations, inquiries;
    # calls: applications, assignments with reviews, panels;
    # volunteers: profile, its availability, recent activity, hours; workshops: invitations, registrations
    with django_assert_num_queries(15):
        response = client.get(_url(person))

    assert len(response.context["affiliations"]) == count
