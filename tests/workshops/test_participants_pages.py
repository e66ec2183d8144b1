"""Every new participant, staff and host page parses as valid HTML5 and labels its inputs."""

import datetime as dt

import html5lib
import pytest
from django.urls import reverse

from oncoreach.workshops import services
from oncoreach.workshops.tokens import make_survey_token
from tests.factories.workshops import CourseFactory, RegistrationFactory, submitted_registration

pytestmark = [pytest.mark.integration]


def _valid(response):
    assert response.status_code == 200
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(response.content)
    assert parser.errors == []
    return response.content.decode()


def test_participant_pages_are_valid(client, member):
    course = CourseFactory()
    registration = submitted_registration(course, member.person)
    services.decide_registration(registration=registration, outcome="accepted", actor=None)
    past = CourseFactory(start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 9, 3), status="closed")
    attended = RegistrationFactory(course=past, person=member.person, status="attended", certificate_code="C0DE")
    services.send_followup_surveys()
    client.force_login(member)
    _valid(client.get(reverse("workshops:register", kwargs={"slug": course.slug})))
    _valid(client.get(registration.get_absolute_url()))
    _valid(client.get(attended.get_absolute_url()))
    _valid(client.get(reverse("workshops:my-courses")))
    _valid(client.get(reverse("workshops:certificate-verify", kwargs={"code": "C0DE"})))
    _valid(
        client.get(reverse("workshops:impact-survey", kwargs={"token": make_survey_token(registration_pk=attended.pk)}))
    )


def test_staff_and_host_pages_are_valid(client, coordinator, member):
    course = CourseFactory()
    course.host_contacts.add(member.person)
    registration = submitted_registration(course)
    services.decide_registration(registration=registration, outcome="accepted", actor=None)
    submitted_registration(course)
    client.force_login(coordinator)
    page = _valid(client.get(reverse("workshops:staff-intake", kwargs={"slug": course.slug})))
    assert 'for="pre-' in page
    _valid(client.get(reverse("workshops:staff-host-applications")))
    client.force_login(member)
    _valid(client.get(reverse("workshops:host-registrations", kwargs={"slug": course.slug})))
