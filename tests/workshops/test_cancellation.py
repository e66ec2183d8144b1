"""Cancelling a course: a confirmation step; registration closes; registrants and faculty are told
in their own language; the public page says "Cancelled"; the staff button looks destructive."""

import html5lib
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.workshops import services
from oncoreach.workshops.models import Course, FacultyInvitation, Registration
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory
from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, open_intake, submitted_registration

pytestmark = [pytest.mark.integration]


def _person(language):
    return PersonFactory(user=UserFactory(preferred_language=language))


@pytest.fixture
def busy_course(db, coordinator):
    """An open course with a pending, an accepted and a wait-listed participant, an attended one
    from nowhere (cannot happen before the course, kept out), and three faculty invitations."""
    course = CourseFactory(capacity=1)
    open_intake(course)
    pending = submitted_registration(course, _person("es"))
    accepted = services.decide_registration(
        registration=submitted_registration(course, _person("fr")), outcome="accepted", actor=coordinator
    )
    waiting = services.decide_registration(
        registration=submitted_registration(course, _person("en")), outcome="waitlisted", actor=coordinator
    )
    invited = FacultyInvitationFactory(slot__course=course, status="invited", person=_person("pt"))
    booked = FacultyInvitationFactory(slot__course=course, status="travel_booked", person=_person("es"))
    proposed = FacultyInvitationFactory(slot__course=course, status="proposed")
    OutboundEmail.objects.all().delete()
    return course, (pending, accepted, waiting), (invited, booked, proposed)


def test_cancelling_closes_registration_and_tells_everyone_in_their_language(busy_course, coordinator):
    course, (pending, accepted, waiting), (invited, booked, _proposed) = busy_course
    services.cancel_course(course=course, actor=coordinator, reason="The host hospital is closed for works.")
    course.refresh_from_db()
    assert course.status == "cancelled"
    assert course.intake_call.is_open() is False
    registrations = Registration.objects.filter(course=course).order_by("id")
    assert [r.status for r in registrations] == ["cancelled", "cancelled", "cancelled"]
    assert [r.application.status for r in registrations] == ["withdrawn", "accepted", "withdrawn"]
    assert list(
        FacultyInvitation.objects.filter(slot__course=course).order_by("id").values_list("status", flat=True)
    ) == [
        "withdrawn",
        "withdrawn",
        "withdrawn",
    ]
    mails = {mail.to: (mail.language, mail.subject) for mail in OutboundEmail.objects.all()}
    assert mails == {
        pending.person.email: ("es", f"Cancelado: {course.title}"),
        accepted.person.email: ("fr", f"Annulé : {course.title}"),
        waiting.person.email: ("en", f"Cancelled: {course.title}"),
        invited.person.email: ("pt", f"Cancelado: {course.title}"),
        booked.person.email: ("es", f"Cancelado: {course.title}"),
    }
    body = OutboundEmail.objects.get(to=waiting.person.email).body_text
    assert "is cancelled, and your registration with it" in body
    assert course.get_absolute_url() in body
    event = AuditEvent.objects.get(action="workshops.course_transition")
    assert event.data == {"old": "open", "new": "cancelled", "reason": "The host hospital is closed for works."}


def test_nobody_is_promoted_when_the_course_is_cancelled(busy_course, coordinator):
    course, _registrations, _invitations = busy_course
    services.cancel_course(course=course, actor=coordinator)
    assert AuditEvent.objects.filter(action="workshops.registration_promoted").count() == 0


def test_a_held_course_cannot_be_cancelled(coordinator):
    course = CourseFactory(status="held")
    with pytest.raises(ValidationError) as exc:
        services.cancel_course(course=course, actor=coordinator)
    assert exc.value.code == "not_cancellable"
    assert Course.objects.get(pk=course.pk).status == "held"


def test_staff_confirm_before_cancelling(client, busy_course, coordinator):
    course, _registrations, _invitations = busy_course
    client.force_login(coordinator)
    staffing = client.get(reverse("workshops:staff-course", args=[course.slug])).content.decode()
    cancel_url = reverse("workshops:staff-course-cancel", args=[course.slug])
    assert f'<a class="button button-danger" href="{cancel_url}">' in staffing
    assert 'value="cancelled"' not in staffing  # no one-click cancel among the other moves
    # The old one-click route now leads to the confirmation step.
    response = client.post(reverse("workshops:staff-course-transition", args=[course.slug]), {"to": "cancelled"})
    assert (response["Location"], Course.objects.get(pk=course.pk).status) == (cancel_url, "open")
    page = client.get(cancel_url)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page.content)
    assert parser.errors == []
    impact = page.context["impact"]
    assert (impact.registrations, impact.invitations, impact.registration_open) == (3, 2, True)
    assert 'class="button-danger"' in page.content.decode()
    refused = client.post(cancel_url, {"reason": "x"})
    assert (refused.status_code, Course.objects.get(pk=course.pk).status) == (400, "open")
    assert "Tick the box to confirm the cancellation." in refused.content.decode()
    done = client.post(cancel_url, {"reason": "x", "confirm": "on"}, follow=True)
    assert Course.objects.get(pk=course.pk).status == "cancelled"
    assert "This course is cancelled." in done.content.decode()


def test_cancel_page_refuses_outsiders(client, outsider):
    course = CourseFactory()
    client.force_login(outsider)
    url = reverse("workshops:staff-course-cancel", args=[course.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert Course.objects.get(pk=course.pk).status == "open"


def test_the_public_page_of_a_cancelled_course_says_so(client, db):
    course = CourseFactory(status="cancelled")
    response = client.get(course.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Cancelled</strong>" in html
    assert "Register for this course" not in html
    assert client.get(reverse("workshops:catalogue")).context["upcoming"] == []


def test_a_course_in_planning_stays_private(client, db):
    course = CourseFactory(status="planning")
    assert client.get(course.get_absolute_url()).status_code == 404
